//! Issue 17's last points, on both databases: `shequ serve` queues the annual-inspection
//! reminders itself, once per inspection and stage even from two processes; an organisation is
//! an outbox recipient of its own, reached at its person in charge's phone; the district's
//! roll-up counts a group inside a member organisation once; §5.15 is checked against the
//! members table; the exit-list check matches after normalisation; the person in charge is
//! shown per role and never on a public page.

mod common;
use common::*;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::Db;

const SECRET: &str = "test-secret-17";
const CARE: &str = "天井湖居家养老服务中心（示例）";
const FEDERATION: &str = "天井湖社区社会组织联合会";

async fn get(c: &reqwest::Client, url: String) -> (u16, Value) {
    let r = c.get(url).send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

async fn id_of(db: &Db, sql: &str, name: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).bind(name).fetch_one(&db.pool).await.unwrap()
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&db.pool).await.unwrap()
}

/// The rows a refusal must leave as they were, and the audit head.
async fn rows(db: &Db) -> Vec<i64> {
    let mut out = Vec::new();
    for t in ["orgs", "org_members", "org_inspections", "org_inspection_reminders", "purchase_projects", "outbox"] {
        out.push(count(db, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {t}")).await);
    }
    out.push(count(db, "SELECT seq FROM audit_head WHERE id = 1").await);
    out
}

async fn until(what: &str, secs: u64, mut f: impl AsyncFnMut() -> bool) {
    let t0 = std::time::Instant::now();
    while !f().await {
        assert!(t0.elapsed() < Duration::from_secs(secs), "{what}: not within {secs} s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A `shequ serve` child on the database, killed when dropped.
async fn spawn(url: &str) -> tokio::process::Child {
    serve_process(url, &[], &[]).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn serve_queues_inspection_reminders_itself_once_from_two_processes() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let (district, t) = login(&s, "district").await;
        // Next year's inspection, with a reminder lead long enough that it is due today.
        let next = store::clock::today().year() + 1;
        let (st, v) = post_json(&district, &t, format!("{b}/api/v1/orgs/inspections"), json!({"year": next})).await;
        assert_eq!((st, v["opened"].as_i64()), (200, Some(3)), "{backend}: {v}");
        let settings = json!({"sg_individuals": 20, "sg_units": 10, "sg_mixed_total": 20,
                              "inspection_due": "05-31", "reminder_days": 400});
        assert_eq!(post_json(&district, &t, format!("{b}/api/v1/orgs/settings"), settings).await.0, 200, "{backend}");
        let reminders = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM org_inspection_reminders r JOIN org_inspections i \
             ON i.id = r.inspection_id WHERE i.year = {next} AND r.stage = 'due'"
        );
        let notices = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE recipient_kind = 'org' AND body_zh LIKE '%{next}年度%'"
        );
        assert_eq!(count(&s.db, &notices).await, 0, "{backend}: nothing queued before the sweep");

        // Two server processes sweep at start: each inspection is reminded once.
        let (a, c) = (spawn(&url).await, spawn(&url).await);
        until("the sweep", 60, async || count(&s.db, &reminders).await == 3).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(count(&s.db, &notices).await, 3, "{backend}: one reminder per inspection, not one per process");
        drop((a, c));
        // A third sweep (a restart) adds none; nor does the district's button.
        let again = spawn(&url).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        drop(again);
        let (st, v) = post_json(&district, &t, format!("{b}/api/v1/orgs/inspections/remind"), json!({})).await;
        assert_eq!((st, v["due"].as_i64()), (200, Some(0)), "{backend}: {v}");
        assert_eq!(count(&s.db, &notices).await, 3, "{backend}");
        // Sweeps from two tasks of this process at once, on a day everything is overdue: once each.
        let late = time_date(next, 6, 15);
        let (x, y) = tokio::join!(
            store::orgs::remind_all(&s.db, "test-a", late),
            store::orgs::remind_all(&s.db, "test-b", late)
        );
        assert_eq!(x.unwrap().overdue + y.unwrap().overdue, 3, "{backend}: overdue reminded once each");
    }
}

/// The gateway: every SMS that arrived.
async fn gateway() -> (String, Arc<Mutex<Vec<shequ::deliver::sink::Received>>>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", l.local_addr().unwrap());
    let got: Arc<Mutex<Vec<_>>> = Default::default();
    let g = got.clone();
    tokio::spawn(shequ::deliver::sink::serve(
        l,
        Arc::new(SECRET.as_bytes().to_vec()),
        None,
        Duration::ZERO,
        move |r| g.lock().unwrap().push(r),
    ));
    (url, got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_organisation_is_an_outbox_recipient_reached_at_its_contact() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let care = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", CARE).await;
        let to = format!("org:{care}");
        // Whatever today is, the care centre's report of this year is overdue by mid-June.
        let year = store::clock::today().year();
        store::orgs::remind_all(&s.db, "test", time_date(year, 6, 15).max(store::clock::today())).await.unwrap();
        let kinds: Vec<String> = sqlx::query_scalar("SELECT recipient_kind FROM outbox WHERE recipient = $1")
            .bind(&to)
            .fetch_all(&s.db.pool)
            .await
            .unwrap();
        assert!(!kinds.is_empty() && kinds.iter().all(|k| k == "org"), "{backend}: {kinds:?}");
        // The worker sends it to the person in charge's phone by SMS.
        sqlx::query("UPDATE outbox SET status = 'skipped' WHERE recipient <> $1")
            .bind(&to)
            .execute(&s.db.pool)
            .await
            .unwrap();
        let (gw, got) = gateway().await;
        let cfg = shequ::deliver::Config {
            sms_gateway: Some(gw),
            smtp: None,
            webhook: None,
            secret: Arc::new(SECRET.as_bytes().to_vec()),
            webhook_secret: Arc::new(SECRET.as_bytes().to_vec()),
            retry: notify::retry::Retry {
                base: Duration::from_millis(400),
                cap: Duration::from_secs(2),
                max_attempts: 5,
            },
            quiet: None,
            interval: Duration::from_millis(100),
            lease_secs: 30,
            batch: 50,
            sms_rate: 0,
            concurrency: 4,
            max_parts: 4,
        };
        shequ::deliver::Worker::new(cfg).drain(&s.db).await.unwrap();
        let arrived = got.lock().unwrap().clone();
        assert_eq!(arrived.len(), kinds.len(), "{backend}");
        assert!(arrived.iter().all(|r| r.to == "13800000403" && r.signature_ok), "{backend}");
        let sent: Vec<String> = sqlx::query_scalar("SELECT status FROM outbox WHERE recipient = $1")
            .bind(&to)
            .fetch_all(&s.db.pool)
            .await
            .unwrap();
        assert!(sent.iter().all(|x| x == "sent"), "{backend}: {sent:?}");
        // The /outbox page names the organisation as a social organisation.
        let (admin, _) = login(&s, "admin").await;
        let page = admin.get(format!("{}/outbox", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&format!("社会组织 <span class=\"muted\">{CARE}")), "{backend}");
    }
}

#[tokio::test]
async fn the_district_rolls_up_a_group_inside_a_member_organisation_once() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let (district, _) = login(&s, "district").await;
        let (admin, a) = login(&s, "admin").await;
        let care = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", CARE).await;
        let health = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", "天井湖社区健康服务中心（示例）").await;
        let fed = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", FEDERATION).await;
        let total = async || get(&district, format!("{b}/api/v1/orgs")).await.1["total"].clone();
        let t = total().await;
        // 11 organisations; 10 inside the federation (the dance group, inside the care centre too, once);
        // this year's annual reports: the federation's and the health centre's filed, of three.
        assert_eq!((t["area"]["organisations"].as_i64(), t["area"]["in_federations"].as_i64()), (Some(11), Some(10)));
        assert_eq!((t["reports_filed"].as_i64(), t["inspections"].as_i64()), (Some(2), Some(3)), "{backend}: {t}");
        assert_eq!(t["figures"]["activities"].as_i64(), Some(4), "{backend}: {t}");

        // A new group joins the care centre (a member organisation), then the health centre too.
        let (st, g) = post_json(
            &admin,
            &a,
            format!("{b}/api/v1/orgs"),
            json!({"name": "新建花友会（测试）", "tier": "small", "nature": "community_service", "fields": "养花",
                   "person_in_charge": "某人", "founded_on": "2026-01-01"}),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {g}");
        let join = json!({"member_org_id": g["id"], "joined_on": "2026-02-01"});
        assert_eq!(post_json(&admin, &a, format!("{b}/api/v1/orgs/{care}/members"), join.clone()).await.0, 200);
        assert_eq!(post_json(&admin, &a, format!("{b}/api/v1/orgs/{health}/members"), join).await.0, 200);
        let t = total().await;
        assert_eq!((t["area"]["organisations"].as_i64(), t["area"]["in_federations"].as_i64()), (Some(12), Some(11)));
        let (_, f) = get(&admin, format!("{b}/api/v1/orgs/{fed}")).await;
        assert_eq!(f["roll_up"]["organisations"], 11, "{backend}: counted once through two member organisations");
        let (_, v) = get(&district, format!("{b}/api/v1/orgs")).await;
        let row = v["figures"].as_array().unwrap().iter().find(|r| r["community_code"] == "340705402").cloned();
        assert_eq!(row.unwrap()["area"]["in_federations"], 11, "{backend}");
        // The district's page shows the roll-up with the district's total.
        let page = district.get(format!("{b}/orgs")).send().await.unwrap().text().await.unwrap();
        assert!(
            page.contains("id=\"roll-up\"") && page.contains("全区合计") && page.contains("纳入联合会"),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn rule_5_15_the_members_table_decides_a_social_groups_inspection() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let (admin, a) = login(&s, "admin").await;
        let (district, t) = login(&s, "district").await;
        // Declared 20 founding members: registered; the members table holds none.
        let code = rules::gb32100::compose("51340705MJ0000951").unwrap();
        let (st, sg) = post_json(
            &admin,
            &a,
            format!("{b}/api/v1/orgs"),
            json!({"name": "天井湖书法协会（测试）", "tier": "registered", "legal_form": "social_group", "uscc": code,
                   "nature": "community_service", "fields": "书法", "person_in_charge": "某人",
                   "founded_on": "2025-01-01", "people": 20}),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {sg}");
        let next = store::clock::today().year() + 1;
        assert_eq!(
            post_json(&district, &t, format!("{b}/api/v1/orgs/inspections"), json!({"year": next})).await.0,
            200
        );
        let insp = |org: i64| {
            let db = s.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT id FROM org_inspections WHERE org_id = $1 AND year = $2")
                    .bind(org)
                    .bind(i64::from(next))
                    .fetch_one(&db.pool)
                    .await
                    .unwrap()
            }
        };
        let mine = insp(sg["id"].as_i64().unwrap()).await;
        let report = json!({"report": "年度工作报告"});
        assert_eq!(
            post_json(&admin, &a, format!("{b}/api/v1/orgs/inspections/{mine}/report"), report.clone()).await.0,
            200
        );
        // Its page says so before the district decides.
        let (_, detail) = get(&admin, format!("{b}/api/v1/orgs/{}", sg["id"])).await;
        assert!(detail["short_of_members"]["zh"].as_str().unwrap_or("").contains("规则5.15"), "{backend}: {detail}");
        let before = rows(&s.db).await;
        let (st, v) =
            post_json(&district, &t, format!("{b}/api/v1/orgs/inspections/{mine}/decide"), json!({"decision": "pass"}))
                .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("规则5.15") && v.to_string().contains("现有个人0个"), "{backend}: {v}");
        assert_eq!(rows(&s.db).await, before, "{backend}: a refusal writes nothing");
        // The federation has its ten member organisations in the table: it passes.
        let fed = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", FEDERATION).await;
        let theirs = insp(fed).await;
        assert_eq!(post_json(&admin, &a, format!("{b}/api/v1/orgs/inspections/{theirs}/report"), report).await.0, 200);
        let (st, v) = post_json(
            &district,
            &t,
            format!("{b}/api/v1/orgs/inspections/{theirs}/decide"),
            json!({"decision": "pass"}),
        )
        .await;
        assert_eq!((st, v["status"].as_str()), (200, Some("passed")), "{backend}: {v}");
    }
}

#[tokio::test]
async fn rule_5_4_the_exit_list_is_matched_after_normalisation() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let (admin, a) = login(&s, "admin").await;
        let (fin, f) = login(&s, "finance").await;
        let (st, line) = post_json(&fin, &f, format!("{b}/api/v1/purchases/budget-lines"),
            json!({"community": "340705402", "year": 2026, "title": "测试科目", "amount": "100000.00", "approved_ref": "文号"})).await;
        assert_eq!(st, 200, "{backend}: {line}");
        let cat = async |code: &str, title: &str| {
            let (st, v) = post_json(
                &fin,
                &f,
                format!("{b}/api/v1/purchases/catalogue"),
                json!({"code": code, "title": title, "published_on": "2026-01-02"}),
            )
            .await;
            assert_eq!(st, 200, "{backend}: {v}");
            v["id"].clone()
        };
        let plain = cat("T-9", "社区公共服务").await;
        let coded = cat("ｅｘ－００１", "社区协作服务").await;
        let project = |item: &Value, title: &str| {
            json!({"title": title, "catalogue_id": item, "budget_line_id": line["id"], "buyer_name": "某机关",
                   "buyer_kind": "state_organ", "content": "内容", "prior_assessment": "已评估", "targets": "目标",
                   "measure": "visits", "target_quantity": 10, "price": "1000.00"})
        };
        let before = rows(&s.db).await;
        // A near-duplicate of 环境整治 (full width, spaces, punctuation, more words around it).
        for (item, title, says) in [
            (&plain, "社区 环境　整治（２０２６年度）", "环境整治"),
            (&plain, "“招商引资”服务", "招商引资"),
            (&coded, "社区协作服务", "招商引资"),
        ] {
            let (st, v) = post_json(&admin, &a, format!("{b}/api/v1/purchases"), project(item, title)).await;
            assert_eq!(st, 422, "{backend}: {title}: {v}");
            assert!(v.to_string().contains("规则5.4") && v.to_string().contains(says), "{backend}: {v}");
            assert_eq!(rows(&s.db).await, before, "{backend}: nothing written");
        }
        // A title sharing only a short word (服务, 管理) with exit items is not one of them.
        let (st, v) = post_json(&admin, &a, format!("{b}/api/v1/purchases"), project(&plain, "社区助残服务管理")).await;
        assert_eq!(st, 200, "{backend}: {v}");
    }
}

