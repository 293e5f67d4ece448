//! The living circle's facilities registry for planners (issue 16): every facility (closed ones
//! too), a form to add one, to move or close each, import from CSV/XLSX, and export as CSV/XLSX.

use super::form::{Failed, input, select};
use super::{Ctx, error_page, page};
use crate::AppState;
use crate::actions::circle as act;
use crate::error::ApiError;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;

async fn render(state: &AppState, ctx: &Ctx, f: &Failed, status: StatusCode) -> Response {
    let (all, types) =
        match tokio::try_join!(store::circle::edit::registry(&state.db), store::circle::facility_types(&state.db)) {
            Ok(x) => x,
            Err(e) => return error_page(ctx, e.into()),
        };
    let options: Vec<(String, String)> = types.iter().map(|t| (t.code.clone(), t.name.clone())).collect();
    let type_name = |c: &str| types.iter().find(|t| t.code == c).map_or(c.to_string(), |t| t.name.clone());
    let body = html! {
        h1 { (ctx.t("生活圈设施登记", "Living-circle facilities registry")) }
        p { a href="/circle" { (ctx.t("返回十五分钟生活圈", "Back to the 15-minute living circle")) } " · "
            a href="/circle/facilities/export?format=xlsx" { (ctx.t("导出 XLSX", "Export XLSX")) } " · "
            a href="/circle/facilities/export?format=csv" { (ctx.t("导出 CSV", "Export CSV")) } }
        (f.general("move", &[]))
        (f.general("close", &[]))
        div.table-wrap { table {
            thead { tr { th { (ctx.t("名称", "Name")) } th { (ctx.t("类型", "Type")) } th { (ctx.t("经度", "Longitude")) } th { (ctx.t("纬度", "Latitude")) }
                         th { (ctx.t("容量", "Capacity")) } th { (ctx.t("开放时间", "Hours")) } th { (ctx.t("权属", "Owner")) } th { (ctx.t("状态", "State")) } th { (ctx.t("修改", "Change")) } } }
            tbody { @for x in &all { tr {
                td { (x.name) } td { (type_name(&x.type_code)) } td { (format!("{:.6}", x.lon)) } td { (format!("{:.6}", x.lat)) }
                td { @if let Some(c) = x.capacity { (c) } } td { (x.opening_hours) } td { (x.owner) }
                td { @match &x.closed_on { Some(d) => { (ctx.t("关闭于 ", "closed on ")) (d) }, None => { (ctx.t("开放", "open")) } } }
                td { @if x.closed_on.is_none() { details {
                    summary { (ctx.t("移动或关闭", "Move or close")) }
                    form.stack method="post" action=(format!("/circle/facilities/{}/move", x.id)) {
                        (ctx.csrf_field())
                        label { (ctx.t("新经度", "New longitude")) input name="lon" value=(format!("{:.6}", x.lon)); }
                        label { (ctx.t("新纬度", "New latitude")) input name="lat" value=(format!("{:.6}", x.lat)); }
                        button type="submit" { (ctx.t("移动", "Move")) }
                    }
                    form.stack method="post" action=(format!("/circle/facilities/{}/close", x.id)) {
                        (ctx.csrf_field())
                        label { (ctx.t("关闭日期", "Closing date")) input name="closed_on" type="date"; }
                        label { (ctx.t("原因", "Reason")) input name="reason"; }
                        button type="submit" { (ctx.t("关闭", "Close")) }
                    }
                } } }
            } } }
        } }
        h2 { (ctx.t("新增设施", "Add a facility")) }
        form.stack method="post" action="/circle/facilities" {
            (ctx.csrf_field())
            (f.general("add", &["type", "name", "lon", "lat", "capacity"]))
            (select(f, "add", ctx.t("类型", "Type"), "type", &options))
            (input(f, "add", ctx.t("名称", "Name"), "name", "text"))
            (input(f, "add", ctx.t("经度（WGS 84，度）", "Longitude (WGS 84 degrees)"), "lon", "text"))
            (input(f, "add", ctx.t("纬度（WGS 84，度）", "Latitude (WGS 84 degrees)"), "lat", "text"))
            (input(f, "add", ctx.t("容量", "Capacity"), "capacity", "text"))
            (input(f, "add", ctx.t("开放时间", "Opening hours"), "opening_hours", "text"))
            (input(f, "add", ctx.t("权属", "Owner"), "owner", "text"))
            label { input type="checkbox" name="former_street_office" value="1" checked[f.checked("add", "former_street_office", "1")]; " " (ctx.t("原街道办事处用房改建", "A former street office's building")) }
            p { button type="submit" { (ctx.t("新增", "Add")) } }
        }
        h2 { (ctx.t("从文件导入", "Import from a file")) }
        p.muted { (ctx.t("CSV 或 XLSX，列：类型、名称、经度、纬度（必填），容量、开放时间、权属、原街道办（选填）；导出的文件可直接再导入。有一行不合格则全部不导入。",
                         "CSV or XLSX with columns type, name, lon, lat (required), capacity, opening hours, owner, former street office (optional); an export imports again. One bad row and nothing is imported.")) }
        (f.general("import", &[]))
        form.stack method="post" action="/circle/facilities/import" enctype="multipart/form-data" {
            (ctx.csrf_field())
            (super::form::file_input(ctx, "facilities-file", "file", ".csv,.xlsx", false, Some(ctx.t("设施表（CSV或XLSX）", "Facilities file (CSV or XLSX)"))))
            button type="submit" { (ctx.t("导入", "Import")) }
        }
    };
    (status, page(ctx, ctx.t("生活圈设施登记", "Facilities registry"), body)).into_response()
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Response {
    render(&state, &ctx, &Failed::default(), StatusCode::OK).await
}

/// A refused form: every field's message, shown with the form (4xx), nothing written.
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    form: &'static str,
    e: ApiError,
    values: Vec<(String, String)>,
) -> Response {
    let errs = e.field_errors();
    if errs.is_empty() {
        return error_page(ctx, e);
    }
    let field = if errs.len() == 1 { errs[0].0.to_string() } else { String::new() };
    let msg = errs.iter().map(|(_, m)| ctx.lang.msg(m)).collect::<Vec<_>>().join("；");
    render(state, ctx, &Failed { form, field, msg, values }, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub async fn add(State(state): State<AppState>, ctx: Ctx, Form(values): Form<Vec<(String, String)>>) -> Response {
    let r = async { act::add(&state, ctx.me()?, act::add_command(&values)?).await }.await;
    match r {
        Ok(_) => super::done::redirect("/circle/facilities", "facility"),
        Err(e) => refused(&state, &ctx, "add", e, values).await,
    }
}

pub async fn relocate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(values): Form<Vec<(String, String)>>,
) -> Response {
    match async { act::relocate(&state, ctx.me()?, id, &values).await }.await {
        Ok(_) => super::done::redirect("/circle/facilities", "facility"),
        Err(e) => refused(&state, &ctx, "move", e, values).await,
    }
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(values): Form<Vec<(String, String)>>,
) -> Response {
    match async { act::close(&state, ctx.me()?, id, &values).await }.await {
        Ok(_) => super::done::redirect("/circle/facilities", "facility"),
        Err(e) => refused(&state, &ctx, "close", e, values).await,
    }
}

pub async fn import(State(state): State<AppState>, ctx: Ctx, mp: Multipart) -> Response {
    let r = async {
        let (name, bytes, _) = super::residents::read_upload(mp).await?;
        act::import(&state, ctx.me()?, &name, &bytes).await
    }
    .await;
    match r {
        Ok(_) => super::done::redirect("/circle/facilities", "facility"),
        Err(e) => refused(&state, &ctx, "import", e, Vec::new()).await,
    }
}

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    pub format: Option<String>,
}

pub async fn export(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ExportQuery>) -> Response {
    let (all, types) =
        match tokio::try_join!(store::circle::edit::registry(&state.db), store::circle::facility_types(&state.db)) {
            Ok(x) => x,
            Err(e) => return error_page(&ctx, e.into()),
        };
    if q.format.as_deref() == Some("xlsx") {
        match store::circle::file::facilities_xlsx(&all, &types) {
            Ok(bytes) => (
                [
                    (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"facilities.xlsx\""),
                ],
                bytes,
            )
                .into_response(),
            Err(e) => error_page(&ctx, ApiError::Internal(e)),
        }
    } else {
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"facilities.csv\""),
            ],
            store::circle::file::facilities_csv(&all, &types),
        )
            .into_response()
    }
}
