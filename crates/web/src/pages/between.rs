//! The residents' committee between elections: its roster, removals and
//! by-elections on a 居民会议 decision (rules §1.10, §2.21, §2.22), and the
//! 居民公约 with its decision and district filing (§1.12).

use super::form::{Failed, from_pairs, input, select, textarea};
use super::{Ctx, error_page, form_pairs, page};
use crate::AppState;
use crate::actions::between as actions;
use crate::error::ApiError;
use crate::policy::{COMMITTEE_KEEPERS, COVENANT_FILERS, Principal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use store::typed::Word;

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Response {
    show_with(&state, &ctx, &code, &Failed::default(), StatusCode::OK).await
}

async fn show_with(state: &AppState, ctx: &Ctx, code: &str, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let v = match actions::view(state, me, code).await {
        Ok(v) => v,
        Err(e) => return error_page(ctx, e),
    };
    let keeper = COMMITTEE_KEEPERS.contains(&me.role) && me.community.as_deref() == Some(v.community.code.as_str());
    let filer = COVENANT_FILERS.contains(&me.role);
    let base = format!("/communities/{}/committee", v.community.code);
    let posts = [
        ("委员".to_string(), ctx.t("委员", "member").to_string()),
        ("副主任".to_string(), ctx.t("副主任", "deputy director").to_string()),
        ("主任".to_string(), ctx.t("主任", "director").to_string()),
    ];
    let body = html! {
        h1 { (v.community.name) " · " (ctx.t("居委会成员的撤换与补选", "Committee: removal and by-election")) }
        p.muted { (ctx.t("居委会成员由选举产生；撤换和补选只能依据居民会议的决定（居组法第十条）；罢免提议须五分之一以上选民或户代表、或三分之一以上居民小组联名；不在本社区居住的成员不超过三分之一（安徽：待确认）。",
                         "The committee is elected; removal and by-election only on a residents' meeting decision (Organic Law Art 10); a recall motion needs 1/5 of voters or households or 1/3 of residents' groups; non-resident members at most 1/3 (Anhui: to be confirmed).")) }
        h2 { (ctx.t("本届成员", "Members")) " (" (v.roster.len()) ")" }
        ul #committee-roster { @for (n, p, l) in &v.roster { li { (p) " · " (n) @if !l { " " span.tag { (ctx.t("非本社区居住", "lives elsewhere")) } } } } }
        h2 { (ctx.t("撤换与补选记录", "Removals and by-elections")) }
        div.table-wrap { table #committee-changes {
            thead { tr { th { (ctx.t("类别", "Kind")) } th { (ctx.t("成员", "Member")) } th { (ctx.t("职务", "Post")) } th { (ctx.t("居民会议决定", "Decision")) } th { (ctx.t("时间", "When")) } } }
            tbody { @for c in &v.changes { tr {
                td { @if c.kind.word() == "removal" { (ctx.t("撤换", "removal")) } @else { (ctx.t("补选", "by-election")) } }
                td { (c.member_name) } td { (c.post) } td { "#" (c.resolution_id) } td { (super::when(&c.created_at)) }
            } } }
        } }
        @if keeper {
            h2 { (ctx.t("依据居民会议决定撤换或补选", "Record a removal or by-election")) }
            form.stack method="post" action={(base) "/changes"} {
                (ctx.csrf_field())
                (f.general("change", &["kind", "name", "post", "lives_here", "resolution_id", "motion_voters", "motion_households", "motion_groups", "reason"]))
                (select(f, "change", ctx.t("类别", "Kind"), "kind", &[("removal".into(), ctx.t("撤换", "removal").into()), ("by_election".into(), ctx.t("补选", "by-election").into())]))
                (input(f, "change", ctx.t("成员姓名", "Member's name"), "name", "text"))
                (select(f, "change", ctx.t("补选职务", "Post (by-election)"), "post", &posts))
                (select(f, "change", ctx.t("是否在本社区居住（补选）", "Lives in the community (by-election)"), "lives_here", &[("1".into(), ctx.t("是", "yes").into()), ("0".into(), ctx.t("否", "no").into())]))
                (input(f, "change", ctx.t("居民会议决议编号", "Residents' meeting resolution number"), "resolution_id", "number"))
                (input(f, "change", ctx.t("罢免提议联名选民数（撤换）", "Recall motion: voters signing"), "motion_voters", "number"))
                (input(f, "change", ctx.t("罢免提议联名户代表数（撤换）", "Recall motion: households signing"), "motion_households", "number"))
                (input(f, "change", ctx.t("罢免提议联名居民小组数（撤换）", "Recall motion: residents' groups"), "motion_groups", "number"))
                (textarea(f, "change", ctx.t("理由", "Reason"), "reason", 2))
                p { button type="submit" { (ctx.t("提交", "Submit")) } }
            }
        }
        h2 { (ctx.t("居民公约", "Residents' covenants")) }
        p.muted { (ctx.t("居民公约由居民会议讨论制定，报区人民政府备案后生效（居组法第十五条）。", "A covenant is adopted by the residents' meeting and takes effect once filed with the district (Organic Law Art 15).")) }
        (f.general("decide", &[])) (f.general("file", &[]))
        div.table-wrap { table #covenants {
            thead { tr { th { (ctx.t("公约", "Covenant")) } th { (ctx.t("居民会议决定", "Decision")) } th { (ctx.t("备案", "Filing")) } th { (ctx.t("状态", "Status")) } } }
            tbody { @for c in &v.covenants { tr {
                td { strong { (c.title) } br; span.muted { (c.body) } }
                td { @if let Some(r) = c.resolution_id { "#" (r) } @else if keeper {
                    form.inline method="post" action={"/covenants/" (c.id) "/decision"} {
                        (ctx.csrf_field())
                        input name="resolution_id" type="number" aria-label=(ctx.t("居民会议决议编号", "Resolution number"));
                        button type="submit" { (ctx.t("关联决定", "Link decision")) }
                    }
                } @else { "—" } }
                td { @if let Some(d) = &c.filed_on { (c.filing_ref) " · " (d) } @else if filer {
                    form.inline method="post" action={"/covenants/" (c.id) "/filing"} {
                        (ctx.csrf_field())
                        input name="filing_ref" aria-label=(ctx.t("备案文号", "Filing reference")) placeholder=(ctx.t("备案文号", "reference"));
                        input name="filed_on" type="date" aria-label=(ctx.t("备案日期", "Filing date"));
                        button type="submit" { (ctx.t("备案", "File")) }
                    }
                } @else { "—" } }
                td { span.tag { @if c.effective_on.is_some() { (ctx.t("已生效", "in effect")) } @else { (ctx.t("未生效", "not in effect")) } } }
            } } }
        } }
        @if keeper {
            form.stack method="post" action={(base) "/covenants"} {
                (ctx.csrf_field())
                (f.general("covenant", &["title", "body"]))
                (input(f, "covenant", ctx.t("公约名称", "Title"), "title", "text"))
                (textarea(f, "covenant", ctx.t("条文", "Text"), "body", 4))
                p { button type="submit" { (ctx.t("起草公约", "Draft a covenant")) } }
            }
        }
    };
    (status, page(ctx, ctx.t("居委会", "Committee"), body)).into_response()
}

