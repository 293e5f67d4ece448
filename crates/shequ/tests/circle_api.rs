//! The living circle's JSON API (issue 16) on SQLite and PostgreSQL: coverage read in scope (a
//! community's staff their community, a district its communities, the city all), computing it
//! again (the city), the facilities registry kept by the city's and the districts' planners (a
//! district only in its own communities), import all or nothing, and siting over the homes in
//! reach; every refusal names its fields in Chinese and English and writes nothing.

mod common;
use common::*;
use serde_json::{Value, json};

async fn count(db: &store::Db, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

async fn written(db: &store::Db) -> (i64, i64, i64) {
    (
        count(db, "SELECT COUNT(*) FROM circle_facilities").await,
        count(db, "SELECT COUNT(*) FROM audit_log").await,
        count(db, "SELECT COUNT(*) FROM circle_coverage_runs").await,
    )
}

/// The demo's 23 communities are all in 铜官区 (340705): one of them is moved to 郊区 (340711)
/// for the district's reach to have an edge; its service area's centre (lon, lat).
async fn other_district(db: &store::Db) -> (f64, f64) {
    let code: String = sqlx::query_scalar(
        "SELECT code FROM communities WHERE code NOT IN ('340705402', '340705403') ORDER BY code DESC LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE communities SET district_code = '340711' WHERE code = $1")
        .bind(&code)
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query_as("SELECT center_lon, center_lat FROM communities WHERE code = $1")
        .bind(&code)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// Every field error's zh and en, joined.
fn errors(v: &Value) -> String {
    v["errors"].as_array().map_or(String::new(), |e| {
        e.iter().map(|x| format!("{}={} / {}", x["field"], x["zh"], x["en"])).collect::<Vec<_>>().join("; ")
    })
}

#[tokio::test]
async fn coverage_is_read_in_scope_and_computed_again_by_the_city() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = &s.db;
        other_district(db).await;
        let get = |c: &reqwest::Client, path: &str| c.get(format!("{}{path}", s.base)).send();
        let (admin, _) = login(&s, "admin").await;
        let (district, dcsrf) = login(&s, "district").await;
        let (civil, csrf) = login(&s, "civil").await;
        let rows_of = |v: &Value| -> Vec<String> {
            let mut c: Vec<String> =
                v["rows"].as_array().unwrap().iter().map(|r| r["community_code"].as_str().unwrap().into()).collect();
            c.dedup();
            c
        };
        // The city sees every community; a district its own; a community's staff their own.
        let all: Value = get(&civil, "/api/v1/circle/coverage").await.unwrap().json().await.unwrap();
        let run = &all["run"];
        assert!(run["id"].as_i64().is_some() && run["network_name"].as_str().is_some(), "{backend}: {run}");
        assert_eq!(rows_of(&all).len(), 23, "{backend}: 23 communities");
        let total_residents = all["totals"][0]["residents"].as_i64().unwrap();
        assert_eq!(total_residents, run["residents"].as_i64().unwrap(), "{backend}: totals are the city's");
        let mine: Value = get(&admin, "/api/v1/circle/coverage").await.unwrap().json().await.unwrap();
        assert_eq!(rows_of(&mine), ["340705402"], "{backend}");
        let d: Value = get(&district, "/api/v1/circle/coverage?type=kindergarten").await.unwrap().json().await.unwrap();
        let in_district: Vec<String> =
            sqlx::query_scalar("SELECT code FROM communities WHERE district_code = '340705' ORDER BY code")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(rows_of(&d), in_district, "{backend}: the district's communities only");
        assert!(d["rows"].as_array().unwrap().iter().all(|r| r["type_code"] == "kindergarten"), "{backend}");
        assert!(d["totals"][0]["residents"].as_i64().unwrap() < total_residents, "{backend}");
        // A type not in the catalogue is refused by name; a resident may not read it at all.
        let r = get(&civil, "/api/v1/circle/coverage?type=casino").await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let v: Value = r.json().await.unwrap();
        assert!(v["field"] == "type" && v.to_string().contains("设施类型不在目录中"), "{backend}: {v}");
        let (resident, _) = login(&s, "resident").await;
        assert_eq!(get(&resident, "/api/v1/circle/coverage").await.unwrap().status(), 403, "{backend}");

        // One community: its rows and buildings outside the standard — counts, never a resident.
        let r = get(&admin, "/api/v1/circle/communities/340705402/coverage").await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let text = r.text().await.unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["community_name"], "天井湖社区", "{backend}");
        assert_eq!(v["rows"].as_array().unwrap().len(), store::circle::facility_types(db).await.unwrap().len());
        let gaps = v["gaps"].as_array().unwrap();
        assert!(!gaps.is_empty() && gaps.iter().all(|g| g["residents"].as_i64().unwrap() > 0), "{backend}");
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM residents WHERE community_code = '340705402'")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        for n in &names {
            assert!(!text.contains(n.as_str()), "{backend}: a resident's name ({n}) in the coverage");
        }
        let kg: Value = get(&district, "/api/v1/circle/communities/340705402/coverage?type=幼儿园")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(kg["gaps"].as_array().unwrap().iter().all(|g| g["type_code"] == "kindergarten"), "{backend}");
        let (other, _) = login(&s, "admin_yh").await;
        let r = get(&other, "/api/v1/circle/communities/340705402/coverage").await.unwrap();
        assert_eq!(r.status(), 403, "{backend}: another community (public record: 403)");
        assert_eq!(get(&civil, "/api/v1/circle/communities/999999999/coverage").await.unwrap().status(), 404);

        // Computing again: the city only; a new run, audited.
        let before = written(db).await;
        for (c, token) in [(&district, &dcsrf)] {
            let r = c.post(format!("{}/api/v1/circle/coverage", s.base)).header("x-csrf-token", token).send();
            assert_eq!(r.await.unwrap().status(), 403, "{backend}");
        }
        assert_eq!(written(db).await, before, "{backend}");
        let r = civil.post(format!("{}/api/v1/circle/coverage", s.base)).header("x-csrf-token", &csrf).send();
        let r = r.await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let again: Value = r.json().await.unwrap();
        assert!(again["id"].as_i64().unwrap() > run["id"].as_i64().unwrap(), "{backend}");
        assert_eq!(written(db).await, (before.0, before.1 + 1, before.2 + 1), "{backend}: one run, audited");
    }
}

