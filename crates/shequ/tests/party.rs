//! Party building with resident units through the API, on both databases:
//! the rules' refusals (a unit seated twice, fulfilment outside its period or
//! of another kind, a veto without grounds, an evaluation from outside the
//! community) answer with a clear reason and write nothing; an agreement goes
//! from signature to fulfilment (money into the ledger) to an evaluated and
//! vetoed year; scope (another community's or unit's record → 404) and the
//! privacy of cadre reviews.

mod common;
use common::*;
use serde_json::{Value, json};
use store::Db;

async fn audit_seq(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1").fetch_one(&db.pool).await.unwrap()
}

/// Rows of every party table: what a refusal must leave unchanged.
async fn party_rows(db: &Db) -> Vec<i64> {
    let mut out = Vec::new();
    for t in [
        "party_seats",
        "party_agreements",
        "party_commitments",
        "party_fulfilments",
        "party_evaluations",
        "party_cadre_reviews",
        "party_vetoes",
        "party_veto_grounds",
        "fin_transactions",
    ] {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {t}")))
            .fetch_one(&db.pool)
            .await
            .unwrap();
        out.push(n);
    }
    out.push(audit_seq(db).await);
    out
}

async fn get(c: &reqwest::Client, url: String) -> (u16, Value) {
    let r = c.get(url).send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

/// The demo unit of 天井湖 whose name ends so.
async fn unit(db: &Db, suffix: &str) -> i64 {
    store::structure::units(db, Some("340705402"), None)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name.ends_with(suffix))
        .unwrap()
        .id
}

/// The demo commitment of a unit of this kind.
async fn commitment(db: &Db, unit: i64, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM party_commitments WHERE unit_id = $1 AND kind = $2 ORDER BY id")
        .bind(unit)
        .bind(kind)
        .fetch_all(&db.pool)
        .await
        .unwrap()[0]
}

