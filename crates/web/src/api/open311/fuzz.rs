//! The fuzzing entry point for Open311 request bodies (issue 12, point 14):
//! `fuzz/fuzz_targets/open311_form.rs` calls it with libFuzzer's bytes, and
//! `crates/shequ/tests/fuzz_corpus.rs` replays the committed corpus through it.

use super::field;
use super::format::Format;
use super::requests::{answers, location};
use serde_json::json;

/// Any bytes as the body of `POST /open311/v2/requests.{json,xml}`, decoded
/// and checked as the handler does before it reaches the database: the form
/// pairs, the text rules every body passes (`crate::text`), the fields, the
/// location, and the `attribute[…]` answers against questions of every kind.
/// An answer is an error response or values; nothing panics.
pub fn fuzz_open311_form(data: &[u8]) {
    let body = String::from_utf8_lossy(data);
    let pairs = crate::http::form_pairs(&body);
    let _ = crate::text::pair_errors(&pairs);
    for k in ["api_key", "jurisdiction_id", "service_code", "email", "first_name", "last_name", "phone", "description"]
    {
        let _ = field(&pairs, k);
    }
    let qs = [
        json!({"key": "kind", "label": "类型", "kind": "single", "required": true, "options": ["a", "b"]}),
        json!({"key": "tags", "label": "标签", "kind": "multi", "options": ["x", "y", "z"]}),
        json!({"key": "n", "label": "数量", "kind": "number"}),
        json!({"key": "t", "label": "说明", "kind": "text"}),
        json!({"key": "d", "label": "日期", "kind": "date"}),
    ];
    for fmt in [Format::Json, Format::Xml] {
        if let Ok((point, _address)) = location(fmt, &pairs) {
            if let Some((la, lo)) = point {
                assert!(la.is_finite() && lo.is_finite());
            }
        }
        if let Ok(a) = answers(fmt, "SVC-001", &qs, &pairs) {
            assert!(a.keys().all(|k| qs.iter().any(|q| q["key"] == k.as_str())));
        }
    }
}
