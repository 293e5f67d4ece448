//! Resident deliberation (topics, meetings, resolutions) and stewards.

use anyhow::{Result, anyhow};
use store::Db;
use time::Duration;

/// Resident deliberation and stewards in 天井湖: two topics, last autumn's
/// 居民会议 (validly held, one resolution passed, which closes the important
/// question), an upcoming 议事会, and the demo resident as approved steward
/// of 1栋. Needs the resident link made by `budgeting`.
pub(super) async fn load(db: &Db) -> Result<()> {
    use store::deliberation::{
        self as dl, Attendance, Close, Minutes, NewFollowup, NewMeeting, NewResolution, NewTopic,
    };
    use store::stewards::{self as sw, Decision, NewIssue, Volunteer};
    let e = |e: store::StoreError| anyhow!("{e}");
    let community = "340705402";
    let parking = dl::create_topic(
        db,
        "admin#demo",
        community,
        NewTopic {
            title: "小区公共停车位划线与收费办法".into(),
            description: "新增停车位的划线方案和收费标准，收入用于小区公共设施维护".into(),
            raised_by_kind: "committee".into(),
            raised_by_name: "天井湖社区居民委员会".into(),
            important: Some("on".into()),
        },
    )
    .await
    .map_err(e)?;
    let corridor = dl::create_topic(
        db,
        "resident#demo",
        community,
        NewTopic {
            title: "1栋楼道堆物清理与电动车充电".into(),
            description: "楼道内堆放杂物、电动车入户充电存在消防隐患，建议集中清理并设置充电桩".into(),
            raised_by_kind: "resident".into(),
            raised_by_name: "刘洋（居民）".into(),
            important: None,
        },
    )
    .await
    .map_err(e)?;
    let totals = dl::totals(db, community).await.map_err(e)?;
    let assembly = dl::create_meeting(
        db,
        "admin#demo",
        community,
        NewMeeting {
            kind: "assembly".into(),
            title: "2025年秋季居民会议（户代表）".into(),
            held_on: "2025-10-18".into(),
            base_kind: "households".into(),
            base_count: None,
            topics: vec![parking.id],
        },
    )
    .await
    .map_err(e)?;
    let present = totals.households / 2 + 1 + totals.households / 10;
    dl::record_attendance(
        db,
        "admin#demo",
        assembly.id,
        Attendance { present: Some(present.to_string()), attendees: String::new() },
    )
    .await
    .map_err(e)?;
    dl::record_minutes(
        db,
        "admin#demo",
        assembly.id,
        Minutes {
            minutes: "居委会主任报告停车位划线方案；户代表分组讨论后表决。收费标准每月60元，收入专户管理、每季度公开。"
                .into(),
        },
    )
    .await
    .map_err(e)?;
    let yes = present * 2 / 3 + 1;
    let resolution = dl::resolve(
        db,
        "admin#demo",
        assembly.id,
        NewResolution {
            motion: "通过停车位划线方案，收费每月60元，收入专户管理".into(),
            topic_id: Some(parking.id.to_string()),
            yes: Some(yes.min(present).to_string()),
            no: Some((present - yes.min(present)).min(2).to_string()),
            abstain: Some("0".into()),
        },
    )
    .await
    .map_err(e)?;
    dl::close_topic(
        db,
        "admin#demo",
        parking.id,
        Close { resolution_id: Some(resolution.id.to_string()), note: "按居民会议决议实施".into() },
    )
    .await
    .map_err(e)?;
    let followup = dl::create_followup(
        db,
        "admin#demo",
        community,
        NewFollowup {
            title: "停车位划线施工并公示收费账目".into(),
            owner: "社区居委会环境和物业管理委员".into(),
            due_on: "2025-12-31".into(),
            resolution_id: Some(resolution.id.to_string()),
        },
    )
    .await
    .map_err(e)?;
    dl::followup_done(db, "admin#demo", followup.id, Default::default()).await.map_err(e)?;
    dl::create_meeting(
        db,
        "admin#demo",
        community,
        NewMeeting {
            kind: "council".into(),
            title: "居民议事会：楼道安全".into(),
            held_on: (store::clock::today() + Duration::days(14)).to_string(),
            base_kind: String::new(),
            base_count: Some("11".into()),
            topics: vec![corridor.id],
        },
    )
    .await
    .map_err(e)?;
    let resident_user =
        store::users::by_username(db, "resident").await.map_err(e)?.ok_or_else(|| anyhow!("demo resident"))?;
    let steward = sw::volunteer(
        db,
        "resident#demo",
        resident_user.id,
        community,
        Volunteer { area: "1栋".into(), motivation: "退休教师，住在1栋二十年".into() },
    )
    .await
    .map_err(e)?;
    sw::decide(db, "admin#demo", steward.id, Decision { decision: "approve".into(), note: String::new() })
        .await
        .map_err(e)?;
    sw::raise_issue(
        db,
        "resident#demo",
        resident_user.id,
        community,
        NewIssue {
            title: "1栋单元门门禁损坏".into(),
            description: "二单元门禁无法关闭已一周".into(),
            building: "1栋".into(),
            steward_id: None,
        },
    )
    .await
    .map_err(e)?;
    Ok(())
}
