//! The form kit: a form body read as a store input, a form that came back
//! with an error, and labelled fields that show that error beside them.
//! Every page with a form uses these.

use maud::{Markup, html};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A form body as one of the store's input types (repeated `topics` become a list of ids).
/// A malformed value is the field's error, never an empty default.
/// Every value passes the text rules first ([`crate::text`]; a multipart form reaches the guard unread).
pub fn from_pairs<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, store::StoreError> {
    let refused = crate::text::pair_errors(pairs);
    if !refused.is_empty() {
        return Err(store::StoreError::Fields(refused));
    }
    let mut m = serde_json::Map::new();
    let mut topics = Vec::new();
    for (k, v) in pairs {
        if k == "topics" {
            // An agenda item that is not a topic id is the field's fault, not silently dropped.
            let n = v.trim().parse::<i64>().map_err(|_| {
                store::error::bad("topics", "议程中有无效的议题编号", "an agenda item is not a topic id")
            })?;
            topics.push(json!(n));
        } else if k != "csrf" {
            m.insert(k.clone(), json!(v));
        }
    }
    m.insert("topics".into(), Value::Array(topics));
    crate::error::typed_input(Value::Object(m))
}

/// The last value a form sent under `name` ("" if none): what was typed, to show again.
pub fn value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// A form that came back with an error: which form, the field, the message
/// and what was typed, so the page can show it again beside the field.
#[derive(Default)]
pub struct Failed {
    pub form: &'static str,
    pub field: String,
    pub msg: String,
    pub values: Vec<(String, String)>,
}

impl Failed {
    pub fn err(&self, form: &str, field: &str) -> Option<&str> {
        (self.form == form && self.field == field).then_some(self.msg.as_str())
    }
    pub fn val(&self, form: &str, name: &str) -> String {
        if self.form != form {
            return String::new();
        }
        self.values.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    pub fn checked(&self, form: &str, name: &str, value: &str) -> bool {
        self.form == form && self.values.iter().any(|(k, v)| k == name && v == value)
    }
    /// The form's error when it belongs to no field shown in the form.
    pub fn general(&self, form: &str, fields: &[&str]) -> Markup {
        html! {
            @if self.form == form && !fields.contains(&self.field.as_str()) {
                div.flash.error role="alert" { (self.msg) }
            }
        }
    }
}

/// A labelled input with its error beside it; ids are prefixed by the form.
pub fn input(f: &Failed, form: &'static str, label: &str, name: &str, kind: &str) -> Markup {
    let id = format!("{form}-{name}");
    let err = f.err(form, name);
    html! {
        label for=(id) { (label) }
        input id=(id) name=(name) type=(kind) value=(f.val(form, name)) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-error"))];
        @if let Some(e) = err { div.field-error id={(id) "-error"} role="alert" { (e) } }
    }
}

pub fn textarea(f: &Failed, form: &'static str, label: &str, name: &str, rows: u32) -> Markup {
    let id = format!("{form}-{name}");
    let err = f.err(form, name);
    html! {
        label for=(id) { (label) }
        textarea id=(id) name=(name) rows=(rows) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-error"))] { (f.val(form, name)) }
        @if let Some(e) = err { div.field-error id={(id) "-error"} role="alert" { (e) } }
    }
}

pub fn select(f: &Failed, form: &'static str, label: &str, name: &str, options: &[(String, String)]) -> Markup {
    let id = format!("{form}-{name}");
    let err = f.err(form, name);
    let current = f.val(form, name);
    html! {
        label for=(id) { (label) }
        select id=(id) name=(name) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-error"))] {
            @for (v, text) in options { option value=(v) selected[*v == current] { (text) } }
        }
        @if let Some(e) = err { div.field-error id={(id) "-error"} role="alert" { (e) } }
    }
}

/// A file input that speaks the page's language. The browser's own button says "Choose File" in
/// the browser's language, so the input lies transparent over a button-like box saying 选择文件
/// (CSS only, `.file-pick` in shequ.css): a click or the keyboard still reaches the real input and
/// the browser's picker, and a screen reader hears the input's own name (`label`, or the visible
/// `<label for=id>` when `None`). A required input says without script whether a file is chosen
/// (CSS `:valid`); `/assets/file-pick.js`, when it runs, writes the chosen file's name beside it.
pub fn file_input(ctx: &super::Ctx, id: &str, name: &str, accept: &str, required: bool, label: Option<&str>) -> Markup {
    html! {
        span.file-pick {
            input type="file" id=(id) name=(name) accept=[(!accept.is_empty()).then_some(accept)] required[required] aria-label=[label];
            span.file-button aria-hidden="true" { (ctx.t("选择文件", "Choose a file")) }
            span.file-status {
                @if required {
                    span.file-none { (ctx.t("未选择文件", "No file chosen")) }
                    span.file-some { (ctx.t("已选择文件", "A file is chosen")) }
                }
                span.file-name aria-live="polite" {}
            }
        }
    }
}
