//! The two formats of GeoReport v2: a record is written once as a list of
//! named fields and rendered as JSON (arrays at the top level, as the spec's
//! examples) or as UTF-8 XML with the spec's element names, by hand.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// `name.json` / `name.xml` → (name, format); anything else is None.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        if let Some(n) = file.strip_suffix(".json") {
            Some((n, Format::Json))
        } else {
            file.strip_suffix(".xml").map(|n| (n, Format::Xml))
        }
    }

    /// The format a request path asks for (JSON when it names neither).
    pub fn of_path(path: &str) -> Format {
        if path.ends_with(".xml") { Format::Xml } else { Format::Json }
    }
}

/// One field's value.
pub enum F {
    S(String),
    I(i64),
    N(Option<f64>),
    B(bool),
    Null,
    /// A list of strings, each in an element of this name in XML.
    Strs(&'static str, Vec<String>),
    /// A list of records, each in an element of this name in XML.
    List(&'static str, Vec<Rec>),
}

pub type Rec = Vec<(&'static str, F)>;

pub fn txt(v: impl Into<String>) -> F {
    F::S(v.into())
}

fn json_of(f: &F) -> Value {
    match f {
        F::S(s) => Value::String(s.clone()),
        F::I(i) => Value::from(*i),
        F::N(Some(n)) => Value::from(*n),
        F::N(None) | F::Null => Value::Null,
        F::B(b) => Value::Bool(*b),
        F::Strs(_, v) => Value::Array(v.iter().map(|s| Value::String(s.clone())).collect()),
        F::List(_, v) => Value::Array(v.iter().map(json_rec).collect()),
    }
}

pub fn json_rec(r: &Rec) -> Value {
    Value::Object(r.iter().map(|(k, f)| (k.to_string(), json_of(f))).collect::<Map<_, _>>())
}

/// XML text: the five predefined entities, and characters XML 1.0 forbids dropped.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

fn xml_field(o: &mut String, k: &str, f: &F) {
    o.push_str(&format!("<{k}>"));
    match f {
        F::S(s) => o.push_str(&esc(s)),
        F::I(i) => o.push_str(&i.to_string()),
        F::N(Some(n)) => o.push_str(&n.to_string()),
        F::N(None) | F::Null => {}
        F::B(b) => o.push_str(if *b { "true" } else { "false" }),
        F::Strs(child, v) => {
            for s in v {
                o.push_str(&format!("<{child}>{}</{child}>", esc(s)));
            }
        }
        F::List(child, v) => {
            for r in v {
                xml_rec(o, child, r);
            }
        }
    }
    o.push_str(&format!("</{k}>"));
}

fn xml_rec(o: &mut String, name: &str, r: &Rec) {
    o.push_str(&format!("<{name}>"));
    for (k, f) in r {
        xml_field(o, k, f);
    }
    o.push_str(&format!("</{name}>"));
}

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

/// Renders only the format asked for.
fn respond(fmt: Format, status: StatusCode, json: impl FnOnce() -> Value, xml: impl FnOnce() -> String) -> Response {
    match fmt {
        Format::Json => {
            // Straight into a buffer; `Value`'s Display goes through the formatter byte by byte.
            let body = serde_json::to_vec(&json()).unwrap_or_default();
            (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], body).into_response()
        }
        Format::Xml => (status, [(header::CONTENT_TYPE, "text/xml; charset=utf-8")], format!("{XML_DECL}{}", xml()))
            .into_response(),
    }
}

/// A list: a JSON array, or `<root><item>…</item>…</root>`.
pub fn list(fmt: Format, status: StatusCode, root: &str, item: &str, recs: &[Rec]) -> Response {
    let json = || Value::Array(recs.iter().map(json_rec).collect());
    let xml = || {
        let mut xml = format!("<{root}>");
        for r in recs {
            xml_rec(&mut xml, item, r);
        }
        xml.push_str(&format!("</{root}>"));
        xml
    };
    respond(fmt, status, json, xml)
}

/// One object: a JSON object, or `<root>…</root>`.
pub fn one(fmt: Format, root: &str, rec: &Rec) -> Response {
    let xml = || {
        let mut xml = String::new();
        xml_rec(&mut xml, root, rec);
        xml
    };
    respond(fmt, StatusCode::OK, || json_rec(rec), xml)
}

/// The spec's error list: `[{"code", "description"}]` / `<errors><error>…`.
pub fn error(fmt: Format, status: StatusCode, description: impl Into<String>) -> Response {
    let rec: Rec = vec![("code", F::I(status.as_u16() as i64)), ("description", F::S(description.into()))];
    list(fmt, status, "errors", "error", &[rec])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_nests() {
        assert_eq!(esc("a<b & \"c\" 'd'>\u{1}"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
        let r: Rec = vec![
            ("code", txt("X")),
            ("values", F::List("value", vec![vec![("key", txt("1")), ("name", txt("一"))]])),
            ("formats", F::Strs("format", vec!["text/xml".into()])),
            ("lat", F::N(None)),
        ];
        let mut o = String::new();
        xml_rec(&mut o, "attribute", &r);
        assert_eq!(
            o,
            "<attribute><code>X</code><values><value><key>1</key><name>一</name></value></values>\
             <formats><format>text/xml</format></formats><lat></lat></attribute>"
        );
        assert_eq!(json_rec(&r)["values"][0]["name"], "一");
    }
}
