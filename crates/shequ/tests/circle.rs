//! `shequ circle nearest`, the real binary, against the references in the shared OSM data
//! directory: every node's `dist_scipy_m` to 1e-3 m with facilities given by `node_id` and by
//! `lon,lat`; and the bad inputs, each refused with an error that names what is wrong.
//! No database is involved, so this suite runs once, not per backend.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `SHEQU_OSM_DIR` if set, else `../../../shared/data/osm` from the crate, else
/// `/work/shared/data/osm`; a loud skip when missing (a failure under CI).
fn data_dir() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("SHEQU_OSM_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/osm"),
            PathBuf::from("/work/shared/data/osm"),
        ],
    };
    let found = candidates.into_iter().find(|d| d.join("porto.osm.pbf").is_file());
    if found.is_none() {
        common::skip("OSM reference data (SHEQU_OSM_DIR)");
    }
    found
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shequ-circle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn shequ(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shequ")).args(args).output().expect("run shequ")
}

fn nearest(osm: &Path, facilities: &Path) -> Output {
    shequ(&[
        "circle",
        "nearest",
        "--osm",
        osm.to_str().unwrap(),
        "--facilities",
        facilities.to_str().unwrap(),
        "--max-m",
        "1200",
    ])
}

fn csv(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_string).collect();
    lines.map(|l| header.iter().cloned().zip(l.split(',').map(str::to_string)).collect()).collect()
}

/// The binary's output equals the reference: same nodes in the same order, each distance within
/// 1e-3 m of `dist_scipy_m`, empty exactly where the reference is empty.
fn check_output(dir: &Path, name: &str, out: &Output) {
    assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("node_id,dist_m"));
    let got: Vec<&str> = lines.collect();
    let want = csv(&dir.join(format!("reference_{name}.csv")));
    let nodes = match name {
        "porto" => 12_079,
        _ => 5_841,
    };
    assert_eq!((got.len(), want.len()), (nodes, nodes), "{name}: one line per walking-graph node");
    for (line, row) in got.iter().zip(&want) {
        let (id, d) = line.split_once(',').unwrap();
        assert_eq!(id, row["node_id"]);
        let w = &row["dist_scipy_m"];
        if w.is_empty() || d.is_empty() {
            assert_eq!((d, w.as_str()), ("", ""), "{name}: node {id}");
        } else {
            let (d, w): (f64, f64) = (d.parse().unwrap(), w.parse().unwrap());
            assert!((d - w).abs() <= 1e-3, "{name}: node {id}: {d} vs scipy {w}");
        }
    }
}

#[test]
fn nearest_by_node_id_matches_scipy_on_porto() {
    let Some(dir) = data_dir() else { return };
    // The node_id form, with a column to ignore.
    let mut f = String::from("name,node_id\n");
    for r in csv(&dir.join("reference_porto_facilities.csv")) {
        f += &format!("设施{},{}\n", r["facility_rank"], r["node_id"]);
    }
    let path = temp("porto_nodes.csv");
    std::fs::write(&path, f).unwrap();
    check_output(&dir, "porto", &nearest(&dir.join("porto.osm.pbf"), &path));
    // The reference's own file has both forms: node_id is taken.
    check_output(&dir, "porto", &nearest(&dir.join("porto.osm.pbf"), &dir.join("reference_porto_facilities.csv")));
}

#[test]
fn nearest_by_lon_lat_matches_scipy_on_helsinki() {
    let Some(dir) = data_dir() else { return };
    // The lon,lat form, columns in another order, with a column to ignore.
    let mut f = String::from("lat,kind,lon\n");
    for r in csv(&dir.join("reference_helsinki_facilities.csv")) {
        f += &format!("{},health,{}\n", r["lat"], r["lon"]);
    }
    let path = temp("helsinki_lonlat.csv");
    std::fs::write(&path, f).unwrap();
    check_output(&dir, "helsinki", &nearest(&dir.join("helsinki.osm.pbf"), &path));
}

/// Runs the binary on a bad input: it fails, prints nothing on stdout, and says what is wrong.
fn refused(osm: &Path, facilities: &str, expect: &[&str]) {
    let path = temp("bad_facilities.csv");
    std::fs::write(&path, facilities).unwrap();
    let out = nearest(osm, &path);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "accepted: {facilities}");
    assert!(out.stdout.is_empty(), "printed something for {facilities}");
    assert!(!err.contains("panicked"), "{err}");
    for e in expect {
        assert!(err.contains(e), "{err:?} does not say {e:?}");
    }
}

