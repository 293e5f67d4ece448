//! Editing the lists (city civil affairs): a list's open drafts, a draft
//! with its entry forms, and the edits (add, replace, remove, import,
//! review, publish), each through `actions::lists::edit_draft`.

use super::{msg, terms, version_status};
use crate::AppState;
use crate::actions::lists::{self as act, DraftEdit, list_kind};
use crate::error::ApiError;
use crate::pages::{Ctx, error_page, page};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lists::{Entry, ListKind, Terms};
use maud::{Markup, html};
use store::budgeting::yuan;
use store::lists as sl;

fn labeled(label: &str, input: Markup) -> Markup {
    html! { label { (label) " " (input) } }
}

fn draft_path(kind: &str, version: i64) -> String {
    format!("/lists/{kind}/drafts/{version}")
}

/// An existing entry as the form's values.
fn form_of(e: &Entry) -> sl::EntryForm {
    let mut f = sl::EntryForm {
        code: e.code.clone(),
        title: e.title.clone(),
        legal_basis: e.legal_basis.clone(),
        item_type: sl::item_type_code(e.item_type),
        department: e.department.clone(),
        source: e.source.clone(),
        ..Default::default()
    };
    match &e.terms {
        Terms::Exit { scope } => {
            f.exit_scope = match scope {
                lists::ExitScope::Always => "always".into(),
                lists::ExitScope::AsPrincipal => "as_principal".into(),
            }
        }
        Terms::Duty => {}
        Terms::Assistance(a) => {
            f.standard_yuan = yuan(a.standard_fen);
            match &a.basis {
                lists::FundingBasis::PerCommunityPerYear => f.funding_basis = "per_community_per_year".into(),
                lists::FundingBasis::PerUnit { unit } => {
                    f.funding_basis = "per_unit".into();
                    f.funding_unit = unit.clone();
                }
            }
            f.paying_department = a.paying_department.clone();
        }
        Terms::Assessment(a) => {
            f.origin_level = format!("{:?}", a.origin_level).to_lowercase();
            f.max_times_per_year = a.max_times_per_year.to_string();
            f.max_duration_days = a.max_duration_days.to_string();
            f.content_scope = a.content_scope.join("、");
        }
    }
    f
}

/// The fields of the entry form (an error on any other is not shown beside one).
const ENTRY_FIELDS: &[&str] = &[
    "code",
    "title",
    "legal_basis",
    "item_type",
    "department",
    "source",
    "exit_scope",
    "standard_yuan",
    "funding_basis",
    "funding_unit",
    "paying_department",
    "origin_level",
    "max_times_per_year",
    "max_duration_days",
    "content_scope",
];

/// An entry form that came back: which entry (`None`: the new one), what was
/// typed, and every field error.
struct FailedEntry {
    code: Option<String>,
    form: sl::EntryForm,
    errs: Vec<(String, String)>,
}

