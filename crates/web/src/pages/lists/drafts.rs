//! Editing the lists (city civil affairs): a list's open drafts, a draft
//! with its entry forms, and the edits (add, replace, remove, import,
//! review, publish), each through `actions::lists::edit_draft`.

use super::{msg, terms};
use crate::AppState;
use crate::actions::lists::{self as act, DraftEdit, list_kind};
use crate::error::ApiError;
use crate::pages::{Ctx, error_page, page};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
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

/// The entry form with the term fields of the list's kind.
fn entry_form(ctx: &Ctx, k: ListKind, action: &str, e: Option<&Entry>) -> Markup {
    let v = |f: &dyn Fn(&Entry) -> String| e.map(f).unwrap_or_default();
    let (std_yuan, basis, unit, payer) = match e.map(|e| &e.terms) {
        Some(Terms::Assistance(a)) => (
            yuan(a.standard_fen),
            match &a.basis {
                lists::FundingBasis::PerCommunityPerYear => "per_community_per_year".to_string(),
                lists::FundingBasis::PerUnit { .. } => "per_unit".to_string(),
            },
            match &a.basis {
                lists::FundingBasis::PerUnit { unit } => unit.clone(),
                _ => String::new(),
            },
            a.paying_department.clone(),
        ),
        _ => Default::default(),
    };
    let (origin, times, days, scope) = match e.map(|e| &e.terms) {
        Some(Terms::Assessment(a)) => (
            format!("{:?}", a.origin_level).to_lowercase(),
            a.max_times_per_year.to_string(),
            a.max_duration_days.to_string(),
            a.content_scope.join("、"),
        ),
        _ => Default::default(),
    };
    let item = e.map(|e| sl::item_type_code(e.item_type)).unwrap_or_default();
    html! {
        form method="post" action=(action) {
            (ctx.csrf_field())
            (labeled(ctx.t("编码", "Code"), html! { input name="code" required value=(v(&|e| e.code.clone())) readonly[e.is_some()]; }))
            (labeled(ctx.t("名称", "Title"), html! { input name="title" required value=(v(&|e| e.title.clone())); }))
            (labeled(ctx.t("依据", "Legal basis"), html! { input name="legal_basis" value=(v(&|e| e.legal_basis.clone())); }))
            (labeled(ctx.t("类型", "Item type"), html! { select name="item_type" {
                @for t in lists::ItemType::ALL { @let c = sl::item_type_code(t); option value=(c) selected[c == item] { (t.zh()) } }
            } }))
            (labeled(ctx.t("责任部门", "Department"), html! { input name="department" required value=(v(&|e| e.department.clone())); }))
            (labeled(ctx.t("来源", "Source"), html! { input name="source" value=(v(&|e| e.source.clone())); }))
            @match k {
                ListKind::Exit => {
                    (labeled(ctx.t("退出范围", "Exit scope"), html! { select name="exit_scope" {
                        option value="always" { (ctx.t("一律取消", "cancelled outright")) }
                        option value="as_principal" selected[matches!(e.map(|e| &e.terms), Some(Terms::Exit { scope: lists::ExitScope::AsPrincipal }))] { (ctx.t("不再作为责任主体", "no longer as principal")) }
                    } }))
                }
                ListKind::Duty => {}
                ListKind::Assistance => {
                    (labeled(ctx.t("经费标准（元）", "Funding standard (yuan)"), html! { input name="standard_yuan" required value=(std_yuan); }))
                    (labeled(ctx.t("计费方式", "Funding basis"), html! { select name="funding_basis" {
                        option value="per_community_per_year" { (ctx.t("每社区每年", "per community per year")) }
                        option value="per_unit" selected[basis == "per_unit"] { (ctx.t("每单位工作量", "per unit of work")) }
                    } }))
                    (labeled(ctx.t("计量单位", "Unit"), html! { input name="funding_unit" value=(unit); }))
                    (labeled(ctx.t("出资部门", "Paying department"), html! { input name="paying_department" required value=(payer); }))
                }
                ListKind::AssessmentAccess => {
                    (labeled(ctx.t("发起层级", "Originating level"), html! { select name="origin_level" {
                        option value="national" { (ctx.t("国家", "national")) }
                        option value="provincial" selected[origin == "provincial"] { (ctx.t("省", "provincial")) }
                    } }))
                    (labeled(ctx.t("每年最多次数", "Max times per year"), html! { input name="max_times_per_year" type="number" min="1" required value=(times); }))
                    (labeled(ctx.t("最长天数", "Max duration (days)"), html! { input name="max_duration_days" type="number" min="1" required value=(days); }))
                    (labeled(ctx.t("考核内容", "Content scope"), html! { input name="content_scope" value=(scope); }))
                }
            }
            button type="submit" { @if e.is_some() { (ctx.t("修改", "Replace")) } @else { (ctx.t("新增条目", "Add entry")) } }
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
            ul #drafts { @for r in &rows { li { a href=(draft_path(&kind, r.version)) { (ctx.t("第", "Version ")) (r.version) (ctx.t("版", "")) } " · " span.tag { (r.status) } } } }
        },
    )
}

