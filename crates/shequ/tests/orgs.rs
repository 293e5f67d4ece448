//! Community social organisations and government purchase of services through the
//! API, on both databases: every rule of §5 refuses with the rule named and writes
//! nothing; a purchase goes from catalogue item to a paid instalment posted through
//! the ledger; scope (another community's records → 404, another organisation's →
//! 404), the overdue view, the outbox reminders and the public page without personal data.

mod common;
use common::*;
use serde_json::{Value, json};
use store::Db;

/// Rows of every table a refusal must leave unchanged, and the audit head.
async fn rows(db: &Db) -> Vec<i64> {
    let mut out = Vec::new();
    for t in [
        "orgs",
        "org_members",
        "org_activities",
        "org_inspections",
        "purchase_catalogue",
        "purchase_budget_lines",
        "purchase_projects",
        "purchase_records",
        "purchase_evaluations",
        "purchase_payments",
        "fin_transactions",
        "outbox",
    ] {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {t}")))
            .fetch_one(&db.pool)
            .await
            .unwrap();
        out.push(n);
    }
    let seq: i64 = sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1").fetch_one(&db.pool).await.unwrap();
    out.push(seq);
    out
}

async fn get(c: &reqwest::Client, url: String) -> (u16, Value) {
    let r = c.get(url).send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

/// A refusal: 422 naming `field`, its Chinese reason containing `says`, and nothing written.
async fn refused(s: &Server, (st, v): (u16, Value), field: &str, says: &str, before: &[i64]) {
    assert_eq!(st, 422, "{}: {field} {says}: {v}", s.backend);
    let errs = v["errors"].as_array().cloned().unwrap_or_else(|| vec![v.clone()]);
    assert!(
        errs.iter()
            .any(|e| e["field"] == field && e["zh"].as_str().or(e["detail"].as_str()).unwrap_or("").contains(says)),
        "{}: expected {field}: {says} in {v}",
        s.backend
    );
    assert_eq!(rows(&s.db).await, before, "{}: a refusal writes nothing ({says})", s.backend);
}

async fn id_of(db: &Db, sql: &str, name: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).bind(name).fetch_one(&db.pool).await.unwrap()
}

fn code(first17: &str) -> String {
    rules::gb32100::compose(first17).unwrap()
}

fn org(name: &str, tier: &str, form: &str, uscc: &str) -> Value {
    json!({"name": name, "tier": tier, "legal_form": form, "uscc": uscc, "nature": "community_service",
           "fields": "助老", "person_in_charge": "负责人", "founded_on": "2020-01-01"})
}