async fn write<T>(
    state: &AppState,
    ctx: &Ctx,
    code: Option<&str>,
    form: &'static str,
    body: &str,
    act: impl AsyncFnOnce(&Principal, Vec<(String, String)>) -> Result<T, ApiError>,
    back: impl FnOnce(&T) -> String,
) -> Response {
    let pairs = form_pairs(body);
    let r = match ctx.me() {
        Ok(me) => act(me, pairs.clone()).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(t) => super::done::redirect(&back(&t), form),
        Err(ApiError::Invalid { field, msg }) if code.is_some() => {
            let f = Failed { form, field, msg: ctx.lang.msg(&msg), values: pairs };
            show_with(state, ctx, code.unwrap_or_default(), &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(ctx, e),
    }
}

fn back_to(c: &str) -> String {
    format!("/communities/{c}/committee")
}

pub async fn change(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>, body: String) -> Response {
    let act = async |me: &Principal, pairs: Vec<(String, String)>| {
        actions::change(&state, me, &code, from_pairs(&pairs)?).await
    };
    write(&state, &ctx, Some(&code), "change", &body, act, |c| back_to(&c.community_code)).await
}

pub async fn draft(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>, body: String) -> Response {
    let act = async |me: &Principal, pairs: Vec<(String, String)>| {
        actions::draft(&state, me, &code, from_pairs(&pairs)?).await
    };
    write(&state, &ctx, Some(&code), "covenant", &body, act, |c| back_to(&c.community_code)).await
}

pub async fn decide(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let code = store::between::covenant(&state.db, id).await.map(|c| c.community_code).ok();
    let act =
        async |me: &Principal, pairs: Vec<(String, String)>| actions::decide(&state, me, id, from_pairs(&pairs)?).await;
    write(&state, &ctx, code.as_deref(), "decide", &body, act, |c| back_to(&c.community_code)).await
}

pub async fn file(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let code = store::between::covenant(&state.db, id).await.map(|c| c.community_code).ok();
    let act =
        async |me: &Principal, pairs: Vec<(String, String)>| actions::file(&state, me, id, from_pairs(&pairs)?).await;
    write(&state, &ctx, code.as_deref(), "file", &body, act, |c| back_to(&c.community_code)).await
}
