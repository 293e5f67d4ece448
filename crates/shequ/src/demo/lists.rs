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
    Ok(())
}
