//! Resident-chosen community service projects.

use super::generate::Lcg;
use anyhow::{Result, anyhow};
use store::Db;

/// Resident-chosen community service projects in 天井湖: last year's call,
/// closed with its result, and this year's, open for voting. The demo
/// resident's account is linked to a registry record so that it can vote.
pub(super) async fn load(db: &Db) -> Result<()> {
    use store::budgeting::{self as bg, NewCall, NewProject, Review};
    let e = |e: store::StoreError| anyhow!("{e}");
    let community = "340705402";
    let voters = store::residents::first_indexes(db, community, 200).await.map_err(e)?;
    let resident_user =
        store::users::by_username(db, "resident").await.map_err(e)?.ok_or_else(|| anyhow!("demo resident"))?;
    if let Some((rid, _)) = voters.last() {
        bg::link_resident(db, "demo", resident_user.id, *rid).await.map_err(e)?;
    }
    let ideas: [(&str, &str, &str, &str); 9] = [
        ("老旧小区加装扶手与坡道", "为12栋老楼单元门口加装扶手和无障碍坡道", "适老化", "45000"),
        ("社区食堂助餐点", "为80岁以上老人提供午餐配送", "养老服务", "120000"),
        ("儿童放学后托管", "双职工家庭子女课后托管与作业辅导", "青少年", "80000"),
        ("楼道照明更新", "更换感应节能灯", "环境", "30000"),
        ("天井湖健身步道修缮", "修补步道破损路面、增设休息座椅", "环境", "150000"),
        ("居民议事厅改造", "改造活动室为居民议事和调解场所", "自治", "60000"),
        ("垃圾分类督导员", "招募志愿督导员并培训", "环境", "25000"),
        ("社区法律援助站", "每周两次律师坐班", "法律服务", "40000"),
        ("智慧门禁（已由物业承担）", "由物业维修基金解决，不属社区项目", "安全", "90000"),
    ];
    let mut rng = Lcg(2014);
    for (year, close) in [(2025, true), (2026, false)] {
        let call = bg::create_call(
            db,
            "demo",
            community,
            NewCall {
                title: format!("{year}年天井湖社区服务项目（居民点单）"),
                description: "居民提出、评审可行性、全体居民投票，按均等份额法选出项目".into(),
                budget: "300000".into(),
                ballot_kind: "approval".into(),
                max_choices: Some("4".into()),
                rule: "mes-add1-greedy".into(),
                ..Default::default()
            },
        )
        .await
        .map_err(e)?;
        for (t, d, cat, cost) in ideas {
            bg::propose(
                db,
                "resident#demo",
                call.id,
                NewProject {
                    title: t.into(),
                    description: d.into(),
                    category: cat.into(),
                    location: "天井湖社区".into(),
                    cost: cost.into(),
                },
            )
            .await
            .map_err(e)?;
        }
        bg::advance(db, "demo", call.id).await.map_err(e)?;
        for p in bg::projects(db, call.id).await.map_err(e)? {
            let review = if p.title.contains("物业") {
                Review {
                    decision: "reject".into(),
                    note: "属物业维修基金支出范围，与已有渠道重复".into(),
                    ..Default::default()
                }
            } else if p.title.contains("步道") {
                Review {
                    decision: "approve".into(),
                    score: Some("82".into()),
                    cost: Some("120000".into()),
                    note: "按市政定额核减".into(),
                }
            } else {
                Review {
                    decision: "approve".into(),
                    score: Some(format!("{}", 70 + rng.next() % 25)),
                    ..Default::default()
                }
            };
            bg::review(db, "demo", p.id, review).await.map_err(e)?;
        }
        bg::advance(db, "demo", call.id).await.map_err(e)?;
        if close {
            let approved: Vec<i64> = bg::projects(db, call.id)
                .await
                .map_err(e)?
                .into_iter()
                .filter(|p| p.status == store::budgeting::ProjectStatus::Approved)
                .map(|p| p.id)
                .collect();
            for (n, (_, voter)) in voters.iter().enumerate().take(voters.len().saturating_sub(1)) {
                let mut picks: Vec<(i64, i64)> = Vec::new();
                for (k, pid) in approved.iter().enumerate() {
                    // Tastes differ by building: a few popular projects, and a minority with its own.
                    let weight = [9, 7, 5, 3, 6, 2, 4, 3][k % 8] + if n % 5 == 0 && k >= 5 { 6 } else { 0 };
                    if (rng.next() % 12) < weight && picks.len() < 4 {
                        picks.push((*pid, 1));
                    }
                }
                if picks.is_empty() {
                    picks.push((approved[0], 1));
                }
                let channel = if n % 3 == 0 { "paper" } else { "web" };
                bg::vote(db, "demo", call.id, voter, channel, &picks).await.map_err(e)?;
            }
            bg::advance(db, "demo", call.id).await.map_err(e)?;
        }
    }
    Ok(())
}
