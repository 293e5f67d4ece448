//! Residents registry pages: search and page through the registry, register
//! one resident, import a file and see every rejected row, export.

use super::{Ctx, error_page, field, form, page, urlencode};
use crate::AppState;
use crate::actions::registry as act;
use crate::error::ApiError;
use crate::privacy::ResidentView;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    building: Option<String>,
    hukou: Option<String>,
    community: Option<String>,
    after: Option<i64>,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let mut f = match ctx.me().and_then(|me| act::resident_filter(me, q.community.clone())) {
        Ok(f) => f,
        Err(e) => return error_page(&ctx, e),
    };
    f.q = q.q.clone();
    f.building = q.building.clone();
    f.hukou = match q.hukou.as_deref() {
        Some("1") => Some(1),
        Some("0") => Some(0),
        _ => None,
    };
    f.after = q.after;
    let Some(me) = ctx.principal.clone() else {
        return error_page(&ctx, ApiError::Unauthenticated);
    };
    let names = async { store::structure::community_names(&state.db).await.map_err(ApiError::from) };
    let (page_rows, names) = match tokio::try_join!(act::search(&state, &me, &f), names) {
        Ok(p) => p,
        Err(e) => return error_page(&ctx, e),
    };
    let rows = ResidentView::many(me.role, &page_rows.rows);
    let born = match crate::privacy::birth(me.role) {
        crate::privacy::Birth::Date => ctx.t("出生日期", "Born"),
        crate::privacy::Birth::Year => ctx.t("出生年份", "Year of birth"),
    };
    let writer = ctx.principal.as_ref().is_some_and(|p| crate::policy::REGISTRY_WRITERS.contains(&p.role));
    let exporter = ctx.principal.as_ref().is_some_and(|p| crate::policy::REGISTRY_EXPORTERS.contains(&p.role));
    let keep = |after: Option<i64>| {
        let mut s = format!(
            "/residents?q={}&building={}&hukou={}",
            urlencode(q.q.as_deref().unwrap_or("")),
            urlencode(q.building.as_deref().unwrap_or("")),
            q.hukou.as_deref().unwrap_or("")
        );
        if let Some(c) = &q.community {
            s.push_str(&format!("&community={}", urlencode(c)));
        }
        if let Some(a) = after {
            s.push_str(&format!("&after={a}"));
        }
        s
    };
    let body = html! {
        h1 { (ctx.t("居民信息", "Residents")) }
        p {
            @if writer {
                a.button href="/residents/new" { (ctx.t("登记居民", "Register a resident")) } " "
                a.button.secondary href="/residents/import" { (ctx.t("批量导入", "Import a file")) } " "
            }
            @if exporter {
                a.button.secondary href={"/residents/export?format=csv&community=" (q.community.clone().unwrap_or_default())} { (ctx.t("导出CSV", "Export CSV")) } " "
                a.button.secondary href={"/residents/export?format=xlsx&community=" (q.community.clone().unwrap_or_default())} { (ctx.t("导出XLSX", "Export XLSX")) }
            }
        }
        form.inline method="get" action="/residents" {
            div { label for="q" { (ctx.t("姓名/电话/身份证号", "Name, phone or ID number")) } br; input id="q" name="q" value=(q.q.clone().unwrap_or_default()) type="search"; }
            div { label for="building" { (ctx.t("楼栋", "Building")) } br; input id="building" name="building" value=(q.building.clone().unwrap_or_default()); }
            div { label for="hukou" { (ctx.t("户籍", "Hukou")) } br;
                select id="hukou" name="hukou" {
                    option value="" { (ctx.t("全部", "All")) }
                    option value="1" selected[q.hukou.as_deref() == Some("1")] { (ctx.t("本地户籍", "Local hukou")) }
                    option value="0" selected[q.hukou.as_deref() == Some("0")] { (ctx.t("非本地户籍", "Non-local")) }
                }
            }
            @if let Some(c) = &q.community { input type="hidden" name="community" value=(c); }
            button type="submit" { (ctx.t("查询", "Search")) }
        }
        p.muted { (ctx.t("共", "Total")) " " strong { (page_rows.total) @if page_rows.total_capped { "+" } } " " (ctx.t("人", "residents")) }
        div.table-wrap { table {
            thead { tr {
                th { (ctx.t("姓名", "Name")) } th { (ctx.t("身份证号", "ID number")) } th { (ctx.t("性别", "Sex")) } th { (born) }
                th { (ctx.t("楼栋", "Building")) } th { (ctx.t("户号", "Household")) } th { (ctx.t("电话", "Phone")) } th { (ctx.t("户籍", "Hukou")) } th { (ctx.t("社区", "Community")) }
            } }
            tbody { @for r in &rows { tr {
                td { a href={"/residents/" (r.id)} { (r.name) } }
                td { code { (r.id_masked) } }
                td { (if r.sex == "M" { ctx.t("男", "M") } else { ctx.t("女", "F") }) }
                td { (r.born()) } td { (r.building) } td { (r.household) } td { (r.phone) }
                td { (if r.hukou == 1 { ctx.t("是", "yes") } else { ctx.t("否", "no") }) }
                td { (names.get(&r.community_code).cloned().unwrap_or_else(|| r.community_code.clone())) }
            } } }
        } }
        div.pager {
            @if q.after.is_some() { a.button.secondary href=(keep(None)) { (ctx.t("回到第一页", "First page")) } }
            @if let Some(n) = page_rows.next_after { a.button.secondary href=(keep(Some(n))) rel="next" { (ctx.t("下一页", "Next page")) } }
        }
    };
    page(&ctx, ctx.t("居民信息", "Residents"), body)
}