#[tokio::test]
async fn planners_keep_the_facilities_registry_through_the_api_in_their_scope() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = &s.db;
        let (civil, csrf) = login(&s, "civil").await;
        let (district, dcsrf) = login(&s, "district").await;
        let post = |c: &reqwest::Client, token: &str, path: &str, body: Value| {
            c.post(format!("{}{path}", s.base)).header("x-csrf-token", token).json(&body).send()
        };
        // Where the district's communities are, and one of another district (service-area centers).
        let centre = |sql: &'static str| async move {
            let (lon, lat): (f64, f64) = sqlx::query_as(sql).fetch_one(&db.pool).await.unwrap();
            (lon, lat)
        };
        let ours = centre("SELECT center_lon, center_lat FROM communities WHERE code = '340705402'").await;
        let theirs = other_district(db).await;
        let n0 = written(db).await;
        // Every field error at once, in both languages; nothing written.
        let r = post(
            &civil,
            &csrf,
            "/api/v1/circle/facilities",
            json!({ "type": "", "name": "", "lon": "东经", "lat": 30.93 }),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let e = errors(&r.json().await.unwrap());
        for want in ["请选择设施类型", "choose a facility type", "请填写名称", "经度应为数字", "must be a number"]
        {
            assert!(e.contains(want), "{backend}: {want} in {e}");
        }
        // Swapped, off the network, a nested value, not JSON at all: each named.
        for (body, want) in [
            (json!({ "type": "幼儿园", "name": "示例幼儿园", "lon": 30.93, "lat": 117.81 }), "写反"),
            (json!({ "type": "幼儿园", "name": "示例幼儿园", "lon": 118.6, "lat": 30.93 }), "路网"),
            (json!({ "type": "幼儿园", "name": "示例幼儿园", "lon": [117.81], "lat": 30.93 }), "应为文字或数字"),
            (json!({ "type": "幼儿园", "name": "示例幼儿园", "lon": 3_420_000.0, "lat": 500_000.0 }), "度"),
        ] {
            let r = post(&civil, &csrf, "/api/v1/circle/facilities", body.clone()).await.unwrap();
            assert_eq!(r.status(), 422, "{backend}: {body}");
            let v: Value = r.json().await.unwrap();
            assert!(v.to_string().contains(want), "{backend}: {want} in {v}");
        }
        let r = civil
            .post(format!("{}/api/v1/circle/facilities", s.base))
            .header("x-csrf-token", &csrf)
            .header("content-type", "application/json")
            .body("{\"type\": \"幼儿")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}: truncated JSON");
        assert_eq!(written(db).await, n0, "{backend}: refusals write nothing");

        // A district adds in its own communities, not in another district's.
        let at = |(lon, lat): (f64, f64), name: &str| json!({ "type": "kindergarten", "name": name, "lon": lon + 0.001, "lat": lat + 0.001, "capacity": 90 });
        let r = post(&district, &dcsrf, "/api/v1/circle/facilities", at(theirs, "示例幼儿园（他区）")).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert!(r.text().await.unwrap().contains("不在您所辖的社区内"), "{backend}");
        assert_eq!(written(db).await, n0, "{backend}");
        let r = post(&district, &dcsrf, "/api/v1/circle/facilities", at(ours, "示例幼儿园")).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let f: Value = r.json().await.unwrap();
        assert_eq!((f["name"].as_str(), f["capacity"].as_i64()), (Some("示例幼儿园"), Some(90)), "{backend}");
        let id = f["id"].as_i64().unwrap();
        let r = post(&civil, &csrf, "/api/v1/circle/facilities", at(theirs, "示例小学")).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}: the city adds anywhere");
        let theirs_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        assert_eq!(written(db).await.0, n0.0 + 2, "{backend}");

        // Moved: not into another district, not swapped; a facility out of reach does not exist.
        let path = format!("/api/v1/circle/facilities/{id}/move");
        let away = json!({ "lon": theirs.0, "lat": theirs.1 });
        let r = post(&district, &dcsrf, &path, away).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let r = post(&district, &dcsrf, &path, json!({ "lon": ours.1, "lat": ours.0 })).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let r = post(&district, &dcsrf, &path, json!({ "lon": ours.0, "lat": ours.1 })).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let moved: Value = r.json().await.unwrap();
        assert_eq!((moved["lon"].as_f64(), moved["lat"].as_f64()), (Some(ours.0), Some(ours.1)), "{backend}");
        let r = post(
            &district,
            &dcsrf,
            &format!("/api/v1/circle/facilities/{theirs_id}/move"),
            json!({ "lon": ours.0, "lat": ours.1 }),
        )
        .await;
        assert_eq!(r.unwrap().status(), 404, "{backend}: another district's facility");
        // Closed from a date, with its reason; every error at once first.
        let close = format!("/api/v1/circle/facilities/{id}/close");
        let r = post(&district, &dcsrf, &close, json!({ "closed_on": "明天" })).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let e = errors(&r.json().await.unwrap());
        assert!(e.contains("关闭日期应为") && e.contains("请说明关闭原因"), "{backend}: {e}");
        let today = store::clock::today().to_string();
        let r = post(&district, &dcsrf, &close, json!({ "closed_on": today, "reason": "示例：园舍改造" })).await;
        let closed: Value = r.unwrap().json().await.unwrap();
        assert_eq!(closed["closed_on"], today.as_str(), "{backend}");
        let r = post(&district, &dcsrf, &format!("/api/v1/circle/facilities/{theirs_id}/close"), json!({})).await;
        assert_eq!(r.unwrap().status(), 404, "{backend}");
        // The list (the export as JSON) holds the closed one too, with the catalogue's types.
        let list: Value =
            civil.get(format!("{}/api/v1/circle/facilities", s.base)).send().await.unwrap().json().await.unwrap();
        let names: Vec<&str> =
            list["facilities"].as_array().unwrap().iter().filter_map(|f| f["name"].as_str()).collect();
        assert!(names.contains(&"示例幼儿园") && names.contains(&"示例小学"), "{backend}");
        assert!(list["types"].as_array().unwrap().iter().any(|t| t["name"] == "幼儿园"), "{backend}");
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'circle.%' ORDER BY seq")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        for want in ["circle.add_facility", "circle.move_facility", "circle.close_facility"] {
            assert!(actions.iter().any(|a| a == want), "{backend}: {want} audited");
        }
        // A community's staff do not keep the registry.
        let (admin, acsrf) = login(&s, "admin").await;
        let r = post(&admin, &acsrf, "/api/v1/circle/facilities", at(ours, "示例托育")).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}");
    }
}