pub async fn create_draft(State(state): State<AppState>, ctx: Ctx, Path(kind): Path<String>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let r = async { act::open_draft(&state, me, list_kind(&kind)?).await };
    match r.await {
        Ok(r) => Redirect::to(&draft_path(&kind, r.version)).into_response(),
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn draft(State(state): State<AppState>, ctx: Ctx, Path((kind, version)): Path<(String, i64)>) -> Response {
    let Some(k) = sl::parse_kind(&kind) else { return error_page(&ctx, ApiError::NotFound) };
    let v = match sl::version(&state.db, k, version).await.and_then(|r| r.parse()) {
        Ok(v) => v,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let base = draft_path(&kind, version);
    let open = !v.is_published();
    let name = msg(&ctx, &k.name());
    page(
        &ctx,
        &name,
        html! {
            h1 { (name) " · " (ctx.t("第", "version ")) (version) (ctx.t("版", "")) }
            p.muted { span.tag #status { (sl::status_label(&v)) } " · "
                a href={"/lists/" (kind) "?from=" (version - 1) "&to=" (version)} { (ctx.t("与上一版比较", "Compare with the previous version")) } }
            div.table-wrap { table #entries {
                thead { tr { th { (ctx.t("编号", "Code")) } th { (ctx.t("事项", "Item")) } th { (ctx.t("类型", "Type")) } th { (ctx.t("依据", "Legal basis")) } th { (ctx.t("责任部门", "Department")) } th { (ctx.t("条件", "Terms")) } th {} } }
                tbody { @for e in v.entries() { tr {
                    td { (e.code) } td { (e.title) } td { (e.item_type.zh()) } td { (e.legal_basis) } td { (e.department) } td { (terms(&ctx, e)) }
                    td { @if open {
                        details { summary { (ctx.t("修改", "Edit")) } (entry_form(&ctx, k, &format!("{base}/entries/{}", e.code), Some(e))) }
                        form method="post" action={(base) "/entries/" (e.code) "/remove"} { (ctx.csrf_field()) button type="submit" { (ctx.t("删除", "Remove")) } }
                    } }
                } } }
            } }
            @if open {
                h2 { (ctx.t("新增条目", "Add an entry")) }
                (entry_form(&ctx, k, &format!("{base}/entries"), None))
                h2 { (ctx.t("导入Excel", "Import from Excel")) }
                form method="post" action={(base) "/import"} enctype="multipart/form-data" {
                    (ctx.csrf_field())
                    input type="file" name="file" accept=".xlsx";
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
    )
}

async fn edit(state: &AppState, ctx: &Ctx, kind: &str, version: i64, edit: DraftEdit) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let r = async { act::edit_draft(state, me, list_kind(kind)?, version, edit).await };
    match r.await {
        Ok(_) => Redirect::to(&draft_path(kind, version)).into_response(),
        Err(e) => error_page(ctx, e),
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