/// The entry form with the term fields of the list's kind; `existing`: the
/// code is fixed (replacing an entry). Each error shows beside its field.
fn entry_form(
    ctx: &Ctx,
    k: ListKind,
    action: &str,
    existing: bool,
    f: &sl::EntryForm,
    errs: &[(String, String)],
) -> Markup {
    let err = |name: &str| {
        html! {
            @if let Some((_, m)) = errs.iter().find(|(n, _)| n == name) { div.field-error role="alert" { (m) } }
        }
    };
    html! {
        form method="post" action=(action) {
            (ctx.csrf_field())
            (labeled(ctx.t("编码", "Code"), html! { input name="code" required value=(f.code) readonly[existing]; })) (err("code"))
            (labeled(ctx.t("名称", "Title"), html! { input name="title" required value=(f.title); })) (err("title"))
            (labeled(ctx.t("依据", "Legal basis"), html! { input name="legal_basis" value=(f.legal_basis); })) (err("legal_basis"))
            (labeled(ctx.t("类型", "Item type"), html! { select name="item_type" {
                @for t in lists::ItemType::ALL { @let c = sl::item_type_code(t); option value=(c) selected[c == f.item_type] { (t.zh()) } }
            } })) (err("item_type"))
            (labeled(ctx.t("责任部门", "Department"), html! { input name="department" required value=(f.department); })) (err("department"))
            (labeled(ctx.t("来源", "Source"), html! { input name="source" value=(f.source); })) (err("source"))
            @match k {
                ListKind::Exit => {
                    (labeled(ctx.t("退出范围", "Exit scope"), html! { select name="exit_scope" {
                        option value="always" { (ctx.t("一律取消", "cancelled outright")) }
                        option value="as_principal" selected[f.exit_scope == "as_principal"] { (ctx.t("不再作为责任主体", "no longer as principal")) }
                    } })) (err("exit_scope"))
                }
                ListKind::Duty => {}
                ListKind::Assistance => {
                    (labeled(ctx.t("经费标准（元）", "Funding standard (yuan)"), html! { input name="standard_yuan" required value=(f.standard_yuan); })) (err("standard_yuan"))
                    (labeled(ctx.t("计费方式", "Funding basis"), html! { select name="funding_basis" {
                        option value="per_community_per_year" { (ctx.t("每社区每年", "per community per year")) }
                        option value="per_unit" selected[f.funding_basis == "per_unit"] { (ctx.t("每单位工作量", "per unit of work")) }
                    } })) (err("funding_basis"))
                    (labeled(ctx.t("计量单位", "Unit"), html! { input name="funding_unit" value=(f.funding_unit); })) (err("funding_unit"))
                    (labeled(ctx.t("出资部门", "Paying department"), html! { input name="paying_department" required value=(f.paying_department); })) (err("paying_department"))
                }
                ListKind::AssessmentAccess => {
                    (labeled(ctx.t("发起层级", "Originating level"), html! { select name="origin_level" {
                        option value="national" { (ctx.t("国家", "national")) }
                        option value="provincial" selected[f.origin_level == "provincial"] { (ctx.t("省", "provincial")) }
                    } })) (err("origin_level"))
                    (labeled(ctx.t("每年最多次数", "Max times per year"), html! { input name="max_times_per_year" type="number" min="1" required value=(f.max_times_per_year); })) (err("max_times_per_year"))
                    (labeled(ctx.t("最长天数", "Max duration (days)"), html! { input name="max_duration_days" type="number" min="1" required value=(f.max_duration_days); })) (err("max_duration_days"))
                    (labeled(ctx.t("考核内容", "Content scope"), html! { input name="content_scope" value=(f.content_scope); })) (err("content_scope"))
                }
            }
            button type="submit" { @if existing { (ctx.t("修改", "Replace")) } @else { (ctx.t("新增条目", "Add entry")) } }
        }
    }
}

