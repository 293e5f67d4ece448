//! The lists as the public reads them: the four in force, one list's
//! published versions with the diff between two, and a version as XLSX.

use super::{entries_table, msg, version_status};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::{Ctx, error_page, page};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use lists::ListKind;
use maud::html;
use store::lists as sl;

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    let (lists, rows) =
        match tokio::try_join!(sl::in_force(&state.db, store::clock::today()), sl::versions(&state.db, None)) {
            Ok(x) => x,
            Err(e) => return error_page(&ctx, e.into()),
        };
    let marked = |k: ListKind, version: u32| {
        rows.iter().any(|r| r.kind == k && r.version == i64::from(version) && r.illustrative != 0)
    };
    page(
        &ctx,
        ctx.t("社区四张清单", "The four community lists"),
        html! {
            h1 { (ctx.t("社区四张清单（现行）", "The four community lists (in force)")) }
            p.muted { (ctx.t("2014年铜陵社区“去行政化”：退出事务、履职、协助工作、考核准入四张清单；任何事项进入社区须经市级部门准入审批。",
                             "Tongling's 2014 de-administration: exit, duty, assistance and assessment-access lists; every affair entering a community needs the city's access approval.")) }
            @for k in ListKind::ALL {
                @let v = lists.list(k).version();
                h2 { a href={"/lists/" (sl::kind_code(k))} { (msg(&ctx, &k.name())) } }
                p.muted { (ctx.t("版本", "version")) " " (v.version()) " · " (ctx.t("生效", "effective")) " " (v.effective().map(|d| d.to_string()).unwrap_or_default()) " · " (v.note()) (crate::pages::illustrative_if(&ctx, marked(k, v.version()))) }
                (entries_table(&ctx, v.entries()))
            }
        },
    )
}

#[derive(serde::Deserialize, Default)]
pub struct DiffQuery {
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn kind(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(kind): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Response {
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    // Drafts are the city's work in progress: the public sees published versions.
    let today = store::clock::today();
    let (rows, in_force): (Vec<_>, _) =
        match tokio::try_join!(sl::versions(&state.db, Some(k)), sl::in_force(&state.db, today)) {
            Ok((r, f)) => (
                r.into_iter().filter(|r| r.status == store::lists::VersionStatus::Published).collect(),
                i64::from(f.list(k).version().version()),
            ),
            Err(e) => return error_page(&ctx, e.into()),
        };
    // Which version is in force today, which are not yet and which are superseded.
    let standing = |r: &sl::VersionRow| -> (&str, String) {
        let day = r.effective_on.clone().unwrap_or_default();
        if r.version == in_force {
            ("ok", ctx.t("现行有效", "in force").to_string())
        } else if day.as_str() > today.to_string().as_str() {
            ("warn", format!("{}{day}{}", ctx.t("尚未施行，自", "not yet in force: from "), ctx.t("起施行", "")))
        } else {
            ("muted", ctx.t("已被现行版本取代", "superseded").to_string())
        }
    };
    let diff = match (q.from, q.to) {
        (Some(a), Some(b)) => {
            let pair = async {
                let old = sl::version(&state.db, k, a).await?.parse()?;
                let new = sl::version(&state.db, k, b).await?.parse()?;
                Ok::<_, store::StoreError>(lists::diff(&old, &new))
            };
            match pair.await {
                Ok(d) => Some(d),
                Err(e) => return error_page(&ctx, e.into()),
            }
        }
        _ => None,
    };
    let name = msg(&ctx, &k.name());
    page(
        &ctx,
        &name,
        html! {
            h1 { (name) }
            // The city's list editors reach the drafts from the list itself.
            @if ctx.me().is_ok_and(|m| crate::policy::LIST_EDITORS.contains(&m.role)) {
                p #drafts-link { a href={"/lists/" (kind) "/drafts"} { (ctx.t("编辑本清单：草稿与新版本 →", "Edit this list: drafts and new versions →")) } }
            }
            form method="get" action={"/lists/" (kind)} {
                label for="from" { (ctx.t("比较版本", "Compare version")) }
                input id="from" name="from" type="number" value=[q.from];
                label for="to" { (ctx.t("与版本", "with version")) }
                input id="to" name="to" type="number" value=[q.to];
                button type="submit" { (ctx.t("比较", "Compare")) }
            }
            @if let Some(d) = &diff {
                h2 { (ctx.t("版本差异", "Differences")) }
                @if d.is_empty() { p { (ctx.t("两个版本没有差异。", "No differences.")) } }
                @if !d.added.is_empty() { h3 { (ctx.t("新增", "Added")) } (entries_table(&ctx, &d.added)) }
                @if !d.removed.is_empty() { h3 { (ctx.t("删除", "Removed")) } (entries_table(&ctx, &d.removed)) }
                @if !d.changed.is_empty() { h3 { (ctx.t("修改", "Changed")) }
                    ul { @for c in &d.changed { @for f in &c.fields { li { (c.code) " · " (f.field) ": " del { (f.old) } " → " ins { (f.new) } } } } }
                }
            }
            @for r in &rows {
                @let (class, words) = standing(r);
                h2 { (ctx.t("版本", "Version")) " " (r.version) " · " span.tag.(class) .standing { (words) } " · " span.tag { (version_status(&ctx, r.status)) } " · " (ctx.t("生效", "effective")) " " (r.effective_on.clone().unwrap_or_default()) }
                p.muted { (r.note) (crate::pages::illustrative_if(&ctx, r.illustrative != 0)) " · " a href={"/lists/" (kind) "/export.xlsx?version=" (r.version)} { (ctx.t("下载Excel表格", "Download as Excel")) } }
                @match r.parse() {
                    Ok(v) => (entries_table(&ctx, v.entries())),
                    Err(_) => p { "—" },
                }
            }
        },
    )
}

#[derive(serde::Deserialize, Default)]
pub struct VersionQuery {
    version: Option<i64>,
}

/// A list version as XLSX (default: the newest version).
pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(kind): Path<String>,
    Query(q): Query<VersionQuery>,
) -> Response {
    use axum::http::header;
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    let r = async {
        let row = match q.version {
            Some(v) => sl::version(&state.db, k, v).await?,
            None => sl::versions(&state.db, Some(k))
                .await?
                .into_iter()
                .find(|r| r.status == store::lists::VersionStatus::Published)
                .ok_or(ApiError::NotFound)?,
        };
        let v = row.parse()?;
        let bytes = sl::version_xlsx(&v).map_err(ApiError::Internal)?;
        Ok::<_, ApiError>((row.version, bytes))
    }
    .await;
    match r {
        Ok((version, bytes)) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"list-{kind}-v{version}.xlsx\"")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_page(&ctx, e),
    }
}