async fn agreement_of(db: &Db, unit: i64) -> i64 {
    sqlx::query_scalar("SELECT MIN(id) FROM party_agreements WHERE unit_id = $1")
        .bind(unit)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// A refusal: 422 naming `field`, saying `says` in Chinese, and nothing written.
async fn refused(s: &Server, (st, v): (u16, Value), field: &str, says: &str, before: &[i64]) {
    assert_eq!(st, 422, "{}: {v}", s.backend);
    let errs = v["errors"].as_array().cloned().unwrap_or_default();
    assert!(
        errs.iter().any(|e| e["field"] == field && e["zh"].as_str().unwrap_or("").contains(says)),
        "{}: expected {field}: {says} in {v}",
        s.backend
    );
    assert_eq!(party_rows(&s.db).await, before, "{}: a refusal writes nothing", s.backend);
}

#[tokio::test]
async fn the_rules_refuse_with_a_clear_reason_and_write_nothing() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let (admin, a) = login(&s, "admin").await;
        let (liaison, l) = login(&s, "unit").await;
        let (foreign, f) = login(&s, "admin_yh").await;
        let (school, shop) = (unit(&s.db, "小学").await, unit(&s.db, "超市有限公司").await);
        let venue = commitment(&s.db, school, "venue").await;
        let before = party_rows(&s.db).await;

        // A unit seated twice: its term overlaps the seat it holds until 2026-12-31.
        let seat = json!({"person": "新委员", "unit_id": school, "post": "member", "term_from": "2026-06-01",
                          "term_to": "2029-05-31", "appointment_ref": "文号"});
        let r = post_json(&admin, &a, format!("{b}/api/v1/party/seats"), seat).await;
        refused(&s, r, "unit_id", "同一单位同一时间只能占一个席位", &before).await;

        // Fulfilment outside the commitment's period, of another kind, or negative.
        let late = json!({"commitment_id": venue, "done_on": "2027-01-05", "quantity": 10});
        let r = post_json(&liaison, &l, format!("{b}/api/v1/party/fulfilments"), late).await;
        refused(&s, r, "done_on", "不在承诺期限", &before).await;
        let other = json!({"commitment_id": venue, "kind": "money", "done_on": "2026-05-01", "quantity": 10});
        let r = post_json(&liaison, &l, format!("{b}/api/v1/party/fulfilments"), other).await;
        refused(&s, r, "kind", "不能以“资金”履行", &before).await;
        let negative = json!({"commitment_id": venue, "done_on": "2026-05-01", "quantity": -3});
        let r = post_json(&liaison, &l, format!("{b}/api/v1/party/fulfilments"), negative).await;
        refused(&s, r, "quantity", "负数", &before).await;

        // Money from a unit without the 居民会议's decision (rules §1.14).
        let ag = agreement_of(&s.db, school).await;
        let money = json!({"kind": "money", "description": "资助", "quantity": "100"});
        let r = post_json(&admin, &a, format!("{b}/api/v1/party/agreements/{ag}/commitments"), money).await;
        refused(&s, r, "decision_meeting_id", "须经本社区居民会议讨论决定", &before).await;

        // A veto without grounds, or on a commitment fulfilled as due.
        let bare = json!({"unit_id": school, "year": 2026, "statement": "否决", "grounds": []});
        let r = post_json(&admin, &a, format!("{b}/api/v1/party/vetoes"), bare).await;
        refused(&s, r, "grounds", "须列明理由", &before).await;
        let goods = commitment(&s.db, shop, "goods").await;
        let kept = json!({"unit_id": shop, "year": 2026, "statement": "否决", "grounds": [goods]});
        let r = post_json(&admin, &a, format!("{b}/api/v1/party/vetoes"), kept).await;
        refused(&s, r, "grounds", "已按期履行", &before).await;
        // Another unit's commitment is no ground.
        let borrowed = json!({"unit_id": shop, "year": 2026, "statement": "否决", "grounds": [venue]});
        let r = post_json(&admin, &a, format!("{b}/api/v1/party/vetoes"), borrowed).await;
        refused(&s, r, "grounds", "不是该单位自己的", &before).await;

        // An evaluation (or a cadre review, or a veto) from outside the unit's community.
        let ev = json!({"unit_id": school, "year": 2026, "grade": "good", "comments": "好"});
        let r = post_json(&foreign, &f, format!("{b}/api/v1/party/evaluations"), ev).await;
        refused(&s, r, "unit_id", "只有驻区单位所在社区的党组织", &before).await;
        let cr = json!({"unit_id": school, "cadre_name": "某", "current_post": "a", "proposed_post": "b",
                        "review": "r", "recommendation": "recommend", "reasons": "x"});
        let r = post_json(&foreign, &f, format!("{b}/api/v1/party/cadre-reviews"), cr).await;
        refused(&s, r, "unit_id", "只有驻区单位所在社区的党组织", &before).await;

        // A money confirmation the ledger refuses (its month is closed) writes nothing, the fulfilment included.
        let power = store::party::unit(&s.db, unit(&s.db, "供电营业所").await).await.unwrap();
        let money = commitment(&s.db, power.id, "money").await;
        let report = store::party::NewFulfilment {
            commitment_id: Some(money.to_string()),
            kind: String::new(),
            done_on: "2026-02-10".into(),
            quantity: Some("100".into()),
            note: String::new(),
        };
        let f = store::party::report(&s.db, "test", power.id, report).await.unwrap();
        store::finance::close_period(&s.db, "test", &power.district_code, Some("340705402"), "2026-02").await.unwrap();
        let closed = party_rows(&s.db).await;
        let url = format!("{b}/api/v1/party/fulfilments/{}/decide", f.id);
        let r = post_json(&admin, &a, url, json!({"decision": "confirm"})).await;
        refused(&s, r, "date", "", &closed).await;
        assert_eq!(store::party::fulfilment(&s.db, f.id).await.unwrap().status.to_string(), "reported", "{backend}");
        let before = party_rows(&s.db).await;

        // Every field's error at once.
        let (st, v) = post_json(&admin, &a, format!("{b}/api/v1/party/agreements"), json!({})).await;
        assert_eq!(st, 422, "{backend}: {v}");
        let fields: Vec<&str> = v["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        for want in ["unit_id", "title", "period_from", "period_to", "signed_on"] {
            assert!(fields.contains(&want), "{backend}: {want} in {fields:?}");
        }
        assert_eq!(party_rows(&s.db).await, before, "{backend}");

        // A venue placed on the map joins the living circle's facilities while its agreement is in force;
        // a swapped position, or a position on what is no venue, is refused and writes nothing.
        let today = store::clock::today();
        let agreement = json!({"unit_id": school, "title": "场地开放协议", "signed_on": today.to_string(),
            "period_from": (today - time::Duration::days(30)).to_string(),
            "period_to": (today + time::Duration::days(300)).to_string()});
        let (st, ag) = post_json(&admin, &a, format!("{b}/api/v1/party/agreements"), agreement).await;
        assert_eq!(st, 200, "{backend}: {ag}");
        let add =
            |body: Value| post_json(&admin, &a, format!("{b}/api/v1/party/agreements/{}/commitments", ag["id"]), body);
        let before = party_rows(&s.db).await;
        let swapped = json!({"kind": "venue", "description": "学校操场", "quantity": "200",
            "venue_type": "文化活动中心", "venue_lon": "30.93", "venue_lat": "117.81"});
        refused(&s, add(swapped).await, "venue_lat", "经纬度可能填反", &before).await;
        let not_a_venue = json!({"kind": "volunteers", "description": "志愿者", "quantity": "5",
            "venue_type": "文化活动中心", "venue_lon": "117.81", "venue_lat": "30.93"});
        refused(&s, add(not_a_venue).await, "venue_type", "只有场地类", &before).await;
        let placed = json!({"kind": "venue", "description": "学校操场开放", "quantity": "200", "schedule": "每周六",
            "venue_type": "文化活动中心", "venue_lon": "117.812", "venue_lat": "30.931"});
        let (st, venue) = add(placed).await;
        assert_eq!(st, 200, "{backend}: {venue}");
        let facilities = store::circle::facilities(&s.db).await.unwrap();
        let f = facilities.iter().find(|f| f.id == -venue["id"].as_i64().unwrap()).expect("the venue is a facility");
        assert_eq!(f.type_code, "culture_center", "{backend}");
        assert!(f.owner.ends_with("（共驻共建）") && f.opening_hours == "每周六", "{backend}: {f:?}");
    }
}

