//! The living circle from the residents registry and the facilities registry's editing (issue 16),
//! on SQLite and PostgreSQL: the demo's registry buildings placed on its street grid, coverage
//! per community and for the city stored with its date and network, the buildings outside the
//! standard listed and drawn without personal data, and a planner's add / move / close / import /
//! export of facilities, each audited, each refusal writing nothing.

mod common;
use common::*;
use store::circle::homes;

async fn count(db: &store::Db, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

async fn audit_len(db: &store::Db) -> i64 {
    count(db, "SELECT COUNT(*) FROM audit_log").await
}

#[tokio::test]
async fn coverage_from_the_registry_is_stored_per_community_and_for_the_city() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = &s.db;
        // The demo placed every registry building and computed coverage on its grid, today.
        let run = homes::latest_run(db).await.unwrap().expect("the demo computed coverage");
        assert_eq!(run.network_name, shequ::demo::DEMO_NETWORK, "{backend}");
        assert_eq!(run.computed_on, store::clock::today().to_string(), "{backend}");
        assert_eq!(run.residents, count(db, "SELECT COUNT(*) FROM residents").await, "{backend}");
        assert_eq!((run.unplaced_buildings, run.unplaced_residents), (0, 0), "{backend}");
        let rows = homes::rows(db, run.id, None).await.unwrap();
        let city = homes::city(&rows);
        assert_eq!(city.len(), store::circle::facility_types(db).await.unwrap().len(), "{backend}: one row per type");
        for t in &city {
            assert_eq!(t.residents, run.residents, "{backend} {}: every placed resident counted", t.type_code);
            // Residents outside the standard are exactly those of the buildings listed as gaps.
            for r in rows.iter().filter(|r| r.type_code == t.type_code) {
                let gaps = homes::gaps(db, run.id, Some(&r.community_code), Some(&r.type_code)).await.unwrap();
                let outside: i64 = gaps.iter().map(|g| g.residents).sum();
                assert_eq!(outside, r.residents - r.covered, "{backend} {} {}", r.community_code, r.type_code);
            }
        }
        // The demo's only facilities are the service centers (300 m); its tiny scale sets buildings
        // hundreds of metres apart: some residents are outside; a type with no facility covers no one.
        let station = city.iter().find(|r| r.type_code == "service_station").unwrap();
        assert!(station.facilities == 23 && station.covered < station.residents, "{backend}: {station:?}");
        let kg = city.iter().find(|r| r.type_code == "kindergarten").unwrap();
        assert_eq!((kg.facilities, kg.covered), (0, 0), "{backend}");

        // A community's page: shares, its buildings on the map, the gaps listed — never a resident.
        let (admin, _) = login(&s, "admin").await;
        let page = admin.get(format!("{}/circle/communities/340705402", s.base)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{backend}");
        let page = page.text().await.unwrap();
        for want in ["未达标的楼栋", "达标比例", "幼儿园", "\"homes\"", "示例", &run.computed_on] {
            assert!(page.contains(want), "{backend}: the community page lacks {want}");
        }
        let gap = &homes::gaps(db, run.id, Some("340705402"), Some("kindergarten")).await.unwrap()[0];
        assert!(page.contains(&format!("<td>{}</td>", gap.building)), "{backend}: the gap building listed");
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM residents WHERE community_code = '340705402'")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        assert!(!names.is_empty());
        for n in &names {
            assert!(!page.contains(n.as_str()), "{backend}: a resident's name ({n}) on the coverage page");
        }
        // Another community's staff: out of reach (a community is public: 403).
        let (other, _) = login(&s, "admin_yh").await;
        let r = other.get(format!("{}/circle/communities/340705402", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{backend}");
        // The city page: shares per community with links, the chosen type's gaps drawn.
        let (civil, csrf) = login(&s, "civil").await;
        let city_page =
            civil.get(format!("{}/circle?type=kindergarten", s.base)).send().await.unwrap().text().await.unwrap();
        for want in ["各社区达标比例", "/circle/communities/340705402", "#c0392b", "未达标的楼栋"] {
            assert!(city_page.contains(want), "{backend}: /circle lacks {want}");
        }
        // A planner adds a health center (1000 m) at 天井湖's middle and computes again: a new run,
        // audited, in which 天井湖's residents are within reach of it and the farthest community's are not.
        let row = store::circle::NewFacility {
            type_text: "社区卫生服务中心".into(),
            name: "示例社区卫生服务中心".into(),
            lon: 117.81,
            lat: 30.93,
            ..Default::default()
        };
        store::circle::edit::add(db, "test", &row, None, 500.0).await.unwrap().unwrap();
        let before = audit_len(db).await;
        let r = civil.post(format!("{}/circle/coverage", s.base)).header("x-csrf-token", &csrf).send().await.unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        let again = homes::latest_run(db).await.unwrap().unwrap();
        assert!(again.id > run.id && again.residents == run.residents, "{backend}");
        assert_eq!(audit_len(db).await, before + 1, "{backend}");
        let rows = homes::rows(db, again.id, Some("340705402")).await.unwrap();
        let near = rows.iter().find(|r| r.type_code == "health_center").unwrap();
        assert!(near.covered > 0 && near.facilities == 1, "{backend}: {near:?}");
        let far = homes::rows(db, again.id, None).await.unwrap();
        assert!(far.iter().any(|r| r.type_code == "health_center" && r.residents > 0 && r.covered == 0), "{backend}");
        let (admin, csrf_a) = login(&s, "admin").await;
        let r = admin.post(format!("{}/circle/coverage", s.base)).header("x-csrf-token", &csrf_a).send().await.unwrap();
        assert_eq!(r.status(), 403, "{backend}");
    }
}

#[tokio::test]
async fn placing_buildings_refuses_what_the_registry_does_not_have_and_writes_nothing() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = &s.db;
        let building: String =
            sqlx::query_scalar("SELECT building FROM residents WHERE community_code = '340705402' LIMIT 1")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let at = |line, community: &str, building: &str, lon, lat| homes::BuildingAt {
            line,
            community: community.into(),
            building: building.into(),
            lon,
            lat,
        };
        let (n, a) = (count(db, "SELECT COUNT(*) FROM circle_buildings").await, audit_len(db).await);
        let rows = [
            at(2, "天井湖社区", &building, 117.81, 30.93),
            at(3, "没有的社区", &building, 117.81, 30.93),
            at(4, "340705402", "999栋", 117.81, 30.93),
            at(5, "340705402", &building, 3_420_000.0, 500_000.0),
        ];
        let refused = homes::place_buildings(db, "test", &rows, "t.csv", false).await.unwrap().unwrap_err();
        let got: Vec<_> = refused.iter().map(|r| (r.line, r.field.as_str())).collect();
        assert_eq!(got, [(3, "community"), (4, "building"), (5, "lon,lat")], "{backend}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM circle_buildings").await, n, "{backend}: nothing written");
        assert_eq!(audit_len(db).await, a, "{backend}");
        // By name, a building moves (not duplicated).
        assert_eq!(homes::place_buildings(db, "test", &rows[..1], "t.csv", false).await.unwrap(), Ok(1));
        assert_eq!(count(db, "SELECT COUNT(*) FROM circle_buildings").await, n, "{backend}");
        let moved = homes::placed(db, "340705402").await.unwrap();
        assert!(moved.iter().any(|p| p.0 == building && p.1 == 117.81 && p.3 == 0), "{backend}");
    }
}

