//! `shequ bench finance`: single-claim approvals beside the durable-write bound.

use anyhow::Result;

pub(super) async fn run(db: crate::cli::DbArgs, claims: usize) -> Result<()> {
    let db = crate::cli::open(&db).await?;
    let community = "340705403";
    let e = |e: store::StoreError| anyhow::anyhow!("{e}");
    let admin =
        store::users::by_username(&db, "admin_yh").await?.ok_or_else(|| anyhow::anyhow!("run on a demo database"))?;
    // The durable-write bound: the cheapest write transaction, committed with a full fsync.
    let n = claims;
    let t = std::time::Instant::now();
    for _ in 0..n {
        let mut tx = db.begin().await?;
        store::audit::record(
            &mut tx,
            "bench",
            "bench.noop",
            "bench",
            "0",
            store::audit::Scope::CITY,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
    }
    let bound = n as f64 / t.elapsed().as_secs_f64();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let c = store::finance::file_claim(
            &db,
            "bench",
            0,
            "bench",
            community,
            store::finance::NewClaim {
                payee: format!("供应商{i}"),
                amount: "1".into(),
                purpose: "办公用品".into(),
                fund: String::new(),
                key: format!("bench-claim-{i}-{}", std::process::id()),
            },
            None,
        )
        .await
        .map_err(e)?;
        ids.push(c.id);
    }
    let t = std::time::Instant::now();
    for id in &ids {
        store::finance::approve(&db, "bench", admin.id, store::finance::Stage::Head, *id).await.map_err(e)?;
    }
    let rate = n as f64 / t.elapsed().as_secs_f64();
    let postings =
        store::finance::read(&db, |l| l.transactions().iter().map(|t| t.postings.len()).sum::<usize>()).await?;
    println!("durable-write bound: {bound:.0} write transactions/s (one audit append each, synchronous=FULL)");
    println!(
        "single-claim approvals: {rate:.0}/s ({n} claims, each paid on approval: 4 postings, audit entry, claim update)"
    );
    println!("postings in the ledger now: {postings}");
    Ok(())
}