/// The registration form, showing what was typed (`values`) and the error beside its field.
fn resident_form(ctx: &Ctx, values: &[(String, String)], err: Option<(&str, String)>) -> Markup {
    let v = |name: &str| form::value(values, name);
    let e = |f: &str| err.as_ref().filter(|(ef, _)| *ef == f).map(|(_, m)| m.as_str());
    html! {
        h1 { (ctx.t("登记居民", "Register a resident")) }
        @if let Some((f, m)) = &err { @if !["name", "id_number", "phone", "hukou", "moved_in", "household", "building", "address", "group", "guardian_name", "guardian_relation"].contains(f) { div.flash.error role="alert" { (m) } } }
        form.stack method="post" action="/residents" {
            (ctx.csrf_field())
            (field(ctx.t("姓名", "Name"), "name", v("name"), e("name"), "text"))
            (field(ctx.t("公民身份号码", "Citizen ID number"), "id_number", v("id_number"), e("id_number"), "text"))
            (field(ctx.t("户号", "Household"), "household", v("household"), e("household"), "text"))
            (field(ctx.t("楼栋", "Building"), "building", v("building"), e("building"), "text"))
            (field(ctx.t("住址", "Address"), "address", v("address"), e("address"), "text"))
            (field(ctx.t("电话", "Phone"), "phone", v("phone"), e("phone"), "tel"))
            label for="hukou" { (ctx.t("本地户籍", "Local hukou")) }
            select id="hukou" name="hukou" { option value="是" selected[v("hukou") == "是"] { (ctx.t("是", "yes")) } option value="否" selected[v("hukou") != "是"] { (ctx.t("否", "no")) } }
            @if let Some(m) = e("hukou") { div.field-error role="alert" { (m) } }
            (field(ctx.t("迁入日期", "Moved in"), "moved_in", v("moved_in"), e("moved_in"), "date"))
            (field(ctx.t("居民小组", "Residents' group"), "group", v("group"), e("group"), "text"))
            fieldset {
                legend { (ctx.t("未满十四周岁的居民：监护人同意", "Residents under 14: the guardian's consent")) }
                (field(ctx.t("监护人姓名", "Guardian's name"), "guardian_name", v("guardian_name"), e("guardian_name"), "text"))
                (field(ctx.t("与居民的关系", "Relation to the resident"), "guardian_relation", v("guardian_relation"), e("guardian_relation"), "text"))
            }
            p { button type="submit" { (ctx.t("保存", "Save")) } }
        }
    }
}

pub async fn new_form(ctx: Ctx) -> Response {
    let values = [("hukou".to_string(), "是".to_string())];
    page(&ctx, ctx.t("登记居民", "Register a resident"), resident_form(&ctx, &values, None))
}