/// Open drafts of a list, and opening a new one.
pub async fn drafts(State(state): State<AppState>, ctx: Ctx, Path(kind): Path<String>) -> Response {
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    let rows = match sl::drafts(&state.db, k).await {
        Ok(r) => r,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let name = msg(&ctx, &k.name());
    page(
        &ctx,
        &name,
        html! {
            h1 { (name) " · " (ctx.t("修订", "Revisions")) }
            p.muted { a href={"/lists/" (kind)} { (ctx.t("已发布的版本", "Published versions")) } }
            @if rows.is_empty() {
                form method="post" action={"/lists/" (kind) "/drafts"} { (ctx.csrf_field())
                    button type="submit" { (ctx.t("以现行版本为底稿起草新版本", "Draft a new version from the one in force")) } }
            }
            ul #drafts { @for r in &rows { li { a href=(draft_path(&kind, r.version)) { (ctx.t("第", "Version ")) (r.version) (ctx.t("版", "")) } " · " span.tag { (version_status(&ctx, r.status)) } } } }
        },
    )
}

pub async fn create_draft(State(state): State<AppState>, ctx: Ctx, Path(kind): Path<String>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let r = async { act::open_draft(&state, me, list_kind(&kind)?).await };
    match r.await {
        Ok(r) => crate::pages::done::redirect(&draft_path(&kind, r.version), "draft"),
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn draft(State(state): State<AppState>, ctx: Ctx, Path((kind, version)): Path<(String, i64)>) -> Response {
    draft_page(&state, &ctx, &kind, version, None).await
}

/// A draft with its entries and forms; a failed entry form shows again with
/// what was typed and its errors (422).
async fn draft_page(state: &AppState, ctx: &Ctx, kind: &str, version: i64, failed: Option<FailedEntry>) -> Response {
    let Some(k) = sl::parse_kind(kind) else { return error_page(ctx, ApiError::NotFound) };
    let v = match sl::version(&state.db, k, version).await.and_then(|r| r.parse()) {
        Ok(v) => v,
        Err(e) => return error_page(ctx, e.into()),
    };
    let base = draft_path(kind, version);
    let open = !v.is_published();
    let name = msg(ctx, &k.name());
    let status = if failed.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let body = page(
        ctx,
        &name,
        html! {
            h1 { (name) " · " (ctx.t("第", "version ")) (version) (ctx.t("版", "")) }
            p.muted { span.tag #status { (version_status(ctx, sl::VersionStatus::of(&v))) } " · "
                a href={"/lists/" (kind) "?from=" (version - 1) "&to=" (version)} { (ctx.t("与上一版比较", "Compare with the previous version")) } }
            div.table-wrap { table #entries {
                thead { tr { th { (ctx.t("编号", "Code")) } th { (ctx.t("事项", "Item")) } th { (ctx.t("类型", "Type")) } th { (ctx.t("依据", "Legal basis")) } th { (ctx.t("责任部门", "Department")) } th { (ctx.t("条件", "Terms")) } th {} } }
                tbody { @for e in v.entries() { tr {
                    td { (e.code) } td { (e.title) } td { (e.item_type.zh()) } td { (e.legal_basis) } td { (e.department) } td { (terms(ctx, e)) }
                    td { @if open {
                        @let back = failed.as_ref().filter(|f| f.code.as_deref() == Some(e.code.as_str()));
                        details open[back.is_some()] { summary { (ctx.t("修改", "Edit")) }
                            @match back {
                                Some(f) => (entry_form(ctx, k, &format!("{base}/entries/{}", e.code), true, &f.form, &f.errs)),
                                None => (entry_form(ctx, k, &format!("{base}/entries/{}", e.code), true, &form_of(e), &[])),
                            }
                        }
                        form method="post" action={(base) "/entries/" (e.code) "/remove"} { (ctx.csrf_field()) button type="submit" { (ctx.t("删除", "Remove")) } }
                    } }
                } } }
            } }
            @if open {
                h2 { (ctx.t("新增条目", "Add an entry")) }
                @match failed.as_ref().filter(|f| f.code.is_none()) {
                    Some(f) => (entry_form(ctx, k, &format!("{base}/entries"), false, &f.form, &f.errs)),
                    None => (entry_form(ctx, k, &format!("{base}/entries"), false, &sl::EntryForm::default(), &[])),
                }
                h2 { (ctx.t("导入Excel", "Import from Excel")) }
                form method="post" action={(base) "/import"} enctype="multipart/form-data" {
                    (ctx.csrf_field())
                    (crate::pages::form::file_input(ctx, "list-file", "file", ".xlsx", false, Some(ctx.t("清单文件（XLSX）", "List file (XLSX)"))))
                    button type="submit" { (ctx.t("导入", "Import")) }
                }
                h2 { (ctx.t("审核与发布", "Review and publish")) }
                form method="post" action={(base) "/review"} { (ctx.csrf_field()) button type="submit" { (ctx.t("审核通过", "Mark reviewed")) } }
                form method="post" action={(base) "/publish"} {
                    (ctx.csrf_field())
                    (labeled(ctx.t("生效日期", "Effective date"), html! { input name="effective" type="date"; }))
                    button type="submit" { (ctx.t("发布", "Publish")) }
                }
            } @else {
                p { (ctx.t("该版本已发布，不可修改。", "This version is published and immutable.")) }
            }
        },
    );
    (status, body).into_response()
}

async fn edit(state: &AppState, ctx: &Ctx, kind: &str, version: i64, edit: DraftEdit) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    // An entry form that fails comes back with what was typed.
    let typed = match &edit {
        DraftEdit::Add(f) => Some((None, f.clone())),
        DraftEdit::Replace { code, entry } => {
            Some((Some(code.clone()), sl::EntryForm { code: code.clone(), ..entry.clone() }))
        }
        _ => None,
    };
    let said = match &edit {
        DraftEdit::Add(_) => "entry-added",
        DraftEdit::Replace { .. } => "entry-replaced",
        DraftEdit::Remove { .. } => "entry-removed",
        DraftEdit::Review => "list-reviewed",
        DraftEdit::Publish(_) => "list-published",
    };
    let r = async { act::edit_draft(state, me, list_kind(kind)?, version, edit).await };
    match r.await {
        Ok(_) => crate::pages::done::redirect(&draft_path(kind, version), said),
        Err(e) => {
            let errs = e.field_errors();
            match typed {
                Some((code, form)) if !errs.is_empty() && errs.iter().all(|(f, _)| ENTRY_FIELDS.contains(f)) => {
                    let errs = errs.into_iter().map(|(f, m)| (f.to_string(), ctx.lang.msg(m))).collect();
                    draft_page(state, ctx, kind, version, Some(FailedEntry { code, form, errs })).await
                }
                _ => error_page(ctx, e),
            }
        }
    }
}

pub async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    Form(f): Form<sl::EntryForm>,
) -> Response {
    edit(&state, &ctx, &kind, version, DraftEdit::Add(f)).await
}

