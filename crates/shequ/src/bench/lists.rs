//! `shequ bench lists`: the four lists at scale.

use super::row;
use anyhow::Result;

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

pub(super) async fn run(db: crate::cli::DbArgs, entries: usize, runs: usize) -> Result<()> {
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