#[test]
fn bad_inputs_are_refused_with_what_is_wrong() {
    let Some(dir) = data_dir() else { return };
    let porto = dir.join("porto.osm.pbf");
    let ok = "node_id\n25620516\n";
    // A truncated extract, a text file and an XML file given as the extract.
    let bytes = std::fs::read(dir.join("helsinki.osm.pbf")).unwrap();
    let cut = temp("cut.osm.pbf");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    refused(&cut, ok, &["truncated", "文件不完整", "cut.osm.pbf"]);
    refused(&dir.join("reference_porto.csv"), ok, &["not an OpenStreetMap PBF file", "不是 OpenStreetMap PBF 文件"]);
    let xml = temp("x.osm");
    std::fs::write(&xml, "<?xml version='1.0'?>\n<osm version='0.6'/>\n").unwrap();
    refused(&xml, ok, &["OSM XML"]);
    refused(&temp("missing.osm.pbf"), ok, &["reading", "missing.osm.pbf"]);
    // Facilities: a node that is not on the walking graph (a building's node), a wrong id.
    refused(
        &porto,
        "node_id\n25620516\n1\n",
        &["line 3", "node 1 is not a node of the walking graph", "节点 1 不在步行路网中"],
    );
    refused(&porto, "node_id\nabc\n", &["line 2", "not an integer"]);
    // Coordinates swapped, projected (metres, EPSG:3857), off the network, not numbers.
    refused(&porto, "lon,lat\n41.1499575,-8.6140445\n", &["line 2", "look swapped", "写反"]);
    refused(&porto, "lon,lat\n-958893.2,5034038.6\n", &["not WGS 84", "投影坐标"]);
    refused(&porto, "lon,lat\n-8.70,41.15\n", &["off the network", "不在路网范围内"]);
    refused(&porto, "lon,lat\n-8.61,north\n", &["line 2", "lat", "not a number"]);
    // No usable column, no rows.
    refused(&porto, "x,y\n-8.61,41.15\n", &["node_id", "lon and lat"]);
    refused(&porto, "node_id\n", &["no facilities"]);
}