#[tokio::test]
async fn the_person_in_charge_is_shown_per_role() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let care = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", CARE).await;
        let person = async |user: &str| {
            let (c, _) = login(&s, user).await;
            let (st, v) = get(&c, format!("{b}/api/v1/orgs/{care}")).await;
            assert_eq!(st, 200, "{backend} {user}: {v}");
            let (_, list) = get(&c, format!("{b}/api/v1/orgs")).await;
            let row = list["orgs"].as_array().unwrap().iter().find(|o| o["id"] == care).cloned().unwrap();
            assert_eq!(row["person_phone"], v["org"]["person_phone"], "{backend} {user}: the list as the record");
            (
                v["org"]["person_in_charge"].as_str().unwrap().to_string(),
                v["org"]["person_phone"].as_str().unwrap().to_string(),
            )
        };
        // Those who manage it: the community's administrator, the district.
        for u in ["admin", "district"] {
            assert_eq!(person(u).await, ("负责人（示例）".into(), "13800000403".into()), "{backend} {u}");
        }
        // The community's other staff: the name, the phone masked.
        assert_eq!(person("frontdesk").await, ("负责人（示例）".into(), "138****0403".into()), "{backend}");
        // The city, and another organisation's log-in: both masked.
        for u in ["civil", "org"] {
            assert_eq!(person(u).await, ("负*人（示例）".into(), "138****0403".into()), "{backend} {u}");
        }
        // The public page of the care centre's project: no person, no phone.
        let p = id_of(&s.db, "SELECT id FROM purchase_projects WHERE title = $1", "居家养老服务").await;
        let html = client().get(format!("{b}/purchases/{p}/public")).send().await.unwrap().text().await.unwrap();
        let (_, json) = get(&client(), format!("{b}/api/v1/purchases/{p}/public")).await;
        for text in [html, json.to_string()] {
            assert!(text.contains(CARE), "{backend}");
            for private in ["负责人", "13800000403", "138****", "队员"] {
                assert!(!text.contains(private), "{backend}: {private} on the public page");
            }
        }
    }
}