pub async fn create(State(state): State<AppState>, ctx: Ctx, Form(values): Form<Vec<(String, String)>>) -> Response {
    let r = async { act::register(&state, ctx.me()?, form::from_pairs(&values)?).await }.await;
    match r {
        Ok(r) => super::done::redirect(&format!("/residents/{}", r.id), "resident"),
        Err(ApiError::Invalid { field, msg }) => {
            let body = resident_form(&ctx, &values, Some((field.as_str(), ctx.lang.msg(&msg))));
            (StatusCode::UNPROCESSABLE_ENTITY, page(&ctx, ctx.t("登记居民", "Register a resident"), body))
                .into_response()
        }
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    show_with(state, ctx, id, None).await
}

async fn show_with(state: AppState, ctx: Ctx, id: i64, revealed: Option<String>) -> Response {
    let Some(me) = ctx.principal.clone() else {
        return error_page(&ctx, ApiError::Unauthenticated);
    };
    let r = match crate::actions::registry::resident(&state, &me, id).await {
        Ok(r) => ResidentView::of(me.role, &r),
        Err(e) => return error_page(&ctx, e),
    };
    let can_reveal = crate::privacy::may_reveal(me.role);
    let body = html! {
        h1 { (r.name) }
        div.card { table {
            tr { th { (ctx.t("公民身份号码", "Citizen ID")) } td {
                code { (revealed.clone().unwrap_or_else(|| r.id_masked.clone())) }
                @if revealed.is_none() && can_reveal {
                    form method="post" action={"/residents/" (r.id) "/reveal"} style="display:inline;margin-left:1rem" {
                        (ctx.csrf_field()) button.secondary type="submit" { (ctx.t("查看完整号码（将记入审计）", "Show in full (audited)")) }
                    }
                }
            } }
            tr { th { (ctx.t("性别", "Sex")) } td { (if r.sex == "M" { ctx.t("男", "Male") } else { ctx.t("女", "Female") }) } }
            @match &r.birth_date {
                Some(d) => { tr { th { (ctx.t("出生日期", "Born")) } td { (d) } } }
                None => { tr { th { (ctx.t("出生年份", "Year of birth")) } td { (r.birth_year) } } }
            }
            tr { th { (ctx.t("户号", "Household")) } td { (r.household) } }
            tr { th { (ctx.t("楼栋", "Building")) } td { (r.building) } }
            tr { th { (ctx.t("住址", "Address")) } td { (r.address) } }
            tr { th { (ctx.t("电话", "Phone")) } td { (r.phone) } }
            tr { th { (ctx.t("本地户籍", "Local hukou")) } td { (if r.hukou == 1 { ctx.t("是", "yes") } else { ctx.t("否", "no") }) } }
            tr { th { (ctx.t("迁入日期", "Moved in")) } td { (r.moved_in.clone().unwrap_or_default()) } }
            @if r.under_14 {
                tr { th { (ctx.t("未满十四周岁", "Under 14")) } td { (ctx.t("全部信息属敏感个人信息", "all of this is sensitive personal information")) } }
                tr { th { (ctx.t("监护人（已同意登记）", "Guardian (consented)")) } td { (r.guardian.clone().unwrap_or_default()) } }
            }
            tr { th { (ctx.t("社区", "Community")) } td { a href={"/communities/" (r.community_code)} { (store::structure::community(&state.db, &r.community_code).await.map(|c| c.name).unwrap_or_else(|_| r.community_code.clone())) } } }
        } }
        p { a href="/residents" { (ctx.t("返回列表", "Back to the list")) } }
    };
    page(&ctx, &r.name, body)
}

pub async fn reveal(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    match async { act::reveal(&state, ctx.me()?, id).await }.await {
        Ok(full) => show_with(state, ctx, id, Some(full)).await,
        Err(e) => error_page(&ctx, e),
    }
}

/// The import's limits as the page states them (issue 12, point 12); `store::residents_import` enforces them.
fn import_limits(ctx: &Ctx) -> Markup {
    use store::residents_import::{KEEP_REJECTED, MAX_ROWS, MAX_XLSX_BYTES};
    let web_mb = crate::app::MAX_BODY >> 20;
    let xlsx_mb = MAX_XLSX_BYTES >> 20;
    let zh = format!(
        "限制：CSV文件不超过{web_mb}MB，XLSX文件不超过{xlsx_mb}MB；每个文件最多{}万行，超出的行不导入。被拒绝的行，前{KEEP_REJECTED}行逐行列出，其余按原因计数。",
        MAX_ROWS / 10_000
    );
    let en = format!(
        "Limits: a CSV file up to {web_mb} MB, an XLSX file up to {xlsx_mb} MB; at most {MAX_ROWS} rows a file, rows past it are not imported. The first {KEEP_REJECTED} rejected rows are listed, the rest counted by reason."
    );
    html! { p.muted #import-limits { (ctx.t(&zh, &en)) } }
}

pub async fn import_form(ctx: Ctx) -> Response {
    let body = html! {
        h1 { (ctx.t("批量导入居民", "Import residents")) }
        div.card {
            p { (ctx.t("支持CSV（UTF-8）和XLSX。首行为列名：姓名、身份证号（必填），户号、楼栋、住址、电话、户籍（是/否）、迁入日期（YYYY-MM-DD）、居民小组。",
                       "CSV (UTF-8) or XLSX. First row names the columns: 姓名/name and 身份证号/id_number (required); 户号, 楼栋, 住址, 电话, 户籍 (是/否), 迁入日期 (YYYY-MM-DD), 居民小组.")) }
            p.muted { (ctx.t("有错误的行不会影响其他行；重复导入同一文件不会产生重复居民。", "A bad row never stops the good ones; importing the same file again adds no one twice.")) }
            (import_limits(&ctx))
            form.stack method="post" action="/residents/import" enctype="multipart/form-data" {
                label for="file" { (ctx.t("居民名册文件（CSV或XLSX）", "Residents file (CSV or XLSX)")) }
                (super::form::file_input(&ctx, "file", "file", ".csv,.xlsx", true, None))
                p { button type="submit" { (ctx.t("导入", "Import")) } }
            }
        }
    };
    page(&ctx, ctx.t("批量导入居民", "Import residents"), body)
}

/// Read the uploaded file of a multipart form: (file name, bytes, other fields).
pub async fn read_upload(mut mp: Multipart) -> Result<(String, Vec<u8>, Vec<(String, String)>), ApiError> {
    let fail = || ApiError::invalid("file", "上传失败", "the upload failed");
    let mut file = None;
    let mut fields = Vec::new();
    while let Some(f) = mp.next_field().await.map_err(|_| fail())? {
        let name = f.name().unwrap_or_default().to_string();
        if name == "file" {
            let fname = f.file_name().unwrap_or("upload.csv").to_string();
            let bytes = f.bytes().await.map_err(|_| fail())?;
            file = Some((fname, bytes.to_vec()));
        } else {
            let text = f.text().await.map_err(|_| ApiError::invalid(&name, "上传失败", "the upload failed"))?;
            fields.push((name, text));
        }
    }
    let (n, b) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| ApiError::invalid("file", "请选择要导入的文件", "choose a file to import"))?;
    Ok((n, b, fields))
}

/// The residents file of an import form (page and API alike).
pub async fn upload(mp: Multipart) -> Result<act::Upload, ApiError> {
    let (file_name, bytes, _) = read_upload(mp).await?;
    Ok(act::Upload { file_name, bytes })
}

pub async fn import(State(state): State<AppState>, ctx: Ctx, mp: Multipart) -> Response {
    let Some(me) = ctx.principal.clone() else {
        return error_page(&ctx, ApiError::Unauthenticated);
    };
    let result = async { act::import(&state, &me, upload(mp).await?).await }.await;
    match result {
        Ok(report) => super::done::redirect(&format!("/residents/import/{}", report.run_id), "imported"),
        Err(ApiError::Invalid { msg, .. }) => {
            let body = html! { div.flash.error role="alert" { (ctx.lang.msg(&msg)) } p { a href="/residents/import" { (ctx.t("重新选择文件", "Choose another file")) } } };
            (StatusCode::UNPROCESSABLE_ENTITY, page(&ctx, ctx.t("导入失败", "Import failed"), body)).into_response()
        }
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn import_result(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let Some(me) = ctx.principal.clone() else {
        return error_page(&ctx, ApiError::Unauthenticated);
    };
    let (run, rejected, counts) = match act::import_run(&state, &me, id).await {
        Ok(r) => r,
        Err(e) => return error_page(&ctx, e),
    };
    let body = html! {
        h1 { (ctx.t("导入结果", "Import result")) }
        p.muted { (run.file_name) " · " (super::when(&run.at)) }
        div.grid {
            div.card { div.muted { (ctx.t("文件行数", "Rows in file")) } div.stat { (run.total) } }
            div.card { div.muted { (ctx.t("新增", "Added")) } div.stat style="color:var(--ok)" { (run.inserted) } }
            div.card { div.muted { (ctx.t("已存在（未重复添加）", "Already present")) } div.stat { (run.unchanged) } }
            div.card { div.muted { (ctx.t("被拒绝", "Rejected")) } div.stat style="color:var(--brand)" { (run.rejected_total.max(rejected.len() as i64)) } }
        }
        @if (rejected.len() as i64) < run.rejected_total {
            h2 { (ctx.t("按原因计数", "Rejected rows by reason")) }
            p.muted { (ctx.t(&format!("下表列出前{}行；全部被拒绝的行按原因计数如下。", rejected.len()), &format!("The table below lists the first {} rows; every rejected row is counted here.", rejected.len()))) }
            div.table-wrap { table #rejected-counts {
                thead { tr { th { (ctx.t("原因", "Reason")) } th { (ctx.t("行数", "Rows")) } } }
                tbody { @for c in &counts { tr { td { (ctx.t(&c.zh, &c.en)) } td { (c.rows) } } } }
            } }
        }
        @if !rejected.is_empty() {
            h2 { (ctx.t("被拒绝的行", "Rejected rows")) }
            div.table-wrap { table #rejected {
                thead { tr { th { (ctx.t("行号", "Line")) } th { (ctx.t("字段", "Field")) } th { (ctx.t("原因", "Reason")) } } }
                tbody { @for r in &rejected {
                    @let (zh, en) = store::residents_file::field_label(&r.field);
                    tr { td { (r.line) } td { (ctx.t(zh, en)) } td { (ctx.t(&r.zh, &r.en)) } }
                } }
            } }
        }
        p { a.button href="/residents" { (ctx.t("查看居民", "See residents")) } " " a.button.secondary href="/residents/import" { (ctx.t("继续导入", "Import another")) } }
    };
    page(&ctx, ctx.t("导入结果", "Import result"), body)
}

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
    community: Option<String>,
}

