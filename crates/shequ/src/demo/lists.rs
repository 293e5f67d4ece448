//! The four lists and a department's task pushed without access approval.

use anyhow::{Result, anyhow};
use store::Db;

/// The four lists (illustrative, rules §3c examples) and one task a department
/// pushed onto 天井湖 without an access approval, so that refusal can be tried.
pub(super) async fn load(db: &Db) -> Result<()> {
    let e = |e: store::StoreError| anyhow!("{e}");
    store::lists::seed_demo(db).await.map_err(e)?;
    store::lists::record_push(
        db,
        "demo",
        None,
        store::lists::NewPush {
            community: "340705402".into(),
            department: "铜官区某局（示例）".into(),
            title: "填报辖区商户经营情况统计表（未经准入）".into(),
            kind: "ledger_report".into(),
            ..Default::default()
        },
    )
    .await
    .map_err(e)?;
    earlier_pushes(db).await
}

/// Work departments pushed onto communities in the months before (invented: each department is
/// marked 示例), so that the dashboard's burden over time has months to draw. Each is dated back
/// by whole months from now. One, the plaque, the community refused a month ago, so the burden
/// chart shows work ending as well as arriving (its refusal and `ended_at` dated back with it).
async fn earlier_pushes(db: &Db) -> Result<()> {
    // (community, department, title, kind, months ago, refused this many months ago)
    type Push = (&'static str, &'static str, &'static str, &'static str, i64, Option<i64>);
    const PUSHES: &[Push] = &[
        ("340705401", "铜官区某局（示例）", "报送辖区出租房屋台账", "ledger_report", 4, None),
        ("340705402", "铜官区某局（示例）", "迎接创建活动考核评比", "assessment", 3, None),
        ("340705403", "铜官区某办（示例）", "挂牌设立工作站", "plaque", 3, Some(1)),
        ("340705404", "铜官区某局（示例）", "开展专项入户调查", "survey", 2, None),
        ("340705402", "铜官区某办（示例）", "报送季度工作报表", "ledger_report", 1, None),
    ];
    let ago = |months: i64| store::clock::text(time::OffsetDateTime::now_utc() - time::Duration::days(30 * months));
    for (community, department, title, kind, months, refused) in PUSHES {
        let t = store::lists::record_push(
            db,
            "demo",
            None,
            store::lists::NewPush {
                community: (*community).into(),
                department: (*department).into(),
                title: (*title).into(),
                kind: (*kind).into(),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
        sqlx::query("UPDATE community_tasks SET created_at = $1 WHERE id = $2")
            .bind(ago(*months))
            .bind(t.id)
            .execute(&db.pool)
            .await?;
        if let Some(r) = refused {
            let note = "未经准入，社区拒绝执行（示例）".to_string();
            store::lists::refuse(db, "demo", t.id, store::lists::Refusal { note, ..Default::default() })
                .await
                .map_err(|e| anyhow!("{e}"))?;
            sqlx::query("UPDATE community_tasks SET ended_at = $1 WHERE id = $2")
                .bind(ago(*r))
                .bind(t.id)
                .execute(&db.pool)
                .await?;
            sqlx::query("UPDATE task_refusals SET created_at = $1 WHERE task_id = $2")
                .bind(ago(*r))
                .bind(t.id)
                .execute(&db.pool)
                .await?;
        }
    }
    Ok(())
}