pub async fn replace_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, version, code)): Path<(String, i64, String)>,
    Form(f): Form<sl::EntryForm>,
) -> Response {
    edit(&state, &ctx, &kind, version, DraftEdit::Replace { code, entry: f }).await
}

pub async fn remove_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, version, code)): Path<(String, i64, String)>,
) -> Response {
    edit(&state, &ctx, &kind, version, DraftEdit::Remove { code }).await
}

pub async fn review(State(state): State<AppState>, ctx: Ctx, Path((kind, version)): Path<(String, i64)>) -> Response {
    edit(&state, &ctx, &kind, version, DraftEdit::Review).await
}

pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    Form(f): Form<sl::PublishForm>,
) -> Response {
    edit(&state, &ctx, &kind, version, DraftEdit::Publish(f)).await
}

/// Import entries from an uploaded XLSX; shows what was added and every
/// rejected row with its reason.
pub async fn import_entries(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, version)): Path<(String, i64)>,
    mp: axum::extract::Multipart,
) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    let r = async {
        let (_, bytes, _) = crate::pages::residents::read_upload(mp).await?;
        act::import_entries(&state, me, k, version, &bytes).await
    };
    let r = match r.await {
        Ok(r) => r,
        Err(e) => return error_page(&ctx, e),
    };
    page(
        &ctx,
        ctx.t("导入结果", "Import result"),
        html! {
            h1 { (ctx.t("导入结果", "Import result")) }
            p #imported { (ctx.t("已导入", "Imported")) " " (r.imported.len()) " · " (ctx.t("未导入", "rejected")) " " (r.rejected.len()) }
            @if !r.rejected.is_empty() {
                div.table-wrap { table #rejected {
                    thead { tr { th { (ctx.t("行", "Row")) } th { (ctx.t("编号", "Code")) } th { (ctx.t("字段", "Field")) } th { (ctx.t("原因", "Reason")) } } }
                    tbody { @for x in &r.rejected { tr { td { (x.row) } td { (x.code) } td { (x.field) } td { (ctx.lang.msg(&x.msg)) } } } }
                } }
            }
            p { a href=(draft_path(&kind, version)) { (ctx.t("返回草稿", "Back to the draft")) } }
        },
    )
}
