//! `shequ bench restore`: what a server process does at start-up before it
//! can answer a finance request — rebuild the in-memory ledger from the
//! stored books (every posting replayed through the engine's checks) — at
//! N stored postings. Seeds copies of the demo's first district allocation
//! (balanced, one fen each, dated after every closing) straight into
//! `fin_transactions`/`fin_postings`, then times a fresh connection's first read.

use anyhow::{Result, anyhow};
use store::sql::{Sql, Val};

pub(super) async fn run(db: crate::cli::DbArgs, postings: usize) -> Result<()> {
    let args = db;
    let db = crate::cli::open(&args).await?;
    let template: Option<(i64, String)> =
        sqlx::query_as("SELECT id, tx_date FROM fin_transactions WHERE reverses IS NULL ORDER BY id LIMIT 1")
            .fetch_optional(&db.pool)
            .await?;
    let (tx, date) = template.ok_or_else(|| anyhow!("run on a demo database (it has no ledger transaction)"))?;
    type Line = (String, i64, String, String, Option<String>, String);
    let lines: Vec<Line> = sqlx::query_as(
        "SELECT account_code, amount_fen, fund, fund_ref, community_code, district_code FROM fin_postings WHERE tx_id = $1 ORDER BY line",
    )
    .bind(tx)
    .fetch_all(&db.pool)
    .await?;
    let per_tx = lines.len().max(1);
    let have: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM fin_postings").fetch_one(&db.pool).await?;
    let wanted = postings.saturating_sub(have as usize) / per_tx;
    let first: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM fin_transactions")
        .fetch_one(&db.pool)
        .await?;
    let t = std::time::Instant::now();
    let now = store::clock::now_text();
    // The postings as the writer folds them beside the transaction (as in the loop below: one fen each when two lines).
    let amount = |a: i64| if lines.len() == 2 { a.signum() } else { a };
    let packed = store::finance::pack(
        lines
            .iter()
            .map(|(acc, a, f, r, c, d)| (acc.as_str(), amount(*a), f.as_str(), r.as_str(), c.as_deref(), d.as_str())),
    );
    for chunk in (0..wanted).collect::<Vec<_>>().chunks(2_000) {
        let mut txn = db.begin().await?;
        let mut q = Sql::new(
            db.dialect,
            "INSERT INTO fin_transactions (id, idem_key, tx_date, memo, reference, reverses, community_code, district_code, actor, created_at, postings)",
        );
        q.values(chunk, |&i| {
            let id = first + 1 + i as i64;
            let (c, d) = (lines[0].4.clone(), lines[0].5.clone());
            vec![
                id.into(),
                format!("bench-restore-{id}").into(),
                date.as_str().into(),
                "bench".into(),
                Val::Text(None),
                Val::Int(None),
                c.into(),
                d.into(),
                "bench".into(),
                now.as_str().into(),
                packed.as_str().into(),
            ]
        });
        q.query().execute(&mut *txn).await?;
        let rows: Vec<(i64, usize)> =
            chunk.iter().flat_map(|&i| (0..lines.len()).map(move |l| (first + 1 + i as i64, l))).collect();
        for part in rows.chunks(3_000) {
            let mut q = Sql::new(
                db.dialect,
                "INSERT INTO fin_postings (tx_id, line, account_code, amount_fen, fund, fund_ref, tx_date, community_code, district_code)",
            );
            q.values(part, |&(id, l)| {
                let (account, fen, fund, fund_ref, c, d) = &lines[l];
                vec![
                    id.into(),
                    (l as i64).into(),
                    account.as_str().into(),
                    amount(*fen).into(),
                    fund.as_str().into(),
                    fund_ref.as_str().into(),
                    date.as_str().into(),
                    c.clone().into(),
                    d.as_str().into(),
                ]
            });
            q.query().execute(&mut *txn).await?;
        }
        txn.commit().await?;
    }
    let total: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM fin_postings").fetch_one(&db.pool).await?;
    println!("seeded {} transactions in {:.1} s; {total} postings stored", wanted, t.elapsed().as_secs_f64());
    drop(db);

    // A fresh process's view: connect, migrate, and the first read rebuilds the ledger.
    for run in 1..=3 {
        let t = std::time::Instant::now();
        let fresh = crate::cli::open(&args).await?;
        let opened = t.elapsed();
        let n = store::finance::read(&fresh, |l| l.transactions().iter().map(|t| t.postings.len()).sum::<usize>())
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let items = store::cases::items(&fresh).await.map_err(|e| anyhow!("{e}"))?.len();
        println!(
            "run {run}: connect + migrations {:.0} ms; ledger rebuilt from {n} postings and {items} catalogue items cached: {:.2} s in all",
            opened.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