/// Rows of a table (the test's own counting, on either database).
async fn count(db: &store::Db, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")))
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_imported_network_is_stored_whole_and_reads_back_the_same() {
    let Some(dir) = data_dir() else { return };
    let x = circle::Extract::from_pbf(&std::fs::read(dir.join("helsinki.osm.pbf")).unwrap(), 2).unwrap();
    let g = &x.graph;
    for (backend, url) in common::backends().await {
        let db = store::Db::connect(&url, store::seal::Seal::new([42; 32])).await.unwrap();
        db.migrate().await.unwrap();
        let mut rows = 0;
        let net =
            store::circle::import_network(&db, "test", "helsinki", "helsinki.osm.pbf", g, &x.places, |n| rows += n)
                .await
                .unwrap();
        assert_eq!(rows, g.node_count() + g.edge_count() + x.places.len(), "{backend}: progress counts every row");
        // Helsinki: 469 buildings (433 ways, 36 nodes), 1,089 amenities (1,006 nodes, 83 ways).
        assert_eq!(store::circle::place_counts(&db, net.id).await.unwrap(), (469, 1_089), "{backend}");
        let (back_net, back) = store::circle::load_network(&db, "helsinki").await.unwrap().unwrap();
        assert_eq!(back_net, net, "{backend}");
        assert_eq!((&back.ids, &back.lon, &back.lat), (&g.ids, &g.lon, &g.lat), "{backend}: nodes exact");
        assert_eq!((&back.edge_u, &back.edge_v, &back.edge_m), (&g.edge_u, &g.edge_v, &g.edge_m), "{backend}: edges");
        let sources: Vec<u32> = (0..50).map(|k| k * 100).collect();
        assert_eq!(circle::nearest(&back, &sources, 1200.0).dist, circle::nearest(g, &sources, 1200.0).dist);
        // A second import under the same name is refused and adds nothing.
        let e =
            store::circle::import_network(&db, "test", " helsinki ", "x.osm.pbf", g, &[], |_| {}).await.unwrap_err();
        assert!(matches!(e, store::StoreError::Invalid { ref field, .. } if field == "name"), "{backend}: {e}");
        assert_eq!(count(&db, "circle_nodes").await, g.node_count() as i64, "{backend}");
        assert_eq!(store::circle::networks(&db).await.unwrap().len(), 1);
        assert!(store::circle::load_network(&db, "porto").await.unwrap().is_none());
        // The catalogue (rules §7) came with the import, once, and a planner may edit a level.
        let levels = store::circle::levels(&db).await.unwrap();
        assert_eq!(levels.iter().map(|l| l.walk_m).collect::<Vec<_>>(), [1000, 500, 300], "{backend}");
        assert_eq!(store::circle::facility_types(&db).await.unwrap().len(), circle::catalogue::TYPES.len());
        let l = store::circle::set_level_distance(&db, "test", "m15", 800, "地方标准（示例）").await.unwrap();
        assert_eq!((l.walk_m, l.source.as_str()), (800, "地方标准（示例）"));
        store::circle::seed_catalogue(&db, "test").await.unwrap();
        assert_eq!(store::circle::levels(&db).await.unwrap()[0].walk_m, 800, "{backend}: seeding keeps edits");
        for (m, src) in [(10, "x"), (800, " ")] {
            assert!(store::circle::set_level_distance(&db, "test", "m15", m, src).await.is_err());
        }
        assert!(store::circle::set_level_distance(&db, "test", "m99", 800, "x").await.is_err());
        assert!(matches!(store::audit::verify(&db).await.unwrap(), store::audit::Verdict::Intact { .. }));
    }
}

#[tokio::test]
async fn import_osm_stores_an_extract_and_refuses_a_bad_one_writing_nothing() {
    let Some(dir) = data_dir() else { return };
    let bytes = std::fs::read(dir.join("helsinki.osm.pbf")).unwrap();
    let cut = temp("import_cut.osm.pbf");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    for (backend, url) in common::backends().await {
        let run = |file: &Path| {
            Command::new(env!("CARGO_BIN_EXE_shequ"))
                .args(["circle", "import-osm", "--db", &url])
                .arg(file)
                .env("SHEQU_KEY", "00".repeat(32))
                .output()
                .expect("run shequ")
        };
        let bad = run(&cut);
        assert!(!bad.status.success(), "{backend}");
        assert!(String::from_utf8_lossy(&bad.stderr).contains("truncated"), "{backend}");
        // Not an extract at all (a CSV given as one): named, nothing written.
        let bad = run(&dir.join("reference_helsinki.csv"));
        assert!(!bad.status.success(), "{backend}");
        assert!(String::from_utf8_lossy(&bad.stderr).contains("不是 OpenStreetMap PBF 文件"), "{backend}");
        let ok = run(&dir.join("helsinki.osm.pbf"));
        let out = String::from_utf8_lossy(&ok.stdout);
        assert!(ok.status.success(), "{backend}: {}", String::from_utf8_lossy(&ok.stderr));
        assert!(out.contains("imported walking network helsinki") && out.contains("5841 nodes, 6851 edges"), "{out}");
        assert!(out.contains("469 buildings, 1089 amenities"), "{out}");
        let again = run(&dir.join("helsinki.osm.pbf"));
        assert!(
            !again.status.success() && String::from_utf8_lossy(&again.stderr).contains("a network of this name exists")
        );
        let db = store::Db::connect(&url, store::seal::Seal::new([0; 32])).await.unwrap();
        assert_eq!(store::circle::networks(&db).await.unwrap().len(), 1, "{backend}: only the good import");
        assert_eq!(count(&db, "circle_edges").await, 6851, "{backend}");
    }
}

#[tokio::test]
async fn facilities_import_all_or_nothing_and_coverage_per_type() {
    let Some(dir) = data_dir() else { return };
    let pbf = dir.join("helsinki.osm.pbf");
    let g = circle::Graph::from_pbf(&std::fs::read(&pbf).unwrap(), 2).unwrap();
    let loc = circle::Locator::new(&g);
    let fac = csv(&dir.join("reference_helsinki_facilities.csv"));
    let at = |k: usize| (fac[k]["lon"].clone(), fac[k]["lat"].clone());
    // Homes: every tenth node of the graph, 10 residents each.
    let nodes = csv(&dir.join("reference_helsinki.csv"));
    let mut homes_csv = String::from("经度,纬度,人数\n");
    let mut homes = Vec::new();
    for r in nodes.iter().step_by(10) {
        homes_csv += &format!("{},{},10\n", r["lon"], r["lat"]);
        let s = loc.locate(&g, r["lon"].parse().unwrap(), r["lat"].parse().unwrap(), 500.0).unwrap();
        homes.push(circle::Home { node: s.node, residents: 10 });
    }
    let homes_path = temp("homes.csv");
    std::fs::write(&homes_path, homes_csv).unwrap();
    let placed = |ks: std::ops::Range<usize>| -> Vec<u32> {
        ks.map(|k| loc.locate(&g, fac[k]["lon"].parse().unwrap(), fac[k]["lat"].parse().unwrap(), 500.0).unwrap().node)
            .collect()
    };
    for (backend, url) in common::backends().await {
        let run = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_shequ"))
                .args(["circle"])
                .args(args)
                .args(["--db", &url])
                .env("SHEQU_KEY", "00".repeat(32))
                .output()
                .expect("run shequ")
        };
        assert!(run(&["import-osm", pbf.to_str().unwrap()]).status.success(), "{backend}");
        // A bad file: every refused row is listed and nothing is written.
        let (a, b, c, d) = (at(0), at(1), at(2), at(3));
        let bad = format!(
            "类型,名称,经度,纬度\n幼儿园,甲,{},{}\n托儿所,乙,{},{}\n幼儿园,丙,{},{}\n幼儿园,,{},{}\n幼儿园,甲,{},{}\n",
            a.0, a.1, b.0, b.1, c.1, c.0, d.0, d.1, a.0, a.1
        );
        let bad_path = temp("bad_registry.csv");
        std::fs::write(&bad_path, bad).unwrap();
        let out = run(&["import-facilities", "--network", "helsinki", bad_path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{backend}");
        for e in
            ["4 rows refused", "line 3: type", "托儿所", "line 4: lon,lat", "swapped", "line 5: name", "line 6: name"]
        {
            assert!(err.contains(e), "{backend}: {err} does not say {e}");
        }
        let db = store::Db::connect(&url, store::seal::Seal::new([0; 32])).await.unwrap();
        assert!(store::circle::facilities(&db).await.unwrap().is_empty(), "{backend}: nothing written");
        // The good file: 10 kindergartens and 5 primary schools at reference facility positions.
        let mut good = String::from("type,name,lon,lat,capacity,opening_hours,owner,former_street_office\n");
        for (k, f) in fac.iter().enumerate().take(15) {
            let (ty, name) = if k < 10 {
                ("幼儿园", format!("示例幼儿园{k}"))
            } else {
                ("primary_school", format!("示例小学{k}"))
            };
            good += &format!("{ty},{name},{},{},120,8:00-17:00,示例区教育局,{}\n", f["lon"], f["lat"], k == 0);
        }
        let good_path = temp("good_registry.csv");
        std::fs::write(&good_path, good).unwrap();
        let out = run(&["import-facilities", "--network", "helsinki", good_path.to_str().unwrap()]);
        assert!(out.status.success(), "{backend}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("15 facilities added"));
        // Coverage per type, against the engine on the same inputs.
        let out = run(&["coverage", "--network", "helsinki", "--homes", homes_path.to_str().unwrap()]);
        assert!(out.status.success(), "{backend}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let line = |code: &str| text.lines().find(|l| l.starts_with(&format!("{code},"))).unwrap().to_string();
        let want = |ks: std::ops::Range<usize>, m: f64| {
            let c = circle::coverage(&g, &homes, &placed(ks.clone()), m);
            format!("{},{},{},{:.4}", ks.len(), c.residents, c.covered, c.share())
        };
        assert!(line("kindergarten").ends_with(&want(0..10, 300.0)), "{backend}: {text}");
        assert!(line("primary_school").ends_with(&want(10..15, 500.0)), "{backend}: {text}");
        let stored = store::circle::facilities(&db).await.unwrap();
        assert_eq!(stored.len(), 15);
        assert_eq!(stored.iter().filter(|f| f.former_street_office == 1).count(), 1, "{backend}");
        eprintln!("{backend}:\n{text}");
        // Siting: two more kindergartens among every node, as the engine picks them.
        let out = run(&[
            "site",
            "--network",
            "helsinki",
            "--type",
            "幼儿园",
            "--k",
            "2",
            "--homes",
            homes_path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{backend}: {}", String::from_utf8_lossy(&out.stderr));
        let every: Vec<u32> = (0..g.node_count() as u32).collect();
        let want = circle::site(&g, &homes, &placed(0..10), &every, 300.0, 2);
        let got: Vec<i64> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(got, want.sites.iter().map(|(n, _)| g.ids[*n as usize]).collect::<Vec<_>>(), "{backend}");
        assert!(want.covered_after > want.covered_before);
        assert!(String::from_utf8_lossy(&out.stderr).contains("1 − 1/e"));
        assert!(line("middle_school").ends_with(&format!("0,{},0,0.0000", homes.len() * 10)), "{backend}: {text}");
    }
}

#[tokio::test]
async fn the_circle_page_draws_the_network_and_lists_the_facilities() {
    let Some(dir) = data_dir() else { return };
    let x = circle::Extract::from_pbf(&std::fs::read(dir.join("helsinki.osm.pbf")).unwrap(), 2).unwrap();
    let fac = csv(&dir.join("reference_helsinki_facilities.csv"));
    for (backend, url) in common::backends().await {
        let s = common::start(backend, &url).await;
        let (c, _) = common::login(&s, "civil").await;
        let get = |path: &str| c.get(format!("{}{path}", s.base)).send();
        let before = get("/circle").await.unwrap().text().await.unwrap();
        // The demo's generated street grid, marked 示例, with the service centers at illustrative places.
        for want in
            ["十五分钟生活圈", "id=\"circle-map\"", shequ::demo::DEMO_NETWORK, "天井湖社区公共服务中心（示例位置）"]
        {
            assert!(before.contains(want), "{backend}: the demo page lacks {want}");
        }
        store::circle::import_network(&s.db, "test", "赫尔辛基中心", "helsinki.osm.pbf", &x.graph, &x.places, |_| {})
            .await
            .unwrap();
        let rows: Vec<store::circle::NewFacility> = (0..3)
            .map(|k| store::circle::NewFacility {
                line: k + 2,
                type_text: "幼儿园".into(),
                name: format!("示例幼儿园{k}"),
                lon: fac[k]["lon"].parse().unwrap(),
                lat: fac[k]["lat"].parse().unwrap(),
                former_street_office: k == 0,
                ..Default::default()
            })
            .collect();
        store::circle::import_facilities(&s.db, "test", &rows, Some(&x.graph), 500.0).await.unwrap().unwrap();
        let t = std::time::Instant::now();
        let resp = get("/circle").await.unwrap();
        assert_eq!(resp.status(), 200);
        let page = resp.text().await.unwrap();
        eprintln!("{backend}: /circle with Helsinki's network: {} KB in {:?}", page.len() / 1024, t.elapsed());
        for want in [
            "id=\"circle-map\"",
            "id=\"circle-data\"",
            "MultiLineString",
            "示例幼儿园2（幼儿园）",
            "赫尔辛基中心",
            "十分钟生活圈",
            "程序生成，非真实街道",
        ] {
            assert!(page.contains(want), "{backend}: the page lacks {want}");
        }
        // Shading the demo grid by walking distance to the service stations (300 m): streets in
        // all three shades, and the legend.
        let shaded = get("/circle?type=service_station").await.unwrap().text().await.unwrap();
        let shades = ["\"color\":\"#27ae60\"", "\"color\":\"#e67e22\"", "\"color\":\"#c0392b\""];
        for want in shades.into_iter().chain(["300 米内", "600 米内", "更远或不可达"]) {
            assert!(shaded.contains(want), "{backend}: the shaded page lacks {want}");
        }
        // Leaflet is served from our own assets, its licence beside it.
        let js = get("/assets/vendor/leaflet/leaflet.js").await.unwrap();
        assert_eq!(js.status(), 200);
        assert!(js.text().await.unwrap().contains("Leaflet"));
        assert_eq!(get("/assets/circle-map.js").await.unwrap().status(), 200);
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/assets/vendor/leaflet/LICENSE").is_file()
        );
    }
}
