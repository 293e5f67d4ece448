//! `shequ bench …`: measured figures for BENCHMARKS.md (run in release).

use anyhow::Result;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum BenchCmd {
    /// Residents list page and search at the loaded scale: server-side latency percentiles.
    Residents {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long, default_value_t = 300)]
        requests: usize,
    },
    /// Single-claim approvals per second (each: one durable transaction posting to the ledger),
    /// beside the machine's durable-write bound (empty write transactions per second).
    /// Run against a fresh `demo --scale small` database.
    Finance {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long, default_value_t = 300)]
        claims: usize,
    },
    /// Write a residents CSV of N rows with valid ID numbers (input for timing `residents import`).
    ResidentsFile {
        #[arg(long, default_value_t = 740_000)]
        rows: usize,
        #[arg(long)]
        to: std::path::PathBuf,
    },
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

pub async fn run(cmd: BenchCmd) -> Result<()> {
    match cmd {
        BenchCmd::Finance { db, claims } => {
            let db = crate::cli::open(&db).await?;
            let community = "340705403";
            let e = |e: store::StoreError| anyhow::anyhow!("{e}");
            let admin = store::users::by_username(&db, "admin_yh")
                .await?
                .ok_or_else(|| anyhow::anyhow!("run on a demo database"))?;
            // The durable-write bound: the cheapest write transaction, committed with a full fsync.
            let n = claims;
            let t = std::time::Instant::now();
            for _ in 0..n {
                let mut tx = db.begin().await?;
                store::audit::append(
                    &mut tx,
                    store::audit::Entry {
                        actor: "bench",
                        action: "bench.noop",
                        entity: "bench",
                        entity_id: "0",
                        community_code: None,
                        district_code: None,
                        change: serde_json::json!({}),
                    },
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
        BenchCmd::ResidentsFile { rows, to } => {
            let mut seen = std::collections::HashSet::with_capacity(rows);
            let groups: Vec<String> = (1..=8).map(|g| format!("第{g}居民小组")).collect();
            let inputs = crate::demo::generate_inputs(1_000_003, rows, &groups, &mut seen);
            let mut w = csv::Writer::from_path(&to)?;
            w.write_record(["姓名", "身份证号", "户号", "楼栋", "住址", "电话", "户籍", "迁入日期", "居民小组"])?;
            for r in &inputs {
                w.write_record([
                    &r.name,
                    &r.id_number,
                    &r.household,
                    &r.building,
                    &r.address,
                    &r.phone,
                    &r.hukou,
                    &r.moved_in,
                    &r.group,
                ])?;
            }
            w.flush()?;
            println!("wrote {rows} residents to {}", to.display());
            Ok(())
        }
        BenchCmd::Residents { db, requests } => {
            let db = crate::cli::open(&db).await?;
            let communities = store::structure::communities(&db, None).await?;
            let total = store::residents::count(&db).await?;
            println!("residents in database: {total}");
            let cases: Vec<(&str, Box<dyn Fn(usize) -> store::residents::Filter>)> = vec![
                (
                    "community list, first page",
                    Box::new(|i| store::residents::Filter {
                        community: Some(communities[i % communities.len()].code.clone()),
                        ..Default::default()
                    }),
                ),
                (
                    "community list, deep page",
                    Box::new(|i| store::residents::Filter {
                        community: Some(communities[i % communities.len()].code.clone()),
                        after: Some((i as i64 * 7919) % total.max(1)),
                        ..Default::default()
                    }),
                ),
                (
                    "district list (all 23)",
                    Box::new(|_| store::residents::Filter { district: Some("340705".into()), ..Default::default() }),
                ),
                (
                    "search by name prefix",
                    Box::new(|i| store::residents::Filter {
                        community: Some(communities[i % communities.len()].code.clone()),
                        q: Some(["王", "李芳", "陈", "张伟"][i % 4].into()),
                        ..Default::default()
                    }),
                ),
                (
                    "search by building",
                    Box::new(|i| store::residents::Filter {
                        community: Some(communities[i % communities.len()].code.clone()),
                        building: Some(format!("{}栋", 1 + i % 50)),
                        ..Default::default()
                    }),
                ),
            ];
            println!("| query | p50 ms | p95 ms | max ms |\n|---|---|---|---|");
            for (name, make) in cases {
                let mut times = Vec::with_capacity(requests);
                for i in 0..requests {
                    let f = make(i);
                    let t = std::time::Instant::now();
                    let _ = store::residents::list(&db, &f).await?;
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                times.sort_by(|a, b| a.total_cmp(b));
                println!(
                    "| {name} | {:.2} | {:.2} | {:.2} |",
                    pct(&times, 0.5),
                    pct(&times, 0.95),
                    times[times.len() - 1]
                );
            }
            if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
                for line in status
                    .lines()
                    .filter(|l| l.starts_with("VmRSS") || l.starts_with("RssAnon") || l.starts_with("RssFile"))
                {
                    println!("process {line}");
                }
            }
            Ok(())
        }
    }
}