#[tokio::test]
async fn an_agreement_goes_from_signature_to_an_evaluated_and_vetoed_year() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let (admin, a) = login(&s, "admin").await;
        let (liaison, l) = login(&s, "unit").await;
        let (zuzhi, z) = login(&s, "zuzhi").await;
        let (finance, fz) = login(&s, "finance").await;
        let school = unit(&s.db, "小学").await;

        let agreement = json!({"unit_id": school, "title": "补充协议", "period_from": "2026-03-01",
                               "period_to": "2026-12-31", "signed_on": "2026-02-20"});
        let (st, ag) = post_json(&admin, &a, format!("{b}/api/v1/party/agreements"), agreement).await;
        assert_eq!(st, 200, "{backend}: {ag}");
        let id = ag["id"].as_i64().unwrap();
        let add = |body: Value| post_json(&admin, &a, format!("{b}/api/v1/party/agreements/{id}/commitments"), body);
        let (st, hours) = add(json!({"kind": "volunteers", "description": "志愿者", "quantity": "50"})).await;
        assert_eq!(st, 200, "{backend}: {hours}");
        let (st, v) = add(json!({"kind": "money", "description": "资助", "quantity": "1000.50"})).await;
        assert_eq!(
            (st, v["field"].as_str()),
            (422, Some("decision_meeting_id")),
            "{backend}: money needs a 居民会议: {v}"
        );
        let assembly: i64 = sqlx::query_scalar(
            "SELECT MIN(id) FROM delib_meetings WHERE community_code = '340705402' AND kind = 'assembly'",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        let (st, money) = add(
            json!({"kind": "money", "description": "资助", "quantity": "1000.50", "decision_meeting_id": assembly}),
        )
        .await;
        assert_eq!((st, money["quantity"].as_i64()), (200, Some(100_050)), "{backend}: {money}");
        let (hours, money) = (hours["id"].as_i64().unwrap(), money["id"].as_i64().unwrap());

        // The unit reports, the community confirms: shown against the commitment.
        let report = |body: Value| post_json(&liaison, &l, format!("{b}/api/v1/party/fulfilments"), body);
        let (st, f1) = report(json!({"commitment_id": hours, "done_on": "2026-05-01", "quantity": 30})).await;
        assert_eq!((st, f1["status"].as_str()), (200, Some("reported")), "{backend}: {f1}");
        let (st, f2) = report(json!({"commitment_id": money, "done_on": "2026-06-01", "quantity": "1000.50"})).await;
        assert_eq!(st, 200, "{backend}: {f2}");
        for f in [&f1, &f2] {
            let url = format!("{b}/api/v1/party/fulfilments/{}/decide", f["id"]);
            let (st, v) = post_json(&admin, &a, url.clone(), json!({"decision": "confirm"})).await;
            assert_eq!((st, v["status"].as_str()), (200, Some("confirmed")), "{backend}: {v}");
            let (st, _) = post_json(&admin, &a, url, json!({"decision": "confirm"})).await;
            assert_eq!(st, 422, "{backend}: decided once");
        }
        let (st, view) = get(&admin, format!("{b}/api/v1/party/agreements/{id}")).await;
        assert_eq!(st, 200, "{backend}: {view}");
        let c = view["commitments"].as_array().unwrap().iter().find(|c| c["id"] == hours).unwrap().clone();
        assert_eq!((c["quantity"].as_i64(), c["fulfilled"].as_i64()), (Some(50), Some(30)), "{backend}");
        let page = admin.get(format!("{b}/party/agreements/{id}")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("60%") && page.contains("1000.50元"), "{backend}: percent and yuan with two decimals");

        // The money is income of the community's operating fund.
        let tx: i64 = sqlx::query_scalar("SELECT fin_tx_id FROM party_fulfilments WHERE id = $1")
            .bind(f2["id"].as_i64().unwrap())
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let income: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM fin_postings WHERE tx_id = $1 AND account_code = '4005.340705402'",
        )
        .bind(tx)
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(income, -100_050, "{backend}: credited as co-building income");

        // The school's member leaves early; the school may then be seated again.
        let seat: i64 = sqlx::query_scalar("SELECT id FROM party_seats WHERE unit_id = $1")
            .bind(school)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let end = format!("{b}/api/v1/party/seats/{seat}/end");
        let (foreign, fcsrf) = login(&s, "admin_yh").await;
        let (st, _) = post_json(&foreign, &fcsrf, end.clone(), json!({"ended_on": "2026-03-31", "note": "调离"})).await;
        assert_eq!(st, 404, "{backend}: another community's seat");
        let (st, v) = post_json(&admin, &a, end.clone(), json!({"ended_on": "2027-03-31", "note": ""})).await;
        assert_eq!(st, 422, "{backend}: {v}");
        assert_eq!(v["errors"].as_array().unwrap().len(), 2, "{backend}: outside the term, and no reason: {v}");
        let (st, v) = post_json(&admin, &a, end, json!({"ended_on": "2026-03-31", "note": "工作调动"})).await;
        assert_eq!((st, v["ended_on"].as_str()), (200, Some("2026-03-31")), "{backend}: {v}");
        let again = json!({"person": "接任委员", "unit_id": school, "post": "member", "term_from": "2026-04-01",
                           "term_to": "2028-12-31", "appointment_ref": "文号"});
        let (st, v) = post_json(&admin, &a, format!("{b}/api/v1/party/seats"), again).await;
        assert_eq!((st, v["membership"].as_str()), (200, Some("part_time")), "{backend}: {v}");

        // The year is evaluated; the unit replies once.
        let ev = json!({"unit_id": school, "year": 2026, "grade": "good", "comments": "较好"});
        let (st, e) = post_json(&admin, &a, format!("{b}/api/v1/party/evaluations"), ev.clone()).await;
        assert_eq!(st, 200, "{backend}: {e}");
        assert!(e["fulfilled_percent"].as_i64().unwrap() < 100, "{backend}: {e}");
        let (st, _) = post_json(&admin, &a, format!("{b}/api/v1/party/evaluations"), ev).await;
        assert_eq!(st, 422, "{backend}: one evaluation a year");
        let reply = format!("{b}/api/v1/party/evaluations/{}/reply", e["id"]);
        let (st, v) = post_json(&liaison, &l, reply.clone(), json!({"reply": "将改进"})).await;
        assert_eq!((st, v["reply"].as_str()), (200, Some("将改进")), "{backend}: {v}");
        let (st, _) = post_json(&liaison, &l, reply, json!({"reply": "再说"})).await;
        assert_eq!(st, 422, "{backend}: replied once");

        // The shortfall on the volunteer hours grounds a veto, which the district reviews.
        let veto = json!({"unit_id": school, "year": 2026, "statement": "志愿服务未达承诺", "grounds": [hours]});
        let (st, v) = post_json(&admin, &a, format!("{b}/api/v1/party/vetoes"), veto).await;
        assert_eq!((st, v["review"].as_str()), (200, Some("pending")), "{backend}: {v}");
        let review = format!("{b}/api/v1/party/vetoes/{}/review", v["id"]);
        let (st, _) = post_json(&finance, &fz, review.clone(), json!({"decision": "upheld", "note": "x"})).await;
        assert_eq!(st, 404, "{backend}: only the organisation department reviews");
        let (st, _) = post_json(&zuzhi, &z, review.clone(), json!({"decision": "upheld"})).await;
        assert_eq!(st, 422, "{backend}: a review needs a note");
        let (st, v) = post_json(&zuzhi, &z, review, json!({"decision": "upheld", "note": "依据充分"})).await;
        assert_eq!((st, v["review"].as_str()), (200, Some("upheld")), "{backend}: {v}");
    }
}