#[tokio::test]
async fn every_rule_refuses_with_its_name_and_writes_nothing() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let (admin, a) = login(&s, "admin").await;
        let (fin, f) = login(&s, "finance").await;
        let before = rows(&s.db).await;
        let filed = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", "天井湖社区舞蹈队（示例）").await;
        let fed = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", "天井湖社区社会组织联合会").await;

        // The registry: §5.12, §5.14, §6c, §5.13, §5.15, §5.16.
        let u = format!("{b}/api/v1/orgs");
        let r = post_json(&admin, &a, u.clone(), org("备案队", "filed", "", &code("51340705MJ0000901"))).await;
        refused(&s, r, "uscc", "规则5.12", &before).await;
        let r =
            post_json(&admin, &a, u.clone(), org("民非甲", "registered", "service_org", &code("51340705MJ0000902")))
                .await;
        refused(&s, r, "uscc", "规则5.14", &before).await;
        let r =
            post_json(&admin, &a, u.clone(), org("民非乙", "registered", "service_org", "91350100M000100Y44")).await;
        refused(&s, r, "uscc", "规则6c", &before).await;
        let mut owners = org("某小区业委会", "filed", "", "");
        owners["nature"] = json!("owners_committee");
        let r = post_json(&admin, &a, u.clone(), owners).await;
        refused(&s, r, "nature", "规则5.13", &before).await;
        let mut few = org("小社团", "registered", "social_group", &code("51340705MJ0000903"));
        few["people"] = json!("5");
        let r = post_json(&admin, &a, u.clone(), few).await;
        refused(&s, r, "people", "规则5.15", &before).await;
        let r = post_json(
            &admin,
            &a,
            format!("{b}/api/v1/orgs/{fed}/members"),
            json!({"person": "某人", "joined_on": "2026-01-01"}),
        )
        .await;
        refused(&s, r, "person", "规则5.16", &before).await;

        // A project: §5.1, §5.2, §5.3, §5.4 (negative list, budget left), §5.8 prior assessment.
        let item = id_of(&s.db, "SELECT id FROM purchase_catalogue WHERE title = $1", "居家养老服务").await;
        let negative =
            id_of(&s.db, "SELECT id FROM purchase_catalogue WHERE title = $1", "购买主体的公益性岗位人员聘用").await;
        let line = id_of(&s.db, "SELECT id FROM purchase_budget_lines WHERE title = $1", "2014年居家养老服务").await;
        let project = |buyer_kind: &str| {
            json!({"title": "助餐服务", "catalogue_id": item, "budget_line_id": line, "buyer_name": "某机关",
                   "buyer_kind": buyer_kind, "content": "助餐", "prior_assessment": "已评估", "targets": "500人",
                   "measure": "people", "target_quantity": 500, "price": "1000.00"})
        };
        let p = format!("{b}/api/v1/purchases");
        let r = post_json(&admin, &a, p.clone(), project("residents_committee")).await;
        refused(&s, r, "buyer_kind", "规则5.1", &before).await;
        let r = post_json(&admin, &a, p.clone(), project("public_welfare_one")).await;
        refused(&s, r, "buyer_kind", "规则5.1", &before).await;
        let mut barred = project("state_organ");
        barred["barred"] = json!("own_staffing");
        let r = post_json(&admin, &a, p.clone(), barred).await;
        refused(&s, r, "barred", "规则5.3", &before).await;
        let mut neg = project("state_organ");
        neg["catalogue_id"] = json!(negative);
        let r = post_json(&admin, &a, p.clone(), neg).await;
        refused(&s, r, "catalogue_id", "负面清单", &before).await;
        let r = post_json(
            &admin,
            &a,
            p.clone(),
            json!({"title": "x", "buyer_name": "某机关", "buyer_kind": "state_organ"}),
        )
        .await;
        assert_eq!(r.0, 422, "{backend}: {}", r.1);
        // The line's 1,496,500.00 is taken by the demo's project: nothing is left.
        let r = post_json(&admin, &a, p.clone(), project("state_organ")).await;
        refused(&s, r, "budget_line_id", "规则5.4", &before).await;
        let mut blind = project("state_organ");
        blind["prior_assessment"] = json!("");
        let r = post_json(&admin, &a, p.clone(), blind).await;
        refused(&s, r, "prior_assessment", "规则5.8", &before).await;
        // §5.2 also bars a buyer that is a funded mass organisation.
        let r = post_json(&admin, &a, p.clone(), project("funded_mass_organisation")).await;
        refused(&s, r, "buyer_kind", "规则5.1", &before).await;

        // A fresh line and project to try contracts on (those writes are meant).
        let (st, l) = post_json(&fin, &f, format!("{b}/api/v1/purchases/budget-lines"),
            json!({"community": "340705402", "year": 2026, "title": "测试科目", "amount": "1000.00", "approved_ref": "文号"})).await;
        assert_eq!(st, 200, "{backend}: {l}");
        let mut ok = project("state_organ");
        ok["budget_line_id"] = l["id"].clone();
        let (st, pj) = post_json(&admin, &a, p.clone(), ok).await;
        assert_eq!(st, 200, "{backend}: {pj}");
        let c = format!("{b}/api/v1/purchases/{}/contract", pj["id"]);
        let before = rows(&s.db).await;
        let contract = |provider: Value| {
            let mut v = json!({"method": "inquiry", "quantity_terms": "500人", "quality_terms": "满意度90%", "settlement": "按季",
                "rights": "第四条", "liability": "第七条", "term_from": "2026-01-01", "term_to": "2026-12-31", "published_on": "2025-12-20"});
            for (k, x) in provider.as_object().unwrap() {
                v[k] = x.clone();
            }
            v
        };
        let r = post_json(&admin, &a, c.clone(), contract(json!({"provider_org_id": filed}))).await;
        refused(&s, r, "provider_org_id", "规则5.12", &before).await;
        let r = post_json(
            &admin,
            &a,
            c.clone(),
            contract(json!({"provider_name": "某局", "provider_kind": "state_organ"})),
        )
        .await;
        refused(&s, r, "provider_kind", "规则5.1", &before).await;
        let r = post_json(
            &admin,
            &a,
            c.clone(),
            contract(json!({"provider_name": "某事业单位", "provider_kind": "public_welfare_one"})),
        )
        .await;
        refused(&s, r, "provider_kind", "规则5.2", &before).await;
        let r = post_json(
            &admin,
            &a,
            c.clone(),
            contract(json!({"provider_name": "张师傅", "provider_kind": "individual"})),
        )
        .await;
        refused(&s, r, "individual_reason", "规则5.9", &before).await;
        let r = post_json(&admin, &a, c.clone(), contract(json!({"provider_org_id": fed, "method": ""}))).await;
        refused(&s, r, "method", "规则5.5", &before).await;
        let r = post_json(&admin, &a, c.clone(), contract(json!({"provider_org_id": fed, "liability": " "}))).await;
        refused(&s, r, "quantity_terms", "违约责任", &before).await;
        let r =
            post_json(&admin, &a, c.clone(), contract(json!({"provider_org_id": fed, "term_to": "2027-06-30"}))).await;
        refused(&s, r, "term_to", "规则5.7", &before).await;
        let long =
            json!({"provider_org_id": fed, "term_to": "2029-01-01", "justification": "稳定", "budget_guarantee": true});
        let r = post_json(&admin, &a, c.clone(), contract(long)).await;
        refused(&s, r, "term_to", "不得超过3年", &before).await;

        // §5.8: an instalment beyond the confirmed records, or above the contract.
        let health = id_of(&s.db, "SELECT id FROM purchase_projects WHERE title = $1", "基层社区医疗卫生服务").await;
        let pay = format!("{b}/api/v1/purchases/{health}/payments");
        // 51,000 confirmed visits of 100,000 earn 8,802,600.00; 4,315,000.00 is paid.
        let r = post_json(&admin, &a, pay.clone(), json!({"amount": "4487600.01", "paid_on": "2014-07-15"})).await;
        refused(&s, r, "amount", "规则5.8", &before).await;
        let r = post_json(&admin, &a, pay.clone(), json!({"amount": "17260000.00", "paid_on": "2014-07-15"})).await;
        refused(&s, r, "amount", "不得超过合同金额", &before).await;
        let r = post_json(&admin, &a, pay, json!({"amount": "0", "paid_on": "2014-07-15"})).await;
        refused(&s, r, "amount", "大于0", &before).await;
    }
}