/// Percent-encoding of a form value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The text of each field error (`id="{form}-{field}-error"`) on a page.
fn field_errors(html: &str, form: &str) -> Vec<(String, String)> {
    let mark = format!("class=\"field-error\" id=\"{form}-");
    let mut out = Vec::new();
    for part in html.split(&mark).skip(1) {
        let Some((field, rest)) = part.split_once("-error\"") else { continue };
        let text = rest.split_once('>').map(|r| r.1).unwrap_or("").split("</div>").next().unwrap_or("");
        out.push((field.to_string(), text.to_string()));
    }
    out
}

#[tokio::test]
async fn every_form_shows_all_its_errors_at_once_beside_the_fields_in_chinese() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let fed = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", FEDERATION).await;
        let health = id_of(&s.db, "SELECT id FROM purchase_projects WHERE title = $1", "基层社区医疗卫生服务").await;
        let submitted: i64 = count(&s.db, "SELECT MIN(id) FROM org_inspections WHERE status = 'submitted'").await;
        let forms: Vec<(&str, String, &str, &[(&str, &str)], &[&str])> = vec![
            (
                "admin",
                "/orgs".into(),
                "register",
                &[("person_phone", "电话abc")],
                &["name", "tier", "nature", "fields", "person_in_charge", "person_phone", "founded_on"],
            ),
            (
                "admin",
                format!("/orgs/{fed}/edit"),
                "edit",
                &[("person_phone", "12")],
                &["fields", "person_in_charge", "person_phone"],
            ),
            (
                "admin",
                format!("/orgs/{fed}/activities"),
                "activity",
                &[("participants", "-3")],
                &["held_on", "title", "participants"],
            ),
            ("admin", format!("/orgs/{fed}/members"), "member", &[], &["person", "joined_on"]),
            (
                "district",
                "/orgs/settings".into(),
                "settings",
                &[("sg_units", "十"), ("inspection_due", "13-40")],
                &["sg_units", "inspection_due"],
            ),
            ("district", "/orgs/inspections".into(), "open", &[], &["year"]),
            ("district", format!("/orgs/inspections/{submitted}/decide"), "decide", &[], &["decision"]),
            ("finance", "/purchases/catalogue".into(), "catalogue", &[], &["code", "title", "published_on"]),
            ("finance", "/purchases/budget-lines".into(), "budget", &[], &["year", "title", "amount", "approved_ref"]),
            ("admin", "/purchases".into(), "project", &[], &["title", "catalogue_id", "budget_line_id", "buyer_name"]),
            (
                "admin",
                format!("/purchases/{health}/evaluations"),
                "evaluate",
                &[],
                &["stage", "evaluator", "score", "comments"],
            ),
            ("admin", format!("/purchases/{health}/payments"), "pay", &[], &["amount", "paid_on"]),
        ];
        for (user, path, form, values, expected) in forms {
            let (c, csrf) = login(&s, user).await;
            let mut body: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
            body.extend(values.iter().copied());
            let before = rows(&s.db).await;
            let encoded: Vec<String> = body.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
            let r = c
                .post(format!("{}{path}", s.base))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(encoded.join("&"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 422, "{backend} {user} {path}");
            let html = r.text().await.unwrap();
            let errs = field_errors(&html, form);
            for f in expected {
                let e = errs.iter().find(|(x, _)| x == f);
                assert!(e.is_some(), "{backend} {path}: no error beside {f}; found {errs:?}");
            }
            for (f, text) in &errs {
                let han = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                let latin = text.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w.len() >= 3);
                assert!(han && !latin, "{backend} {path}: {f}'s error is not Chinese: {text}");
            }
            assert_eq!(rows(&s.db).await, before, "{backend} {path}: bad input changes nothing");
        }
    }
}

