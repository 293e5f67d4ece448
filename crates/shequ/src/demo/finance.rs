//! Community finance: allocations, project funds and claims.

use anyhow::{Result, anyhow};
use store::Db;

/// Community finance: the district's 2026 allocation to every community, and
/// in 天井湖 project funds for last year's first chosen project and a few paid claims.
pub(super) async fn load(db: &Db) -> Result<()> {
    use store::finance::{self as fin, NewAllocation, NewClaim, Stage};
    let e = |e: store::StoreError| anyhow!("{e}");
    let year = fin::current_quarter().0;
    for c in store::structure::communities(db, None).await.map_err(e)? {
        fin::allocate(
            db,
            "demo",
            NewAllocation {
                community: c.code.clone(),
                fund: "operating".into(),
                amount: "200000".into(),
                date: format!("{year}-01-05"),
                memo: format!("{year}年度社区公用经费核拨"),
                // An invented document number, marked as such wherever it is read.
                reference: format!("铜官财〔{year}〕1号（示例）"),
                key: format!("demo-{year}-{}", c.code),
            },
        )
        .await
        .map_err(e)?;
    }
    let community = "340705402";
    let user = |name: &'static str| async move {
        store::users::by_username(db, name).await.map_err(e)?.ok_or_else(|| anyhow!("demo user {name}"))
    };
    let (desk, admin, district) = (user("frontdesk").await?, user("admin").await?, user("finance").await?);
    let line = store::budgeting::budget_lines(db, community).await.map_err(e)?.into_iter().next();
    if let Some(l) = &line {
        fin::allocate(
            db,
            "demo",
            NewAllocation {
                community: community.into(),
                fund: format!("project:{}", l.id),
                amount: yuan(l.amount_fen),
                date: format!("{year}-01-10"),
                memo: format!("项目经费：{}", l.title),
                reference: String::new(),
                key: format!("demo-project-{}", l.id),
            },
        )
        .await
        .map_err(e)?;
    }
    let mut claims = vec![
        ("铜陵市文具店", "860", "社区服务中心办公用品", "operating".to_string()),
        ("国网铜陵供电公司", "2310.50", "服务中心一季度电费", "operating".to_string()),
        ("铜陵市安居物业", "12000", "老旧小区楼道照明维修", "operating".to_string()),
    ];
    if let Some(l) = &line {
        claims.push(("铜陵市惠民建材", "3000", "项目材料首批采购", format!("project:{}", l.id)));
    }
    for (i, (payee, amount, purpose, fund)) in claims.into_iter().enumerate() {
        let c = fin::file_claim(
            db,
            "demo",
            desk.id,
            &desk.display_name,
            community,
            NewClaim {
                payee: payee.into(),
                amount: amount.into(),
                purpose: purpose.into(),
                fund,
                key: format!("demo-claim-{i}"),
            },
            None,
        )
        .await
        .map_err(e)?;
        let c = fin::approve(db, "demo", admin.id, Stage::Head, c.id).await.map_err(e)?;
        if c.status == fin::ClaimStatus::HeadApproved {
            fin::approve(db, "demo", district.id, Stage::District, c.id).await.map_err(e)?;
        }
    }
    Ok(())
}

fn yuan(fen: i64) -> String {
    store::budgeting::yuan(fen)
}