pub async fn export(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ExportQuery>) -> Response {
    let mut f = match ctx.me().and_then(|me| act::resident_filter(me, q.community.clone())) {
        Ok(f) => f,
        Err(e) => return error_page(&ctx, e),
    };
    f.limit = Some(500);
    let mut rows = Vec::new();
    loop {
        match store::residents::list(&state.db, &f).await {
            Ok(p) => {
                rows.extend(p.rows);
                match p.next_after {
                    Some(a) => f.after = Some(a),
                    None => break,
                }
            }
            Err(e) => return error_page(&ctx, e.into()),
        }
    }
    let me = match ctx.me() {
        Ok(me) => me,
        Err(e) => return error_page(&ctx, e),
    };
    let birth = crate::privacy::birth_column(me.role);
    let format = if q.format.as_deref() == Some("xlsx") { "xlsx" } else { "csv" };
    f.after = None;
    if let Err(e) = store::residents::record_export(&state.db, &me.actor(), &f, format, rows.len()).await {
        return error_page(&ctx, e.into());
    }
    if format == "xlsx" {
        match store::residents_file::write_xlsx(&rows, birth) {
            Ok(bytes) => (
                [
                    (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"residents.xlsx\""),
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
                (header::CONTENT_DISPOSITION, "attachment; filename=\"residents.csv\""),
            ],
            store::residents_file::write_csv(&rows, birth),
        )
            .into_response()
    }
}
