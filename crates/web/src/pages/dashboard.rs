//! The city dashboard: the burden on communities (减负), computed live.

use super::{Ctx, chart, error_page, page};
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use maud::html;

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(pick): axum::extract::Query<super::trends::Pick>,
) -> Response {
    let (depts, communities, over_time, names) = match tokio::try_join!(
        store::lists::department_burden(&state.db, None),
        store::lists::community_burden(&state.db, None, None),
        store::lists::burden_over_time(&state.db, None, None),
        store::structure::communities(&state.db, None)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e.into()),
    };
    // The seed's figures live (issue 14), in a module of their own.
    let seed = match super::figures::section(&state, &ctx).await {
        Ok(m) => m,
        Err(e) => return error_page(&ctx, e),
    };
    // The same figures by year, for the city, a district or a community (issue 14).
    let years = match super::figures_years::section(&state, &ctx, &pick).await {
        Ok(m) => m,
        Err(e) => return error_page(&ctx, e),
    };
    // Each community's figures and the pushed work over time, list versions marked (issue 14).
    let trends = match super::trends::section(&state, &ctx, &pick).await {
        Ok(m) => m,
        Err(e) => return error_page(&ctx, e),
    };
    let name =
        |code: &str| names.iter().find(|c| c.code == code).map(|c| c.name.clone()).unwrap_or_else(|| code.to_string());
    let body = html! {
        h1 { (ctx.t("社区减负：城市数据看板", "Lightening the communities' load: city dashboard")) }
        p.muted { (ctx.t("所有数字由数据实时计算。绿色为经市级准入审批的事项，红色为未经审批即下派的事项。",
                         "Every figure is computed live. Green: work approved through city access review; red: work pushed without approval.")) }
        (seed)
        (years)
        (trends)
        h2 { (ctx.t("社区减负", "The communities' load")) }
        p { a href="/party/figures" { (ctx.t("驻区单位共驻共建数据（各社区、各区、全市）", "Co-building with resident units: figures per community, district and city")) } }
        (chart::bars(ctx.t("各部门准入申请（通过 / 未通过）", "Access applications per department (approved / rejected)"),
            &depts.iter().map(|d| (d.department.clone(), d.approved, d.rejected)).collect::<Vec<_>>(),
            (ctx.t("通过", "approved"), ctx.t("未通过", "rejected"))))
        (chart::bars(ctx.t("各部门被社区拒绝的下派", "Pushes refused by communities, per department"),
            &depts.iter().map(|d| (d.department.clone(), 0, d.refused_pushes)).collect::<Vec<_>>(),
            ("", ctx.t("被拒绝", "refused"))))
        (chart::bars(ctx.t("各社区在办事项（经审批 / 未经审批）", "Tasks in force per community (approved / without approval)"),
            &communities.iter().map(|c| (name(&c.community_code), c.active_tasks - c.unapproved_active, c.unapproved_active)).collect::<Vec<_>>(),
            (ctx.t("经审批", "approved"), ctx.t("未经审批", "without approval"))))
        (chart::bars(ctx.t("在办事项按类型", "Tasks in force by type"),
            &over_time.in_force_by_type.iter().map(|(t, n)| (t.clone(), *n, 0)).collect::<Vec<_>>(),
            (ctx.t("在办", "in force"), "")))
        div.table-wrap { table {
            thead { tr { th { (ctx.t("部门", "Department")) } th { (ctx.t("申请", "Applications")) } th { (ctx.t("未通过率", "Rejection rate")) } th { (ctx.t("被拒绝下派", "Refused pushes")) } } }
            tbody { @for d in &depts { tr {
                td { (d.department) } td { (d.applications) }
                td { @if d.applications > 0 { (d.rejected * 100 / d.applications) "%" } @else { "—" } }
                td { (d.refused_pushes) }
            } } }
        } }
    };
    page(&ctx, ctx.t("数据看板", "Dashboard"), body)
}
