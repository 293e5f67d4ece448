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
    /// The four lists at scale: publishes a new version of each list with N entries into the
    /// database, then times the public list pages' store path (`lists::in_force`, one list's
    /// versions) and the automatic checks (`lists::check`) of one application.
    Lists {
        #[command(flatten)]
        db: crate::cli::DbArgs,
        #[arg(long, default_value_t = 5_000)]
        entries: usize,
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Durable case intake over HTTP: N concurrent clients post cases through the front-desk
    /// JSON API, the front-desk form and Open311 for a few seconds each, beside the machine's own
    /// bound for one-row durable transactions measured first in the same run.
    Intake {
        /// Default: a fresh SQLite file in a temporary directory, loaded with the tiny demo.
        #[arg(long)]
        db: Option<String>,
        #[arg(long, default_value_t = 64)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// The service center's reading pages at city scale: seeds N cases (with their tallies) into
    /// the database, then times the back-office queue pages, the statistics and the league table,
    /// at the store and over HTTP through the real server (p50/p95/max).
    Cases {
        /// Default: a fresh SQLite file in a temporary directory, loaded with the tiny demo.
        #[arg(long)]
        db: Option<String>,
        #[arg(long, default_value_t = 1_000_000)]
        cases: usize,
        #[arg(long, default_value_t = 300)]
        requests: usize,
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

/// A deterministic Chinese title for generated list entries.
fn bench_title(i: usize) -> String {
    const POOL: &[char] = &[
        '协', '助', '开', '展', '社', '区', '居', '民', '安', '全', '卫', '生', '环', '境', '治', '理', '服', '务',
        '调', '查', '统', '计', '检', '查', '台', '账', '报', '表', '宣', '传', '培', '训', '登', '记', '核', '实',
        '消', '防', '防', '汛', '救', '助', '养', '老', '托', '育', '就', '业', '文', '化', '体', '育', '法', '律',
    ];
    let mut x = (i as u64).wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut t = String::from("协助");
    for _ in 0..(4 + i % 5) {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        t.push(POOL[(x >> 33) as usize % POOL.len()]);
    }
    t.push_str("工作");
    t
}

fn bench_entry(kind: lists::ListKind, i: usize) -> lists::Entry {
    use lists::{ListKind, Terms};
    let terms = match kind {
        ListKind::Exit => Terms::Exit { scope: lists::ExitScope::Always },
        ListKind::Duty => Terms::Duty,
        ListKind::Assistance => Terms::Assistance(lists::AssistanceTerms {
            standard_fen: 100_000 + (i as i64 % 50) * 1_000,
            basis: lists::FundingBasis::PerCommunityPerYear,
            paying_department: format!("铜陵市第{}局", i % 40),
        }),
        ListKind::AssessmentAccess => Terms::Assessment(lists::AssessmentTerms {
            origin_level: if i % 2 == 0 { lists::GovLevel::National } else { lists::GovLevel::Provincial },
            max_times_per_year: 1 + (i % 3) as u32,
            max_duration_days: 5 + (i % 10) as u32,
            content_scope: vec!["台账".into(), "现场".into()],
        }),
    };
    let code = format!("B{}-{i:05}", store::lists::kind_code(kind).chars().next().unwrap_or('x').to_ascii_uppercase());
    lists::Entry {
        code,
        title: bench_title(i + 100_000 * kind as usize),
        legal_basis: "bench".into(),
        item_type: lists::ItemType::ALL[i % lists::ItemType::ALL.len()],
        department: format!("铜陵市第{}局", i % 40),
        source: "bench (generated)".into(),
        terms,
    }
}

pub(crate) fn row(name: &str, times: &mut [f64]) {
    times.sort_by(|a, b| a.total_cmp(b));
    println!("| {name} | {:.2} | {:.2} | {:.2} |", pct(times, 0.5), pct(times, 0.95), times[times.len() - 1]);
}

pub async fn run(cmd: BenchCmd) -> Result<()> {
    match cmd {
        BenchCmd::Intake { db, clients, seconds } => crate::bench_intake::run(db, clients, seconds).await,
        BenchCmd::Cases { db, cases, requests } => crate::bench_cases::run(db, cases, requests).await,
        BenchCmd::Lists { db, entries, runs } => {
            let db = crate::cli::open(&db).await?;
            let e = |e: store::StoreError| anyhow::anyhow!("{e}");
            let today = store::clock::today();
            let le = |e: lists::ListsError| anyhow::anyhow!("{e}");
            // Seed: a new published version of each list, the one in force plus generated entries.
            let t = std::time::Instant::now();
            for kind in lists::ListKind::ALL {
                let rows = store::lists::versions(&db, Some(kind)).await.map_err(e)?;
                let next = rows.iter().map(|r| r.version).max().unwrap_or(0) as u32 + 1;
                let mut v = match rows.iter().find(|r| r.status == store::lists::VersionStatus::Published) {
                    Some(r) => {
                        let mut d = r.parse().map_err(e)?.next_draft();
                        while d.version() < next {
                            d = d.next_draft();
                        }
                        d
                    }
                    None => lists::ListVersion::draft(kind, next, "bench"),
                };
                let mut i = 0;
                while v.entries().len() < entries {
                    v.add(bench_entry(kind, i)).map_err(le)?;
                    i += 1;
                }
                v.review("bench").map_err(le)?;
                v.publish(today).map_err(le)?;
                store::lists::save_version(&db, "bench", &v, false).await.map_err(e)?;
            }
            println!("seeded 4 lists × {entries} entries in {:.1} s\n", t.elapsed().as_secs_f64());

            let app_input = store::lists::NewApplication {
                department: "铜官区民政局".into(),
                kind: "work_task".into(),
                title: "协助做好优抚救济工作".into(),
                description: "入户核查优抚对象情况".into(),
                legal_basis: "居组法 Art 3".into(),
                claimed_entry: "AS-004".into(),
                targets: "all".into(),
                duration_days: "365".into(),
                funding_yuan: "10000".into(),
                paying_department: "铜陵市民政局".into(),
                ..Default::default()
            };
            let who = store::lists::Applicant {
                actor: "bench".into(),
                department: "铜官区民政局".into(),
                level: lists::DeptLevel::District,
                district: Some("340705".into()),
            };
            println!("| path | p50 ms | p95 ms | max ms |\n|---|---|---|---|");
            let mut times = Vec::with_capacity(runs);
            let mut lif = None;
            for _ in 0..runs {
                let t = std::time::Instant::now();
                let l = store::lists::in_force(&db, today).await.map_err(e)?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                lif = Some(l);
            }
            row("`/lists`: `store::lists::in_force` (load, parse, index the 4 lists)", &mut times);
            let lif = lif.ok_or_else(|| anyhow::anyhow!("no runs"))?;
            let mut times = Vec::with_capacity(runs);
            for _ in 0..runs {
                let t = std::time::Instant::now();
                let rows = store::lists::versions(&db, Some(lists::ListKind::Exit)).await.map_err(e)?;
                for r in rows.iter().filter(|r| r.status == store::lists::VersionStatus::Published) {
                    std::hint::black_box(r.parse().map_err(e)?);
                }
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            row("`/lists/exit`: `store::lists::versions` + parse every published version", &mut times);
            let app = store::lists::parse_application(&db, &lif, &who, &app_input, today).await.map_err(e)?;
            let history = lists::AssessmentHistory::default();
            let mut times = Vec::with_capacity(runs);
            let mut verdict = None;
            for _ in 0..runs {
                let t = std::time::Instant::now();
                let r = lists::check(&app, &lif, &history, today);
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                verdict = Some(r.verdict);
            }
            row("`lists::check` of one assistance application (incl. title similarity)", &mut times);
            println!("\nverdict of the benchmarked application: {verdict:?}");
            Ok(())
        }
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