/// A district with more inspections than a page lists (1,000) is reminded of every one: the
/// sweep reads the inspections still due, not the listing.
#[tokio::test]
async fn every_due_inspection_is_reminded_past_a_thousand() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let district: String = sqlx::query_scalar("SELECT district_code FROM communities WHERE code = '340705402'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1005) \
             INSERT INTO orgs (community_code, district_code, name, tier, fields, person_in_charge, founded_on, \
             created_by, created_at, illustrative) \
             SELECT '340705402', $1, '年检测试组织' || CAST(i AS TEXT), 'small', '[]', '某', '2020-01-01', 'test', \
             '2026-01-01T00:00:00Z', 1 FROM n",
        )
        .bind(&district)
        .execute(&s.db.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO org_inspections (org_id, community_code, district_code, year, due_on, status) \
             SELECT id, community_code, district_code, 2025, '2026-05-31', 'due' FROM orgs WHERE name LIKE '年检测试组织%'",
        )
        .execute(&s.db.pool)
        .await
        .unwrap();
        let today = time::Date::from_calendar_date(2026, time::Month::June, 15).unwrap();
        let r = store::orgs::remind(&s.db, "test", &district, today).await.unwrap();
        assert!(r.overdue >= 1005, "{backend}: {} reminded", r.overdue);
        let left = count(
            &s.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM org_inspections i JOIN orgs o ON o.id = i.org_id \
             WHERE o.name LIKE '年检测试组织%' AND i.overdue_reminded_on IS NULL",
        )
        .await;
        assert_eq!(left, 0, "{backend}: every overdue inspection is reminded");
    }
}