#[tokio::test]
async fn another_scope_sees_nothing_and_cadre_reviews_stay_private() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = s.base.clone();
        let (power, school) = (unit(&s.db, "供电营业所").await, unit(&s.db, "小学").await);
        let (theirs, ours) = (agreement_of(&s.db, power).await, agreement_of(&s.db, school).await);

        // Another community's records: 404 on the API and the page, nothing in its lists.
        let (foreign, _) = login(&s, "admin_yh").await;
        for path in [format!("/api/v1/party/agreements/{ours}"), format!("/party/agreements/{ours}")] {
            let st = foreign.get(format!("{b}{path}")).send().await.unwrap().status().as_u16();
            assert_eq!(st, 404, "{backend}: {path}");
        }
        let (_, o) = get(&foreign, format!("{b}/api/v1/party")).await;
        assert!(o["agreements"].as_array().unwrap().is_empty() && o["vetoes"].as_array().unwrap().is_empty());

        // A liaison sees only their own unit's records.
        let (liaison, _) = login(&s, "unit").await;
        let (st, _) = get(&liaison, format!("{b}/api/v1/party/agreements/{theirs}")).await;
        assert_eq!(st, 404, "{backend}: another unit's agreement");
        let (st, _) = get(&liaison, format!("{b}/api/v1/party/agreements/{ours}")).await;
        assert_eq!(st, 200, "{backend}");
        let (_, o) = get(&liaison, format!("{b}/api/v1/party")).await;
        assert!(o["agreements"].as_array().unwrap().iter().all(|a| a["unit_id"] == school), "{backend}: {o}");
        assert!(o["seats"].as_array().unwrap().is_empty(), "{backend}: the committee is the community's business");

        // Cadre reviews: the community, the cadre's unit and the district's organisation department only.
        for (user, sees) in
            [("admin", 1), ("unit", 1), ("zuzhi", 1), ("finance", 0), ("civil", 0), ("admin_yh", 0), ("district", 0)]
        {
            let (c, _) = login(&s, user).await;
            let (st, v) = get(&c, format!("{b}/api/v1/party/cadre-reviews")).await;
            assert_eq!(st, 200, "{backend}: {user}");
            assert_eq!(v["cadre_reviews"].as_array().unwrap().len(), sees, "{backend}: {user}");
            let page = c.get(format!("{b}/party")).send().await.unwrap().text().await.unwrap();
            assert_eq!(page.contains("王某（示例）"), sees > 0, "{backend}: {user}'s page");
        }
        let id: i64 =
            sqlx::query_scalar("SELECT MIN(id) FROM party_cadre_reviews").fetch_one(&s.db.pool).await.unwrap();
        let (finance, fz) = login(&s, "finance").await;
        let (st, _) = post_json(&finance, &fz, format!("{b}/api/v1/party/cadre-reviews/{id}/reply"), json!({})).await;
        assert_eq!(st, 403, "{backend}: a department does not reply");
        let (resident, _) = login(&s, "resident").await;
        assert_eq!(get(&resident, format!("{b}/api/v1/party")).await.0, 403, "{backend}");
        // Public pages carry the figures, never a person's review.
        for path in ["/party/figures", "/api/v1/party/figures", "/communities/340705402", "/", "/dashboard"] {
            let text = client().get(format!("{b}{path}")).send().await.unwrap().text().await.unwrap();
            assert!(!text.contains("王某") && !text.contains("副校长"), "{backend}: {path}");
        }
        let (st, fig) = get(&client(), format!("{b}/api/v1/party/figures?on=2026-07-01")).await;
        assert_eq!(st, 200, "{backend}: {fig}");
        assert_eq!(
            (fig["targets"]["units_seated"].as_i64(), fig["targets"]["agreements_signed"].as_i64()),
            (Some(126), Some(358))
        );
        assert_eq!(fig["city"]["units_seated"].as_i64(), Some(2), "{backend}: {fig}");
        assert_eq!(fig["city"]["agreements_in_force"].as_i64(), Some(3), "{backend}");
        assert_eq!(fig["city"]["volunteer_hours"].as_i64(), Some(96), "{backend}");
        assert_eq!(fig["city"]["venues_open"].as_i64(), Some(1), "{backend}");
        let history: Vec<(i64, i64)> = fig["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| (y["year"].as_i64().unwrap(), y["city"]["agreements_signed"].as_i64().unwrap()))
            .collect();
        assert_eq!(history, [(2024, 1), (2025, 2), (2026, 3)], "{backend}: signed by each year's end");
        let page = client().get(format!("{b}/party/figures")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("据原文") && page.contains("示例") && page.contains("358"), "{backend}");
    }
}
