//! Community social organisations and government purchase of services in 天井湖.
//! From the seed (据原文): in 2014 铜官山区 bought basic community health services for
//! 17,260,000.00 yuan and home elderly care for 1,496,500.00 yuan from public-welfare
//! community social organisations, and a federation brings the grassroots groups in.
//! Everything else is invented (示例): the organisations, their codes and members, the
//! catalogue codes, budget references, the placement of both purchases in 天井湖's
//! service-purchase fund, providers, terms, service records, evaluations and instalments.
//! The `org` log-in acts for 天井湖's federation.

use anyhow::{Result, anyhow};
use store::Db;
use store::orgs as so;

const COMMUNITY: &str = "340705402";

pub(super) async fn load(db: &Db) -> Result<()> {
    let e = |e: store::StoreError| anyhow!("orgs demo: {e}");
    let c = store::structure::community(db, COMMUNITY).await.map_err(e)?;
    let district = c.district_code.clone();
    let (admin, dept, fin) = ("admin#demo", "district#demo", "finance#demo");
    let s = |x: &str| Some(x.to_string());
    let code = |first17: &str| rules::gb32100::compose(first17).unwrap_or_default();

    // The registry: the federation, two public-welfare providers, a filed group, a small group.
    let reg = async |name: &str, tier: &str, form: &str, uscc: String, fed: bool, fields: &str, units: &str| {
        let n = so::NewOrg {
            name: name.into(),
            tier: tier.into(),
            legal_form: form.into(),
            uscc,
            nature: "community_service".into(),
            profit_making: None,
            is_federation: fed.then(|| "true".to_string()),
            fields: fields.into(),
            person_in_charge: "负责人（示例）".into(),
            person_phone: String::new(),
            founded_on: "2013-06-01".into(),
            people: None,
            units: s(units),
        };
        so::register(db, admin, COMMUNITY, &district, n).await
    };
    let federation = reg(
        "天井湖社区社会组织联合会",
        "registered",
        "social_group",
        code("51340705MJ0000101"),
        true,
        "枢纽型管理：联系、培育、服务社区社会组织",
        "10",
    )
    .await
    .map_err(e)?;
    let health = reg(
        "天井湖社区健康服务中心（示例）",
        "registered",
        "service_org",
        code("52340705MJ0000102"),
        false,
        "社区基本医疗卫生服务",
        "",
    )
    .await
    .map_err(e)?;
    let care = reg(
        "天井湖居家养老服务中心（示例）",
        "registered",
        "service_org",
        code("52340705MJ0000103"),
        false,
        "居家养老上门服务",
        "",
    )
    .await
    .map_err(e)?;
    let dance =
        reg("天井湖社区舞蹈队（示例）", "filed", "", String::new(), false, "群众文体活动", "").await.map_err(e)?;
    let mutual = reg("楼栋邻里互助小组（示例）", "small", "", String::new(), false, "邻里互助", "").await.map_err(e)?;

    // Membership: the federation takes organisations; the dance group is also inside the
    // elderly-care centre, and the federation's roll-up counts it once.
    let member = async |of: i64, m: Option<i64>, person: &str| {
        let n = so::NewMember {
            member_org_id: m.map(|m| m.to_string()),
            person: person.into(),
            post: String::new(),
            joined_on: "2014-01-01".into(),
        };
        so::add_member(db, admin, of, n).await
    };
    // Six more grassroots groups, so the federation has the ten unit members §5.15 asks of a
    // social group (the members table is what its annual inspection checks).
    let mut groups = vec![health.id, care.id, dance.id, mutual.id];
    for name in [
        "天井湖书画社（示例）",
        "天井湖志愿者服务队（示例）",
        "天井湖太极拳队（示例）",
        "天井湖合唱团（示例）",
        "天井湖读书会（示例）",
        "天井湖邻里调解小组（示例）",
    ] {
        groups.push(reg(name, "small", "", String::new(), false, "群众文体与互助活动", "").await.map_err(e)?.id);
    }
    for m in groups {
        member(federation.id, Some(m), "").await.map_err(e)?;
    }
    member(care.id, Some(dance.id), "").await.map_err(e)?;
    for p in ["队员甲（示例）", "队员乙（示例）", "队员丙（示例）"] {
        member(dance.id, None, p).await.map_err(e)?;
    }
    let activity = async |org: i64, on: &str, title: &str, people: &str, hours: &str| {
        let n = so::NewActivity { held_on: on.into(), title: title.into(), participants: s(people), hours: s(hours) };
        so::add_activity(db, admin, org, n).await
    };
    activity(dance.id, "2014-05-01", "广场舞展演（示例）", "60", "2").await.map_err(e)?;
    activity(care.id, "2014-09-09", "重阳节敬老活动（示例）", "120", "4").await.map_err(e)?;
    activity(federation.id, "2014-12-05", "社区社会组织培训会（示例）", "35", "3").await.map_err(e)?;
    activity(mutual.id, "2014-07-20", "楼栋互助清扫（示例）", "18", "2").await.map_err(e)?;
    // The contacts of the federation and the elderly-care centre: where their notices go (示例).
    for (o, phone) in [(&federation, "13800000401"), (&care, "13800000403")] {
        let n = so::OrgEdit {
            fields: o.fields.clone(),
            person_in_charge: o.person_in_charge.clone(),
            person_phone: phone.into(),
        };
        so::edit(db, admin, o.id, n).await.map_err(e)?;
    }
    so::bind_account(db, admin, federation.id, so::NewAccount { username: "org".into() }).await.map_err(e)?;

    // The annual inspection of this year: the federation passed, the health centre submitted,
    // the elderly-care centre is overdue (once the due day has passed); reminders into the outbox.
    let today = store::clock::today();
    let year = today.year().to_string();
    so::open_year(db, dept, &district, so::OpenYear { year: s(&year) }).await.map_err(e)?;
    let inspections = so::inspections(db, None, Some(&district), None).await.map_err(e)?;
    let of = |org: i64| inspections.iter().find(|i| i.org_id == org).map(|i| i.id);
    let report = |t: &str| so::AnnualReport { report: t.into() };
    if let Some(i) = of(federation.id) {
        so::submit_report(db, "org#demo", i, report("年度工作报告：联系会员组织、开展培训（示例）"))
            .await
            .map_err(e)?;
        let d = so::InspectionDecision { decision: "pass".into(), note: String::new() };
        so::decide_inspection(db, dept, i, d).await.map_err(e)?;
    }
    if let Some(i) = of(health.id) {
        so::submit_report(db, admin, i, report("年度工作报告（示例）")).await.map_err(e)?;
    }
    so::remind(db, dept, &district, today).await.map_err(e)?;

    // The catalogue, one negative-list item, and the two budget lines at the seed's amounts.
    let item = async |code: &str, title: &str, negative: bool| {
        let n = so::NewCatalogueItem {
            code: code.into(),
            title: title.into(),
            published_on: "2013-12-01".into(),
            negative: negative.then(|| "true".to_string()),
        };
        so::add_catalogue_item(db, fin, &district, n).await
    };
    let health_item = item("TL-2014-01（示例）", "社区基本医疗卫生服务", false).await.map_err(e)?;
    let care_item = item("TL-2014-02（示例）", "居家养老服务", false).await.map_err(e)?;
    item("TL-2014-N1（示例）", "购买主体的公益性岗位人员聘用", true).await.map_err(e)?;
    let line = async |title: &str, amount: &str, reference: &str| {
        let n = so::NewBudgetLine {
            community: COMMUNITY.into(),
            year: s("2014"),
            title: title.into(),
            amount: s(amount),
            approved_ref: reference.into(),
        };
        so::add_budget_line(db, fin, &district, n).await
    };
    let health_line =
        line("2014年基层社区医疗卫生服务", "17260000.00", "铜官山财〔2014〕1号（示例）").await.map_err(e)?;
    let care_line = line("2014年居家养老服务", "1496500.00", "铜官山财〔2014〕2号（示例）").await.map_err(e)?;

    // The two projects (amounts 据原文), contracted with the two centres (示例).
    let project = async |title: &str,
                         item: i64,
                         line: i64,
                         buyer: &str,
                         content: &str,
                         measure: &str,
                         target: &str,
                         price: &str| {
        let n = so::NewProject {
            community: COMMUNITY.into(),
            title: title.into(),
            catalogue_id: s(&item.to_string()),
            budget_line_id: s(&line.to_string()),
            buyer_name: buyer.into(),
            buyer_kind: "state_organ".into(),
            content: content.into(),
            barred: String::new(),
            prior_assessment: "需求调查与事前绩效评估已完成（示例）".into(),
            targets: "覆盖辖区居民，满意度不低于90%（示例）".into(),
            measure: measure.into(),
            target_quantity: s(target),
            price: s(price),
        };
        so::open_project(db, dept, COMMUNITY, &district, n).await
    };
    let hp = project(
        "基层社区医疗卫生服务",
        health_item.id,
        health_line.id,
        "铜官山区（据原文）",
        "社区基本医疗卫生服务：健康档案、慢病随访、上门巡诊",
        "visits",
        "100000",
        "17260000.00",
    )
    .await
    .map_err(e)?;
    let cp = project(
        "居家养老服务",
        care_item.id,
        care_line.id,
        "铜官山区（据原文）",
        "居家养老上门服务：助餐、助洁、助医、陪护",
        "hours",
        "20000",
        "1496500.00",
    )
    .await
    .map_err(e)?;
    let contract = async |p: i64, org: i64, method: &str| {
        let n = so::NewContract {
            provider_org_id: s(&org.to_string()),
            method: method.into(),
            quantity_terms: "按年度目标服务量（示例）".into(),
            quality_terms: "服务对象满意度不低于90%（示例）".into(),
            settlement: "按季度依据已确认服务记录结算（示例）".into(),
            rights: "见合同第四条（示例）".into(),
            liability: "见合同第七条（示例）".into(),
            term_from: "2014-01-01".into(),
            term_to: "2014-12-31".into(),
            published_on: "2013-12-20".into(),
            ..Default::default()
        };
        so::contract(db, dept, p, n).await
    };
    contract(hp.id, health.id, "open_tender").await.map_err(e)?;
    contract(cp.id, care.id, "competitive_consultation").await.map_err(e)?;

    // Service records entered by the providers and confirmed by the community.
    let rec = async |p: i64, on: &str, visits: &str, hours: &str, people: &str, confirm: bool| {
        let n = so::NewRecord {
            done_on: on.into(),
            visits: s(visits),
            hours: s(hours),
            people: s(people),
            note: "（示例）".into(),
        };
        let r = so::report_service(db, "org#demo", p, n).await?;
        if confirm {
            let d = so::RecordDecision { decision: "confirm".into(), note: String::new() };
            so::decide_record(db, admin, r.id, d).await?;
        }
        Ok::<_, store::StoreError>(())
    };
    rec(hp.id, "2014-03-31", "25000", "0", "8000", true).await.map_err(e)?;
    rec(hp.id, "2014-06-30", "26000", "0", "8200", true).await.map_err(e)?;
    rec(hp.id, "2014-09-30", "24000", "0", "7900", false).await.map_err(e)?;
    rec(cp.id, "2014-03-31", "1200", "5000", "310", true).await.map_err(e)?;
    rec(cp.id, "2014-06-30", "1250", "5200", "320", false).await.map_err(e)?;
    let eval = async |p: i64, who: &str, score: &str| {
        let n = so::NewPurchaseEvaluation {
            stage: "mid".into(),
            evaluator: who.into(),
            score: s(score),
            comments: "服务按计划推进（示例）".into(),
        };
        so::evaluate_project(db, admin, p, n).await
    };
    eval(hp.id, "community", "88").await.map_err(e)?;
    eval(hp.id, "residents", "91").await.map_err(e)?;
    eval(cp.id, "residents", "86").await.map_err(e)?;

    // The service-purchase fund of 天井湖 receives the district's money, and the first
    // instalments are paid through the ledger against the confirmed records.
    store::finance::allocate(
        db,
        fin,
        store::finance::NewAllocation {
            community: COMMUNITY.into(),
            fund: "service_purchase".into(),
            amount: "5000000.00".into(),
            date: "2014-01-10".into(),
            memo: "2014年政府购买服务资金（示例）".into(),
            reference: "铜官山财〔2014〕3号（示例）".into(),
            key: "demo-orgs-2014".into(),
        },
    )
    .await
    .map_err(e)?;
    let pay = async |p: i64, amount: &str, on: &str| {
        so::pay(db, admin, p, so::NewPayment { amount: s(amount), paid_on: on.into() }).await
    };
    pay(hp.id, "4315000.00", "2014-04-15").await.map_err(e)?;
    pay(cp.id, "374125.00", "2014-04-15").await.map_err(e)?;

    // Everything above except the seed's amounts and names of the two services is invented.
    for t in ["orgs", "purchase_catalogue", "purchase_budget_lines", "purchase_projects"] {
        let q = format!("UPDATE {t} SET illustrative = 1");
        sqlx::query(sqlx::AssertSqlSafe(q)).execute(&db.pool).await?;
    }
    sqlx::query("UPDATE purchase_projects SET from_source = 1").execute(&db.pool).await?;
    Ok(())
}
