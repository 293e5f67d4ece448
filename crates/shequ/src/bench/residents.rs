//! `shequ bench residents` and `residents-file`: the residents list and search
//! at the loaded scale, and a generated residents file for timing imports.

use super::pct;
use anyhow::Result;

pub(super) fn write_file(rows: usize, to: std::path::PathBuf) -> Result<()> {
    let mut seen = std::collections::HashSet::with_capacity(rows);
    let groups: Vec<String> = (1..=8).map(|g| format!("第{g}居民小组")).collect();
    let inputs = crate::demo::generate_inputs(1_000_003, rows, &groups, &mut seen);
    let mut w = csv::Writer::from_path(&to)?;
    w.write_record([
        "姓名",
        "身份证号",
        "户号",
        "楼栋",
        "住址",
        "电话",
        "户籍",
        "迁入日期",
        "居民小组",
        "监护人",
        "监护关系",
    ])?;
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
            &r.guardian_name,
            &r.guardian_relation,
        ])?;
    }
    w.flush()?;
    println!("wrote {rows} residents to {}", to.display());
    Ok(())
}

pub(super) async fn run(db: crate::cli::DbArgs, requests: usize) -> Result<()> {
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
        println!("| {name} | {:.2} | {:.2} | {:.2} |", pct(&times, 0.5), pct(&times, 0.95), times[times.len() - 1]);
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        for line in
            status.lines().filter(|l| l.starts_with("VmRSS") || l.starts_with("RssAnon") || l.starts_with("RssFile"))
        {
            println!("process {line}");
        }
    }
    Ok(())
}
