//! Party building with resident units in 天井湖, all illustrative (示例): the
//! committee's seats, a representative at last autumn's 居民会议, the liaison
//! log-in `unit` bound to 天井湖小学, three co-building agreements with their
//! commitments and fulfilment (a money fulfilment posted to the community's
//! operating fund), a cadre review, an evaluation of 2025 and one veto, whose
//! ground is the power station's shortfall on its service commitment in 2025.
//! The seed's 126 and 358 are shown as targets on the figures page (据原文).

use anyhow::{Result, anyhow};
use store::Db;
use store::party as pt;

const COMMUNITY: &str = "340705402";

pub(super) async fn load(db: &Db) -> Result<()> {
    let e = |e: store::StoreError| anyhow!("party demo: {e}");
    let units = store::structure::units(db, Some(COMMUNITY), None).await.map_err(e)?;
    let unit = |suffix: &str| {
        units.iter().find(|u| u.name.ends_with(suffix)).cloned().ok_or_else(|| anyhow!("party demo: no unit {suffix}"))
    };
    let (school, power, shop) = (unit("小学")?, unit("供电营业所")?, unit("超市有限公司")?);
    let district = school.district_code.clone();
    let s = |x: &str| Some(x.to_string());
    let admin = "admin#demo";

    pt::bind_liaison(
        db,
        admin,
        COMMUNITY,
        pt::NewLiaison { username: "unit".into(), unit_id: s(&school.id.to_string()) },
    )
    .await
    .map_err(e)?;

    // The committee: a full-time secretary and part-time members from two units.
    let seats = [
        ("周红（示例）", None, "secretary"),
        ("陆海（示例）", Some(&school), "member"),
        ("钱进（示例）", Some(&power), "member"),
    ];
    for (person, u, post) in seats {
        let n = pt::NewSeat {
            person: person.into(),
            unit_id: u.map(|u| u.id.to_string()),
            post: post.into(),
            term_from: "2024-01-01".into(),
            term_to: "2026-12-31".into(),
            appointment_ref: "铜官党工〔2024〕1号（示例）".into(),
        };
        pt::seat(db, admin, COMMUNITY, &district, n).await.map_err(e)?;
    }

    // The power station's representative at the community's last 居民会议 (rules §1.17).
    if let Some(m) = store::deliberation::meetings(db, Some(COMMUNITY), None).await.map_err(e)?.last() {
        let n = pt::NewRepresentative {
            meeting_id: s(&m.id.to_string()),
            unit_id: s(&power.id.to_string()),
            person: "孔亮（示例）".into(),
        };
        pt::add_representative(db, admin, COMMUNITY, n).await.map_err(e)?;
    }

    let agreement = async |u: &store::structure::Unit, title: &str, from: &str, to: &str, signed: &str| {
        let n = pt::NewAgreement {
            unit_id: s(&u.id.to_string()),
            title: title.into(),
            period_from: from.into(),
            period_to: to.into(),
            signed_on: signed.into(),
        };
        pt::sign(db, admin, COMMUNITY, n).await
    };
    // The 居民会议 that decided to seek co-building money from units (rules §1.14).
    let assembly = store::deliberation::meetings(db, Some(COMMUNITY), None)
        .await
        .map_err(e)?
        .into_iter()
        .find(|m| m.kind == store::deliberation::MeetingKind::Assembly)
        .map(|m| m.id.to_string());
    let commit = async |a: i64, kind: &str, what: &str, qty: &str, schedule: &str| {
        let n = pt::NewCommitment {
            kind: kind.into(),
            description: what.into(),
            quantity: s(qty),
            schedule: schedule.into(),
            fund: String::new(),
            decision_meeting_id: if kind == "money" { assembly.clone() } else { None },
            ..Default::default()
        };
        pt::commit(db, admin, a, n).await
    };
    let done = async |unit: i64, c: i64, on: &str, qty: &str, note: &str, confirm: bool| -> Result<()> {
        let n = pt::NewFulfilment {
            commitment_id: s(&c.to_string()),
            kind: String::new(),
            done_on: on.into(),
            quantity: s(qty),
            note: note.into(),
        };
        let f = pt::report(db, "unit#demo", unit, n).await.map_err(e)?;
        if confirm {
            let d = pt::FulfilmentDecision { decision: "confirm".into(), note: String::new() };
            pt::decide(db, admin, f.id, d).await.map_err(e)?;
        }
        Ok(())
    };

    let a = agreement(&school, "天井湖小学2026年度共驻共建协议（示例）", "2026-01-01", "2026-12-31", "2025-12-20")
        .await
        .map_err(e)?;
    let venue = commit(a.id, "venue", "学校操场节假日向居民开放", "400", "每周六、日 7:00—9:00").await.map_err(e)?;
    let tutors =
        commit(a.id, "volunteers", "教师志愿者为社区少年儿童课后辅导", "200", "每周三下午").await.map_err(e)?;
    done(school.id, venue.id, "2026-06-30", "180", "上半年开放（示例）", true).await?;
    done(school.id, tutors.id, "2026-06-30", "96", "上半年辅导（示例）", true).await?;
    done(school.id, tutors.id, "2026-11-30", "40", "秋季学期辅导（示例）", false).await?;

    let b = agreement(
        &power,
        "天井湖供电营业所2025—2026年度共驻共建协议（示例）",
        "2025-01-01",
        "2026-12-31",
        "2024-12-28",
    )
    .await
    .map_err(e)?;
    let money = commit(b.id, "money", "资助社区老年活动室改造", "20000", "分两年拨付").await.map_err(e)?;
    let repairs = commit(b.id, "services", "为老旧小区住户上门检修线路", "24", "每月一次").await.map_err(e)?;
    done(power.id, money.id, "2026-03-15", "5000", "第一笔资助（示例）", true).await?;
    done(power.id, repairs.id, "2025-05-20", "3", "上门检修（示例）", true).await?;

    let c = agreement(&shop, "天井湖超市2026年度共驻共建协议（示例）", "2026-01-01", "2026-12-31", "2026-01-08")
        .await
        .map_err(e)?;
    let goods = commit(c.id, "goods", "重阳节慰问困难老人物资", "100", "每年重阳节").await.map_err(e)?;
    commit(c.id, "jobs", "为社区就业困难居民提供岗位", "5", "全年").await.map_err(e)?;
    done(shop.id, goods.id, "2026-10-29", "100", "重阳节慰问（示例）", true).await?;

    // The community's year 2025: the power station fell short on its repairs.
    let evaluation = pt::NewEvaluation {
        unit_id: s(&power.id.to_string()),
        year: s("2025"),
        grade: "fair".into(),
        comments: "上门检修承诺履行不足，资助资金尚未到位（示例）".into(),
    };
    pt::evaluate(db, admin, Some(COMMUNITY), evaluation).await.map_err(e)?;
    let veto = pt::NewVeto {
        unit_id: s(&power.id.to_string()),
        year: s("2025"),
        statement: "2025年上门检修承诺仅履行3次，未达到应履行的12次（示例）".into(),
        grounds: vec![repairs.id],
    };
    pt::veto(db, admin, Some(COMMUNITY), veto).await.map_err(e)?;
    let review = pt::NewCadreReview {
        unit_id: s(&school.id.to_string()),
        cadre_name: "王某（示例）".into(),
        current_post: "副校长".into(),
        proposed_post: "校长".into(),
        review: "积极参与社区共建，组织教师志愿服务（示例）".into(),
        recommendation: "recommend".into(),
        reasons: "所在单位履行共建承诺良好（示例）".into(),
    };
    pt::review_cadre(db, admin, Some(COMMUNITY), review).await.map_err(e)?;
    Ok(())
}
