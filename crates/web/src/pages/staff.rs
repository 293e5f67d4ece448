//! Staff and their roles, within the viewer's scope.

use super::{Ctx, error_page, page};
use crate::AppState;
use crate::error::ApiError;
use axum::extract::State;
use axum::response::Response;
use maud::html;

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Ok(me) = ctx.me() else {
        return error_page(&ctx, ApiError::Unauthenticated);
    };
    let (c, d) = me.scope();
    let users = match store::users::list(&state.db, c.as_deref(), d.as_deref()).await {
        Ok(u) => u,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let body = html! {
        h1 { (ctx.t("工作人员", "Staff")) }
        div.table-wrap { table {
            thead { tr { th { (ctx.t("姓名", "Name")) } th { (ctx.t("用户名", "User name")) } th { (ctx.t("角色", "Role")) } th { (ctx.t("社区", "Community")) } th { (ctx.t("区", "District")) } } }
            tbody { @for u in &users { tr {
                td { (u.display_name) } td { code { (u.username) } } td { (u.role().map_or(u.role.as_str(), |r| ctx.t(r.zh(), r.en()))) }
                td { (u.community_code.clone().unwrap_or_default()) } td { (u.district_code.clone().unwrap_or_default()) }
            } } }
        } }
    };
    page(&ctx, ctx.t("工作人员", "Staff"), body)
}