#[tokio::test]
async fn a_purchase_goes_from_catalogue_item_to_a_paid_instalment() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let (admin, a) = login(&s, "admin").await;
        let (fin, f) = login(&s, "finance").await;
        let (org, o) = login(&s, "org").await;
        let fed = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", "天井湖社区社会组织联合会").await;

        // The seed's two purchases, at their amounts.
        let (_, all) = get(&admin, format!("{b}/api/v1/purchases")).await;
        let prices: Vec<i64> =
            all["projects"].as_array().unwrap().iter().map(|p| p["price_fen"].as_i64().unwrap()).collect();
        assert!(prices.contains(&1_726_000_000) && prices.contains(&149_650_000), "{backend}: {prices:?}");

        let (st, item) = post_json(
            &fin,
            &f,
            format!("{b}/api/v1/purchases/catalogue"),
            json!({"code": "T-1", "title": "社区文体活动组织", "published_on": "2026-01-02"}),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {item}");
        let (st, line) = post_json(&fin, &f, format!("{b}/api/v1/purchases/budget-lines"),
            json!({"community": "340705402", "year": 2026, "title": "文体活动", "amount": "20000.00", "approved_ref": "文号"})).await;
        assert_eq!(st, 200, "{backend}: {line}");
        let (st, p) = post_json(&admin, &a, format!("{b}/api/v1/purchases"),
            json!({"title": "社区文体活动", "catalogue_id": item["id"], "budget_line_id": line["id"], "buyer_name": "铜官区文化局",
                   "buyer_kind": "state_organ", "content": "组织文体活动", "prior_assessment": "已评估", "targets": "12次",
                   "measure": "visits", "target_quantity": 12, "price": "12000.00"})).await;
        assert_eq!(st, 200, "{backend}: {p}");
        let id = p["id"].as_i64().unwrap();
        let (st, ap) =
            post_json(&org, &o, format!("{b}/api/v1/purchases/{id}/applications"), json!({"note": "有会员组织承接"}))
                .await;
        assert_eq!(st, 200, "{backend}: {ap}");
        let (st, c) = post_json(&admin, &a, format!("{b}/api/v1/purchases/{id}/contract"),
            json!({"provider_org_id": fed, "method": "competitive_consultation", "quantity_terms": "12次", "quality_terms": "满意度90%",
                   "settlement": "按次结算", "rights": "第四条", "liability": "第七条", "term_from": "2026-01-01",
                   "term_to": "2026-12-31", "published_on": "2025-12-20"})).await;
        assert_eq!(st, 200, "{backend}: {c}");
        let (st, r) = post_json(
            &org,
            &o,
            format!("{b}/api/v1/purchases/{id}/records"),
            json!({"done_on": "2026-06-30", "visits": 6, "people": 300}),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {r}");
        // Nothing is paid against a record the community has not confirmed.
        let (st, _) = post_json(
            &admin,
            &a,
            format!("{b}/api/v1/purchases/{id}/payments"),
            json!({"amount": "6000.00", "paid_on": "2026-07-01"}),
        )
        .await;
        assert_eq!(st, 422, "{backend}");
        let (st, _) = post_json(
            &admin,
            &a,
            format!("{b}/api/v1/purchases/records/{}/decide", r["id"]),
            json!({"decision": "confirm"}),
        )
        .await;
        assert_eq!(st, 200, "{backend}");
        let tx_before: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM fin_transactions")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let (st, paid) = post_json(
            &admin,
            &a,
            format!("{b}/api/v1/purchases/{id}/payments"),
            json!({"amount": "6000.00", "paid_on": "2026-07-01"}),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {paid}");
        let tx_after: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM fin_transactions")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(tx_after, tx_before + 1, "{backend}: the instalment is posted through the ledger");
        let memo: String = sqlx::query_scalar("SELECT memo FROM fin_transactions WHERE id = $1")
            .bind(paid["fin_tx_id"].as_i64().unwrap())
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert!(memo.contains("社区文体活动"), "{backend}: {memo}");
        // The rest needs the remaining records and a passed final evaluation.
        let (st, r2) = post_json(
            &org,
            &o,
            format!("{b}/api/v1/purchases/{id}/records"),
            json!({"done_on": "2026-11-30", "visits": 6}),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {r2}");
        post_json(
            &admin,
            &a,
            format!("{b}/api/v1/purchases/records/{}/decide", r2["id"]),
            json!({"decision": "confirm"}),
        )
        .await;
        let (st, v) = post_json(
            &admin,
            &a,
            format!("{b}/api/v1/purchases/{id}/payments"),
            json!({"amount": "6000.00", "paid_on": "2026-12-01"}),
        )
        .await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert!(v.to_string().contains("终期评价"), "{backend}: {v}");
        let (st, _) = post_json(
            &admin,
            &a,
            format!("{b}/api/v1/purchases/{id}/evaluations"),
            json!({"stage": "final", "evaluator": "community", "score": 90, "comments": "良好"}),
        )
        .await;
        assert_eq!(st, 200, "{backend}");
        let (st, v) = post_json(
            &admin,
            &a,
            format!("{b}/api/v1/purchases/{id}/payments"),
            json!({"amount": "6000.00", "paid_on": "2026-12-01"}),
        )
        .await;
        assert_eq!(st, 200, "{backend}: {v}");

        // The public page: anyone, the figures, no person's name.
        let (st, pubv) = get(&client(), format!("{b}/api/v1/purchases/{id}/public")).await;
        assert_eq!(st, 200, "{backend}");
        assert_eq!(pubv["standing"]["paid_fen"], 1_200_000, "{backend}: {pubv}");
        assert!(!pubv.to_string().contains("负责人"), "{backend}: {pubv}");
        let html = client().get(format!("{b}/purchases/{id}/public")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("12000.00") && html.contains("社区文体活动"), "{backend}");
    }
}

#[tokio::test]
async fn scope_the_overdue_view_reminders_and_the_federation() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let (foreign, _) = login(&s, "admin_yh").await;
        let (org, o) = login(&s, "org").await;
        let (district, _) = login(&s, "district").await;
        let fed = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", "天井湖社区社会组织联合会").await;
        let care = id_of(&s.db, "SELECT id FROM orgs WHERE name = $1", "天井湖居家养老服务中心（示例）").await;
        let health = id_of(&s.db, "SELECT id FROM purchase_projects WHERE title = $1", "基层社区医疗卫生服务").await;

        // Another community's administrator sees none of 天井湖's records.
        assert_eq!(get(&foreign, format!("{b}/api/v1/orgs/{fed}")).await.0, 404, "{backend}");
        assert_eq!(get(&foreign, format!("{b}/api/v1/purchases/{health}")).await.0, 404, "{backend}");
        // The federation's log-in keeps its own record, not another organisation's.
        let before = rows(&s.db).await;
        let act = json!({"held_on": "2026-03-01", "title": "活动", "participants": 3, "hours": 1});
        assert_eq!(
            post_json(&org, &o, format!("{b}/api/v1/orgs/{care}/activities"), act.clone()).await.0,
            404,
            "{backend}"
        );
        assert_eq!(rows(&s.db).await, before, "{backend}");
        assert_eq!(post_json(&org, &o, format!("{b}/api/v1/orgs/{fed}/activities"), act).await.0, 200, "{backend}");
        // Nor does it enter records for a project another organisation provides.
        let rec = json!({"done_on": "2014-05-01", "visits": 1});
        assert_eq!(
            post_json(&org, &o, format!("{b}/api/v1/purchases/{health}/records"), rec).await.0,
            404,
            "{backend}"
        );

        // The federation's roll-up counts the dance group (inside the care centre too) once.
        let (_, v) = get(&org, format!("{b}/api/v1/orgs/{fed}")).await;
        assert_eq!(v["roll_up"]["organisations"], 10, "{backend}: {v}");
        assert_eq!(v["mine"], true, "{backend}");

        // The district's overdue view and the reminders in the outbox (once each).
        let (_, d) = get(&district, format!("{b}/api/v1/orgs")).await;
        let overdue: Vec<i64> =
            d["overdue"].as_array().unwrap().iter().map(|i| i["org_id"].as_i64().unwrap()).collect();
        let past_due = store::clock::today() > time_date(store::clock::today().year(), 5, 31);
        assert_eq!(overdue.contains(&care), past_due, "{backend}: {d}");
        // An organisation's log-in sees its own overdue reports only, never another's.
        let (_, mine) = get(&org, format!("{b}/api/v1/orgs")).await;
        let theirs: Vec<i64> =
            mine["overdue"].as_array().unwrap().iter().map(|i| i["org_id"].as_i64().unwrap()).collect();
        assert!(theirs.iter().all(|id| *id == fed), "{backend}: {mine}");
        assert_eq!(mine["cut"], json!([]), "{backend}");
        let to_care: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE recipient = $1")
            .bind(format!("org:{care}"))
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(to_care, 1, "{backend}");
        let (c, t) = login(&s, "district").await;
        let (st, again) = post_json(&c, &t, format!("{b}/api/v1/orgs/inspections/remind"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {again}");
        assert_eq!(again["overdue"], 0, "{backend}: reminded once");
    }
}
