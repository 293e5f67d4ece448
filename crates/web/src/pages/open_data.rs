//! Open data (issue 14): the data dictionary page and each public table as
//! CSV, JSON or XLSX at a stable URL, `/open-data/{table}.{csv|json|xlsx}`
//! (`store::open_data`). Public, no log-in; nothing personal.

use super::{Ctx, error_page, page};
use crate::AppState;
use crate::error::ApiError;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::html;
use store::open_data::{self as od, TABLES};

pub async fn dictionary(ctx: Ctx) -> Response {
    let body = html! {
        h1 { (ctx.t("开放数据", "Open data")) }
        p.muted { (ctx.t("以下公开数据表由系统数据实时生成，可下载为CSV（UTF-8）、JSON或Excel（XLSX）表格，地址固定。不含任何个人信息；金额单位为元（两位小数）；标记列为1的值为演示用示例数据，并非铜陵的真实情况。",
                         "These public tables are generated live from the system's rows and download as CSV (UTF-8), JSON or Excel (XLSX) at fixed addresses. Nothing personal; money in yuan with two decimals; a flag column of 1 marks a value invented for the demo, not a fact about Tongling.")) }
        @for t in TABLES {
            section.card id=(t.name) {
                h2 style="margin-top:0" { (ctx.t(t.zh, t.en)) }
                p { (ctx.t(t.about_zh, t.about_en)) }
                p.no-print { (ctx.t("下载：", "Download: "))
                    a href={"/open-data/" (t.name) ".csv"} { "CSV" } " · "
                    a href={"/open-data/" (t.name) ".json"} { "JSON" } " · "
                    a href={"/open-data/" (t.name) ".xlsx"} { (ctx.t("Excel表格", "Excel")) } }
                div.table-wrap { table {
                    caption.muted { (ctx.t("数据字典", "Data dictionary")) }
                    thead { tr { th { (ctx.t("字段", "Field")) } th { (ctx.t("含义", "Meaning")) } th { (ctx.t("类型", "Type")) } } }
                    tbody { @for c in t.columns { tr {
                        td { code { (c.key) } } td { (ctx.t(c.zh, c.en)) } td { @let (z, e) = c.kind.names(); (ctx.t(z, e)) }
                    } } }
                } }
            }
        }
        p { a href="/dashboard" { (ctx.t("返回数据看板", "Back to the dashboard")) } }
    };
    page(&ctx, ctx.t("开放数据", "Open data"), body)
}

/// `{table}.{csv|json|xlsx}`: an unknown table or format is not found.
pub async fn download(State(state): State<AppState>, ctx: Ctx, Path(file): Path<String>) -> Response {
    let Some((name, ext)) = file.rsplit_once('.') else { return error_page(&ctx, ApiError::NotFound) };
    let Some(t) = od::table(name) else { return error_page(&ctx, ApiError::NotFound) };
    if !matches!(ext, "csv" | "json" | "xlsx") {
        return error_page(&ctx, ApiError::NotFound);
    }
    let rows = match od::rows(&state.db, t).await {
        Ok(r) => r,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let made = match ext {
        "csv" => od::csv(t, &rows).map(|b| ("text/csv; charset=utf-8", b)),
        "json" => {
            serde_json::to_vec_pretty(&od::json(t, &rows)).map(|b| ("application/json", b)).map_err(|e| e.to_string())
        }
        _ => od::xlsx(t, &rows).map(|b| ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)),
    };
    match made {
        Ok((mime, bytes)) => (
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.{ext}\"", t.name)),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_page(&ctx, ApiError::Internal(e)),
    }
}