#[tokio::test]
async fn a_planner_adds_moves_closes_imports_and_exports_facilities() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = &s.db;
        let (c, csrf) = login(&s, "civil").await;
        let post = |path: &str, form: &[(&str, &str)]| {
            c.post(format!("{}{path}", s.base))
                .header("x-csrf-token", &csrf)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(
                    form.iter().map(|(k, v)| format!("{k}={}", web::pages::urlencode(v))).collect::<Vec<_>>().join("&"),
                )
                .send()
        };
        let facilities = || count(db, "SELECT COUNT(*) FROM circle_facilities");
        let (n0, a0) = (facilities().await, audit_len(db).await);
        // Every field error at once; nothing written.
        let r =
            post("/circle/facilities", &[("type", ""), ("name", ""), ("lon", "东经"), ("lat", "30.93")]).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let text = r.text().await.unwrap();
        for want in ["请选择设施类型", "请填写名称", "经度应为数字"] {
            assert!(text.contains(want), "{backend}: {want}");
        }
        // Swapped coordinates and a place off the network are refused by name.
        let r = post(
            "/circle/facilities",
            &[("type", "幼儿园"), ("name", "示例幼儿园"), ("lon", "30.93"), ("lat", "117.81")],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert!(r.text().await.unwrap().contains("写反"), "{backend}: swapped named");
        let r = post(
            "/circle/facilities",
            &[("type", "幼儿园"), ("name", "示例幼儿园"), ("lon", "118.6"), ("lat", "30.93")],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!((facilities().await, audit_len(db).await), (n0, a0), "{backend}: refusals write nothing");
        // Added, audited.
        let r = post(
            "/circle/facilities",
            &[
                ("type", "kindergarten"),
                ("name", "示例幼儿园"),
                ("lon", "117.81"),
                ("lat", "30.93"),
                ("capacity", "90"),
            ],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        assert_eq!((facilities().await, audit_len(db).await), (n0 + 1, a0 + 1), "{backend}");
        let id: i64 = sqlx::query_scalar("SELECT id FROM circle_facilities WHERE name = '示例幼儿园'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        // Moved; a swapped move refused and the position kept.
        let r = post(&format!("/circle/facilities/{id}/move"), &[("lon", "30.931"), ("lat", "117.811")]).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let r = post(&format!("/circle/facilities/{id}/move"), &[("lon", "117.811"), ("lat", "30.931")]).await.unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        let f = store::circle::edit::facility(db, id).await.unwrap();
        assert_eq!((f.lon, f.lat), (117.811, 30.931), "{backend}");
        // Closed from a date: no longer among the facilities that count; closing twice refused.
        let r =
            post(&format!("/circle/facilities/{id}/close"), &[("closed_on", "明天"), ("reason", "")]).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let today = store::clock::today().to_string();
        let r = post(
            &format!("/circle/facilities/{id}/close"),
            &[("closed_on", today.as_str()), ("reason", "示例：园舍改造")],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 303, "{backend}");
        assert!(!store::circle::facilities(db).await.unwrap().iter().any(|f| f.id == id), "{backend}");
        let r = post(&format!("/circle/facilities/{id}/close"), &[("closed_on", today.as_str()), ("reason", "再关")])
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'circle.%' ORDER BY seq")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        for want in ["circle.add_facility", "circle.move_facility", "circle.close_facility"] {
            assert!(actions.iter().any(|a| a == want), "{backend}: {want} audited");
        }
        // Export both ways; the XLSX imports again only as all or nothing (names taken: refused).
        let csv = c.get(format!("{}/circle/facilities/export?format=csv", s.base)).send().await.unwrap();
        assert_eq!(csv.status(), 200);
        let csv = csv.text().await.unwrap();
        assert!(csv.contains("类型,名称,经度,纬度") && csv.contains("示例幼儿园") && csv.contains(&today), "{backend}");
        let xlsx = c.get(format!("{}/circle/facilities/export?format=xlsx", s.base)).send().await.unwrap();
        let xlsx = xlsx.bytes().await.unwrap().to_vec();
        assert!(xlsx.starts_with(b"PK"), "{backend}");
        let upload = |bytes: Vec<u8>, name: &'static str| {
            let form =
                reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
            c.post(format!("{}/circle/facilities/import", s.base)).header("x-csrf-token", &csrf).multipart(form).send()
        };
        let (n1, a1) = (facilities().await, audit_len(db).await);
        let r = upload(xlsx, "facilities.xlsx").await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert!(r.text().await.unwrap().contains("已登记"), "{backend}");
        assert_eq!((facilities().await, audit_len(db).await), (n1, a1), "{backend}");
        let fresh = store::residents_file::xlsx_from_cells(
            &["类型", "名称", "经度", "纬度"],
            &[vec!["小学".into(), "示例小学".into(), "117.812".into(), "30.932".into()]],
        )
        .unwrap();
        assert_eq!(upload(fresh, "new.xlsx").await.unwrap().status(), 303, "{backend}");
        assert_eq!(facilities().await, n1 + 1, "{backend}");
        // A community's staff do not keep the registry.
        let (admin, _) = login(&s, "admin").await;
        assert_eq!(admin.get(format!("{}/circle/facilities", s.base)).send().await.unwrap().status(), 403);
    }
}

#[tokio::test]
async fn siting_proposes_sites_over_the_registry_and_shows_coverage_before_and_after() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (c, _) = login(&s, "civil").await;
        let get = |q: &str| c.get(format!("{}/circle/siting{q}", s.base)).send();
        // Health centers (1000 m): none yet; among the other facilities' places (the 23 service centers)
        // and among every street node, each new site adds residents.
        for q in ["?type=health_center&k=2", "?type=health_center&k=2&candidates=nodes"] {
            let r = get(q).await.unwrap();
            assert_eq!(r.status(), 200, "{backend} {q}");
            let page = r.text().await.unwrap();
            assert!(
                page.contains("社区卫生服务中心") && page.contains("0 → ") && page.contains("1 − 1/e"),
                "{backend} {q}"
            );
            assert_eq!(page.matches("<tr><td>").count(), 2, "{backend} {q}: two sites proposed");
        }
        let r = get("?type=kindergarten&k=99").await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert!(r.text().await.unwrap().contains("新址数量应为 1–10"), "{backend}");
        let (admin, _) = login(&s, "admin").await;
        let r = admin.get(format!("{}/circle/siting?type=kindergarten", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{backend}");
    }
}
