//! Community social organisations (社区社会组织) and government purchase of services
//! (政府购买服务): the registry with its annual inspections and the federation's
//! figures (`index`), one organisation (`org`), the purchases and one project
//! (`purchases`), and the public page of a contracted project (`public`).
//! A form that comes back shows every error beside its field
//! ([`crate::pages::party::Sent`]).

mod org;
mod public;
mod purchases;
mod registry;

pub use org::{add_activity, add_member, bind_account, edit, show};
pub use public::show as public_project;
pub use purchases::{
    add_budget_line, add_catalogue_item, apply, contract, decide_record, evaluate, open_project, pay, project,
    purchases_index, report_service,
};
pub use registry::{decide_inspection, index, open_year, register, remind, settings, submit_report};

use super::{Ctx, error_page, page};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::party::Sent;
use crate::policy::Principal;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use store::typed::Word;

/// One field of a form.
pub enum F<'a> {
    Text(&'a str, &'a str),
    Date(&'a str, &'a str),
    Area(&'a str, &'a str),
    Select(&'a str, &'a str, Vec<(String, String)>),
    Check(&'a str, &'a str),
}

/// A form posting to `action`, each field with its error beside it.
pub fn form(ctx: &Ctx, sent: &Sent, id: &'static str, action: &str, fields: Vec<F<'_>>, submit: &str) -> Markup {
    let names: Vec<&str> = fields
        .iter()
        .map(|f| match f {
            F::Text(_, n) | F::Date(_, n) | F::Area(_, n) | F::Select(_, n, _) | F::Check(_, n) => *n,
        })
        .collect();
    html! {
        form.stack method="post" action=(action) id=(id) {
            (ctx.csrf_field())
            (sent.general(id, &names))
            @for f in &fields {
                @match f {
                    F::Text(label, name) => (sent.input(id, label, name, "text")),
                    F::Date(label, name) => (sent.input(id, label, name, "date")),
                    F::Area(label, name) => (sent.textarea(id, label, name)),
                    F::Select(label, name, opts) => (sent.select(id, label, name, opts)),
                    F::Check(label, name) => {
                        label { input type="checkbox" name=(name) value="true" checked[sent.val(id, name) == "true"]; " " (label) }
                        @if let Some(e) = sent.err(id, name) { div.field-error role="alert" { (e) } }
                    }
                }
            }
            button type="submit" { (submit) }
        }
    }
}

/// Options from a store word type, named in the page's language.
pub fn options<W: Word>(ctx: &Ctx, name: impl Fn(W) -> rules::Msg) -> Vec<(String, String)> {
    W::ALL.iter().map(|w| (w.word().to_string(), ctx.lang.msg(&name(*w)))).collect()
}

/// Money as yuan with two decimals.
pub fn yuan(fen: i64) -> String {
    format!("{}", ledger::Yuan(fen))
}

/// Where a form goes back to after a write.
#[derive(Clone, Copy)]
pub enum Back {
    Orgs,
    Org(i64),
    Purchases,
    Project(i64),
}

impl Back {
    fn path(self) -> String {
        match self {
            Back::Orgs => "/orgs".into(),
            Back::Org(id) => format!("/orgs/{id}"),
            Back::Purchases => "/purchases".into(),
            Back::Project(id) => format!("/purchases/{id}"),
        }
    }
}

/// One form: run its action and go back, or show the page again with every error beside its field.
pub async fn write<T>(
    state: &AppState,
    ctx: &Ctx,
    form: &'static str,
    back: Back,
    body: &str,
    act: impl AsyncFnOnce(&Principal, &[(String, String)]) -> Result<T, ApiError>,
) -> Response {
    let pairs = crate::http::form_pairs(body);
    let r = match ctx.me() {
        Ok(me) => act(me, &pairs).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => crate::pages::done::redirect(&back.path(), form),
        Err(e @ (ApiError::Invalid { .. } | ApiError::Fields(_))) => {
            let errs = e.field_errors().into_iter().map(|(f, m)| (f.to_string(), ctx.lang.msg(m))).collect();
            let sent = Sent { form, errs, values: pairs };
            let s = StatusCode::UNPROCESSABLE_ENTITY;
            match back {
                Back::Orgs => registry::render(state, ctx, &sent, s).await,
                Back::Org(id) => org::render(state, ctx, id, &sent, s).await,
                Back::Purchases => purchases::render(state, ctx, &sent, s).await,
                Back::Project(id) => purchases::render_project(state, ctx, id, &sent, s).await,
            }
        }
        Err(e) => error_page(ctx, e),
    }
}

/// A form body as a store input.
pub fn input<T: serde::de::DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, ApiError> {
    Ok(crate::pages::form::from_pairs(pairs)?)
}

pub(super) fn shell(ctx: &Ctx, title: &str, body: Markup, status: StatusCode) -> Response {
    (status, page(ctx, title, body)).into_response()
}
