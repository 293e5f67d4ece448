//! Party building with resident units (大党工委, 共驻共建): the committee's
//! seats, units' representatives at meetings, co-building agreements and
//! their fulfilment, yearly evaluations, cadre reviews and the one-vote veto
//! (`index`, `sections`), one agreement (`agreement`), and the figures (`figures`).
//! A form that comes back shows every error beside its field ([`Sent`]).

mod agreement;
mod figures;
mod sections;

pub use agreement::{add_commitment, show as agreement};
pub use figures::show as figures;
pub use sections::*;

use super::{Ctx, error_page, form_pairs, page};
use crate::AppState;
use crate::actions::party as act;
use crate::error::ApiError;
use crate::policy::Principal;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use rules::party::CommitmentKind;

/// A form that came back: which form, every field error, what was typed.
#[derive(Default)]
pub struct Sent {
    pub form: &'static str,
    pub errs: Vec<(String, String)>,
    pub values: Vec<(String, String)>,
}

impl Sent {
    pub fn err(&self, form: &str, field: &str) -> Option<&str> {
        if self.form != form {
            return None;
        }
        self.errs.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    pub fn val(&self, form: &str, name: &str) -> String {
        if self.form != form {
            return String::new();
        }
        self.values.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// The errors of the form that belong to no field it shows.
    pub fn general(&self, form: &str, fields: &[&str]) -> Markup {
        html! {
            @if self.form == form {
                @for (f, m) in &self.errs { @if !fields.contains(&f.as_str()) { div.flash.error role="alert" { (m) } } }
            }
        }
    }

    fn described(&self, form: &'static str, name: &str) -> (String, Option<&str>) {
        (format!("{form}-{name}"), self.err(form, name))
    }

    pub fn input(&self, form: &'static str, label: &str, name: &str, kind: &str) -> Markup {
        let (id, err) = self.described(form, name);
        html! {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) value=(self.val(form, name)) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-error"))];
            @if let Some(e) = err { div.field-error id={(id) "-error"} role="alert" { (e) } }
        }
    }

    pub fn textarea(&self, form: &'static str, label: &str, name: &str) -> Markup {
        let (id, err) = self.described(form, name);
        html! {
            label for=(id) { (label) }
            textarea id=(id) name=(name) rows="3" aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-error"))] { (self.val(form, name)) }
            @if let Some(e) = err { div.field-error id={(id) "-error"} role="alert" { (e) } }
        }
    }

    pub fn select(&self, form: &'static str, label: &str, name: &str, options: &[(String, String)]) -> Markup {
        let (id, err) = self.described(form, name);
        let current = self.val(form, name);
        html! {
            label for=(id) { (label) }
            select id=(id) name=(name) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-error"))] {
                @for (v, text) in options { option value=(v) selected[*v == current] { (text) } }
            }
            @if let Some(e) = err { div.field-error id={(id) "-error"} role="alert" { (e) } }
        }
    }
}

/// A quantity in its kind's measure: money as yuan with two decimals.
pub fn amount(ctx: &Ctx, kind: CommitmentKind, q: i64) -> String {
    match kind {
        CommitmentKind::Money => format!("{}{}", ledger::Yuan(q), ctx.lang.msg(&kind.measure())),
        _ => format!("{q}{}", ctx.lang.msg(&kind.measure())),
    }
}

pub fn kind_name(ctx: &Ctx, k: CommitmentKind) -> String {
    ctx.lang.msg(&k.name())
}

/// Where a form goes back to after a write.
#[derive(Clone, Copy)]
pub enum Back {
    Index,
    Agreement(i64),
}

/// One form: run its action, go back, or show the page again with every error beside its field.
pub async fn write<T>(
    state: &AppState,
    ctx: &Ctx,
    form: &'static str,
    back: Back,
    pairs: Vec<(String, String)>,
    act: impl AsyncFnOnce(&Principal, &[(String, String)]) -> Result<T, ApiError>,
) -> Response {
    let r = match ctx.me() {
        Ok(me) => act(me, &pairs).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => match back {
            Back::Index => crate::pages::done::redirect("/party", form),
            Back::Agreement(id) => crate::pages::done::redirect(&format!("/party/agreements/{id}"), form),
        },
        Err(e @ (ApiError::Invalid { .. } | ApiError::Fields(_))) => {
            let errs = e.field_errors().into_iter().map(|(f, m)| (f.to_string(), ctx.lang.msg(m))).collect();
            let sent = Sent { form, errs, values: pairs };
            match back {
                Back::Index => sections::render(state, ctx, &sent, StatusCode::UNPROCESSABLE_ENTITY).await,
                Back::Agreement(id) => agreement::render(state, ctx, id, &sent, StatusCode::UNPROCESSABLE_ENTITY).await,
            }
        }
        Err(e) => error_page(ctx, e),
    }
}

/// A form body, with repeated `grounds` (checkboxes) gathered into a list.
pub fn typed<T: serde::de::DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, ApiError> {
    let mut m = serde_json::Map::new();
    let mut grounds = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" => {}
            "grounds" => match v.trim().parse::<i64>() {
                Ok(n) => grounds.push(serde_json::json!(n)),
                Err(_) => {
                    return Err(ApiError::invalid("grounds", "所引承诺编号无效", "a cited commitment is not an id"));
                }
            },
            _ => {
                m.insert(k.clone(), serde_json::json!(v));
            }
        }
    }
    m.insert("grounds".into(), serde_json::Value::Array(grounds));
    Ok(crate::error::typed_input(serde_json::Value::Object(m))?)
}

pub fn body_pairs(body: &str) -> Vec<(String, String)> {
    form_pairs(body)
}

pub(super) fn shell(ctx: &Ctx, title: &str, body: Markup, status: StatusCode) -> Response {
    (status, page(ctx, title, body)).into_response()
}
