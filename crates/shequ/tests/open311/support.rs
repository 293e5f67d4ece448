//! Open311 test helpers: requests in both formats, and normalising answers
//! (times, tokens, ids) so they compare with the expected documents.

use super::common::*;
use serde_json::{Value, json};

pub const DECL: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
pub const DYNAMIC: [&str; 5] =
    ["service_request_id", "token", "requested_datetime", "updated_datetime", "expected_datetime"];

/// GET: status, content type and body.
pub async fn fetch(url: String) -> (u16, String, String) {
    let r = client().get(url).send().await.unwrap();
    let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (r.status().as_u16(), ct, r.text().await.unwrap())
}

pub async fn post(s: &Server, ext: &str, body: &str) -> (u16, String) {
    let r = client()
        .post(format!("{}/open311/v2/requests.{ext}", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A request body with the demo client's key (drawn for this server's database).
pub fn keyed(s: &Server, body: &str) -> String {
    format!("api_key={}&{body}", s.open311_key)
}

pub fn check_time(t: &str) {
    assert!(t.ends_with("+08:00"), "China time with its zone: {t}");
    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).expect("RFC 3339");
}

/// Ids, tokens and times replaced by "*" (times checked first).
pub fn norm_json(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Array(a) => a.iter_mut().for_each(walk),
            Value::Object(o) => {
                for (k, x) in o.iter_mut() {
                    if DYNAMIC.contains(&k.as_str()) && !x.is_null() {
                        if k.ends_with("datetime") {
                            check_time(x.as_str().unwrap());
                        }
                        assert!(!x.as_str().unwrap().is_empty());
                        *x = json!("*");
                    } else {
                        walk(x);
                    }
                }
            }
            _ => {}
        }
    }
    walk(&mut v);
    v
}

pub fn norm_xml(x: &str) -> String {
    let mut out = x.to_string();
    for tag in DYNAMIC {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        let mut from = 0;
        while let Some(i) = out[from..].find(&open).map(|i| i + from + open.len()) {
            let j = out[i..].find(&close).unwrap() + i;
            if tag.ends_with("datetime") {
                check_time(&out[i..j]);
            }
            out.replace_range(i..j, "*");
            from = i;
        }
    }
    out
}

pub fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

pub async fn counts(s: &Server) -> (i64, i64) {
    let c: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases").fetch_one(&s.db.pool).await.unwrap();
    let a: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log").fetch_one(&s.db.pool).await.unwrap();
    (c, a)
}

/// A point at the center of a community's service area.
pub fn center(code: &str) -> (f64, f64) {
    let (_, lat, lon, _) = shequ::demo::open311::areas().into_iter().find(|a| a.0 == code).unwrap();
    (lat, lon)
}