#[tokio::test]
async fn facilities_import_through_the_api_is_all_or_nothing_and_siting_keeps_to_the_homes_in_reach() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = &s.db;
        let (civil, csrf) = login(&s, "civil").await;
        let (district, dcsrf) = login(&s, "district").await;
        let upload = |c: &reqwest::Client, token: &str, name: &str, bytes: Vec<u8>| {
            c.post(format!("{}/api/v1/circle/facilities/import?filename={name}", s.base))
                .header("x-csrf-token", token)
                .header("content-type", "text/csv")
                .body(bytes)
                .send()
        };
        let n0 = written(db).await;
        // Two bad rows (type unknown, swapped) beside a good one: nothing imported, each line named.
        let csv = "类型,名称,经度,纬度\n幼儿园,示例幼儿园甲,117.812,30.932\n赌场,示例乙,117.81,30.93\n小学,示例小学丙,30.93,117.81\n";
        let r = upload(&civil, &csrf, "f.csv", csv.as_bytes().to_vec()).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let e = errors(&r.json().await.unwrap());
        assert!(e.contains("第 3 行") && e.contains("第 4 行") && e.contains("line 4"), "{backend}: {e}");
        // Not a table at all: refused by name.
        let r = upload(&civil, &csrf, "f.xlsx", b"not a workbook".to_vec()).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(written(db).await, n0, "{backend}: nothing half-imported");
        // A district imports only facilities standing in its communities.
        let far = other_district(db).await;
        let csv2 = format!(
            "类型,名称,经度,纬度\n幼儿园,示例幼儿园甲,117.812,30.932\n幼儿园,示例幼儿园乙,{},{}\n",
            far.0, far.1
        );
        let r = upload(&district, &dcsrf, "f.csv", csv2.clone().into_bytes()).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert!(errors(&r.json().await.unwrap()).contains("第 3 行：该位置不在您所辖的社区内"), "{backend}");
        assert_eq!(written(db).await, n0, "{backend}");
        let r = upload(&civil, &csrf, "f.csv", csv2.into_bytes()).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["added"], 2, "{backend}");
        assert_eq!(written(db).await.0, n0.0 + 2, "{backend}");

        // Siting: k sites with coverage before and after; a district's over its own homes only.
        let (admin, _) = login(&s, "admin").await;
        let a = written(db).await;
        let site = |c: &reqwest::Client, q: &str| c.get(format!("{}/api/v1/circle/siting{q}", s.base)).send();
        let city: Value = site(&civil, "?type=health_center&k=2").await.unwrap().json().await.unwrap();
        assert_eq!(city["sites"].as_array().unwrap().len(), 2, "{backend}: {city}");
        assert!(city["after"].as_i64() > city["before"].as_i64(), "{backend}");
        assert_eq!(city["type_name"], "社区卫生服务中心", "{backend}");
        let d: Value = site(&district, "?type=health_center&k=2&candidates=nodes").await.unwrap().json().await.unwrap();
        assert!(d["residents"].as_i64() < city["residents"].as_i64(), "{backend}: the district's homes only");
        let r = site(&civil, "?type=kindergarten&k=99").await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "k", "{backend}");
        let r = site(&civil, "?k=99").await.unwrap();
        let e = errors(&r.json().await.unwrap());
        assert!(e.contains("请选择设施类型") && e.contains("新址数量应为 1–10"), "{backend}: {e}");
        assert_eq!(site(&admin, "?type=kindergarten").await.unwrap().status(), 403, "{backend}");
        assert_eq!(written(db).await, a, "{backend}: siting writes nothing");
    }
}
