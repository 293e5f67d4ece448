//! Resident units (驻区单位): organisations located in a community.

use super::{Ctx, error_page, field, form, page};
use crate::AppState;
use crate::actions::registry as act;
use crate::error::ApiError;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

const KINDS: [(&str, &str); 6] = [
    ("党政机关", "Party or government body"),
    ("事业单位", "Public institution"),
    ("国有企业", "State-owned enterprise"),
    ("非公企业", "Private enterprise"),
    ("社会组织", "Social organisation"),
    ("部队", "Military unit"),
];

/// The units in scope and, for those who may add one, the form showing what was typed (`values`).
async fn render(state: &AppState, ctx: &Ctx, values: &[(String, String)], err: Option<(String, String)>) -> Response {
    let Ok(me) = ctx.me() else {
        return error_page(ctx, ApiError::Unauthenticated);
    };
    let (c, d) = me.scope();
    let (units, names) = match tokio::try_join!(
        store::structure::units(&state.db, c.as_deref(), d.as_deref()),
        store::structure::community_names(&state.db)
    ) {
        Ok(u) => u,
        Err(e) => return error_page(ctx, e.into()),
    };
    let can_add = crate::policy::UNIT_WRITERS.contains(&me.role);
    let v = |name: &str| form::value(values, name);
    let e = |f: &str| err.as_ref().filter(|(ef, _)| ef == f).map(|(_, m)| m.as_str());
    let body = html! {
        h1 { (ctx.t("驻区单位", "Resident units")) }
        p.muted { (ctx.t("驻区单位与社区签订共驻共建协议，参与社区党工委；社区党组织对其社区党建工作拥有“一票否决”权。",
                         "Units located in the community sign co-building agreements and sit on the party working committee, which holds a one-vote veto over their community party-building work.")) }
        div.table-wrap { table {
            thead { tr { th { (ctx.t("名称", "Name")) } th { (ctx.t("类型", "Type")) } th { (ctx.t("统一社会信用代码", "USCC")) } th { (ctx.t("党组织", "Party organisation")) } th { (ctx.t("联系人", "Contact")) } th { (ctx.t("社区", "Community")) } } }
            tbody { @for u in &units { tr { td { (u.name) } td { (u.kind) } td { code { (u.uscc) } } td { (u.party_org) } td { (u.contact_name) " " (u.contact_phone) } td { (names.get(&u.community_code).cloned().unwrap_or_else(|| u.community_code.clone())) } } } }
        } }
        @if can_add {
            h2 { (ctx.t("登记驻区单位", "Register a unit")) }
            form.stack method="post" action="/units" {
                (ctx.csrf_field())
                input type="hidden" name="community_code" value=(me.community.clone().unwrap_or_default());
                (field(ctx.t("单位名称", "Name"), "name", v("name"), e("name"), "text"))
                label for="kind" { (ctx.t("类型", "Type")) }
                select id="kind" name="kind" { @for (zh, en) in KINDS { option value=(zh) selected[v("kind") == zh] { (ctx.t(zh, en)) } } }
                (field(ctx.t("统一社会信用代码", "Unified social credit code"), "uscc", v("uscc"), e("uscc"), "text"))
                (field(ctx.t("党组织", "Party organisation"), "party_org", v("party_org"), e("party_org"), "text"))
                (field(ctx.t("联系人", "Contact"), "contact_name", v("contact_name"), e("contact_name"), "text"))
                (field(ctx.t("联系电话", "Contact phone"), "contact_phone", v("contact_phone"), e("contact_phone"), "tel"))
                @if let Some(m) = e("community_code") { div.field-error { (m) } }
                p { button type="submit" { (ctx.t("登记", "Register")) } }
            }
        }
    };
    let status = if err.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, page(ctx, ctx.t("驻区单位", "Resident units"), body)).into_response()
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Response {
    render(&state, &ctx, &[], None).await
}

pub async fn create(State(state): State<AppState>, ctx: Ctx, Form(values): Form<Vec<(String, String)>>) -> Response {
    let r = async { act::add_unit(&state, ctx.me()?, form::from_pairs(&values)?).await }.await;
    match r {
        Ok(_) => super::done::redirect("/units", "unit"),
        Err(ApiError::Invalid { field, msg }) => render(&state, &ctx, &values, Some((field, ctx.lang.msg(&msg)))).await,
        Err(e) => error_page(&ctx, e),
    }
}
