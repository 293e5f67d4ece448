//! The one-stop service center (一站式服务中心): the front desk takes a case
//! at the counter for a resident and the back office works its queue, most
//! urgent first. One case's page is in `case.rs`.

use super::form::{Failed, input, select, textarea};
use super::{Ctx, error_page, form_pairs, page, urlencode};
use crate::AppState;
use crate::actions::cases::{self as act, ListQuery};
use crate::error::ApiError;
use crate::policy::CASE_INTAKE;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};
use store::cases::{self as cs, CaseView, Item, QuestionKind};
use store::typed::Word;

/// A case body from a form: `answers.<key>` fields become the answers object
/// (a repeated key, from a multiple-choice question, becomes a list).
pub fn case_from_pairs<T: serde::de::DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, store::StoreError> {
    let mut m = serde_json::Map::new();
    let mut answers = serde_json::Map::new();
    for (k, v) in pairs {
        if let Some(key) = k.strip_prefix("answers.") {
            match answers.get_mut(key) {
                Some(Value::Array(a)) => a.push(json!(v)),
                Some(prev) => *prev = json!([prev.clone(), v]),
                None => {
                    answers.insert(key.to_string(), json!(v));
                }
            }
        } else if k != "csrf" && !v.is_empty() {
            m.insert(k.clone(), json!(v));
        }
    }
    for k in ["lat", "lon", "resident_id"] {
        if let Some(n) = m.get(k).and_then(Value::as_str).and_then(|s| s.trim().parse::<f64>().ok()) {
            m.insert(k.into(), if k == "resident_id" { json!(n as i64) } else { json!(n) });
        }
    }
    m.insert("answers".into(), Value::Object(answers));
    crate::error::typed_input(Value::Object(m))
}

pub fn status_name(ctx: &Ctx, s: &str) -> String {
    match s {
        "accepted" => ctx.t("已受理", "accepted"),
        "routed" => ctx.t("已分派", "routed"),
        "in_progress" => ctx.t("办理中", "in progress"),
        "returned_for_materials" => ctx.t("待补正材料", "awaiting materials"),
        "resolved" => ctx.t("已办结", "resolved"),
        "callback" => ctx.t("回访中", "callback"),
        "closed" => ctx.t("已结案", "closed"),
        "rejected" => ctx.t("已驳回", "rejected"),
        _ => s,
    }
    .to_string()
}

pub fn sla_tag(ctx: &Ctx, v: &CaseView) -> Markup {
    let (zh, en, class) = match v.sla_state.as_deref() {
        Some("overdue") => ("已超期", "overdue", "danger"),
        Some("warning") => ("即将到期", "due soon", "warning"),
        Some("stopped") => ("时限暂停", "clock stopped", ""),
        Some("met") => ("按时办结", "on time", "ok"),
        Some("missed") => ("超期办结", "late", "danger"),
        Some(_) => ("正常", "on time", ""),
        None => ("—", "—", ""),
    };
    html! {
        span.tag.(class) { (ctx.t(zh, en)) }
        @if let Some(d) = &v.deadline { " " span.muted { (ctx.t("期限 ", "due ")) (due_day(d)) } }
    }
}

/// A deadline as the last day to act (`store::cases::due_day`, as the resident's notice says it).
pub fn due_day(deadline: &str) -> String {
    store::cases::due_day(deadline)
}

/// Where a queue id points, in words.
pub fn queue_name(ctx: &Ctx, q: Option<&str>) -> String {
    match q.and_then(|q| q.split_once(':')) {
        Some(("community", _)) => ctx.t("社区工作人员", "community team").to_string(),
        Some((_, name)) => name.to_string(),
        None => "—".into(),
    }
}

pub async fn index(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    index_with(&state, &ctx, &q, &Failed::default(), StatusCode::OK).await
}

fn intake_options(ctx: &Ctx, items: &[Item], channel: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), ctx.t("— 请选择服务事项 —", "— choose an item —").to_string()))
        .chain(
            items
                .iter()
                .filter(|i| store::cases::Channel::from_word(channel).is_ok_and(|c| i.takes(c)))
                .map(|i| (i.code.clone(), format!("{} · {}（{}个工作日）", i.category, i.name, i.limit_days))),
        )
        .collect()
}

/// The intake fields every channel shares; the item's own questions are on `/cases/new`.
pub fn intake_fields(ctx: &Ctx, f: &Failed, form: &'static str, items: &[Item], channel: &str) -> Markup {
    html! {
        (select(f, form, ctx.t("服务事项", "Service item"), "item", &intake_options(ctx, items, channel)))
        @if channel == "web" {
            // A resident's own request carries their registered name and phone, never another's.
            p.muted { (ctx.t("诉求以您本人登记的姓名和电话提交。", "The request is filed under your registered name and phone.")) }
        } @else {
            (input(f, form, ctx.t("来访人姓名", "Caller's name"), "caller_name", "text"))
            (input(f, form, ctx.t("联系电话", "Phone"), "caller_phone", "tel"))
        }
        @if channel == "counter" {
            (input(f, form, ctx.t("申请人身份证号（所需材料含身份证的事项必填）", "Applicant's ID number (required where the materials include an identity card)"), "id_number", "text"))
        }
        (input(f, form, ctx.t("楼栋", "Building"), "building", "text"))
        (input(f, form, ctx.t("地址（本社区内，如“天井湖路3号”“9栋101”）", "Address (in the community, like 天井湖路3号 or 9栋101)"), "address", "text"))
        (textarea(f, form, ctx.t("诉求说明", "Description"), "description", 3))
    }
}

async fn index_with(state: &AppState, ctx: &Ctx, q: &ListQuery, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let community = me.community.clone().unwrap_or_default();
    let offered = async { Ok(cs::offered(&state.db, &community).await?) };
    let names = async { Ok(store::structure::community_names(&state.db).await?) };
    let (list, items, names) = match tokio::try_join!(act::list(state, me, q), offered, names) {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    // District and city users see cases of many communities: say whose.
    let many = me.community.is_none();
    let intake = CASE_INTAKE.contains(&me.role);
    let my_queue = me.community.as_ref().map(|c| format!("community:{c}"));
    let cur = q.status.clone().unwrap_or_else(|| "open".into());
    let qq = q.queue.clone().unwrap_or_default();
    let link = |status: &str, offset: i64| format!("/cases?status={status}&queue={}&offset={offset}", urlencode(&qq));
    let body = html! {
        h1 { (ctx.t("一站式服务中心", "One-stop service center")) }
        p.muted { (ctx.t("前台一口受理、后台分类处置：办理时限按工作日计算，期限和超期状态均由办理记录实时计算。",
                         "The front desk accepts everything at one window; the back office handles by category. Deadlines count working days and are computed live from each case's history.")) }
        p { a href="/service/items" { (ctx.t("服务事项目录", "Service items")) } " · " a href="/service/stats" { (ctx.t("服务统计", "Statistics")) } " · " a href="/service/league" { (ctx.t("办理单位排行", "League table of units")) } }
        @if intake {
            details open {
                summary { strong { (ctx.t("窗口受理", "Take a case at the counter")) } }
                form.stack method="post" action="/cases" {
                    (ctx.csrf_field())
                    (f.general("case", &["item", "caller_name", "caller_phone", "id_number", "building", "address", "description"]))
                    (intake_fields(ctx, f, "case", &items, "counter"))
                    p { button type="submit" { (ctx.t("受理", "Accept")) } " "
                        span.muted { (ctx.t("有必答问题的事项请用", "For items with required questions use ")) a href="/cases/new" { (ctx.t("完整受理表", "the full intake form")) } } }
                }
            }
        }
        nav.tabs aria-label=(ctx.t("案件筛选", "Filter cases")) {
            @for (i, (s, zh, en)) in [("open", "在办", "Open"), ("overdue", "已超期", "Overdue"), ("callback", "待回访", "To call back"), ("done", "已办结", "Done"), ("all", "全部", "All")].into_iter().enumerate() {
                @if i > 0 { " · " } a href=(link(s, 0)) aria-current=[(cur == s).then_some("page")] { (ctx.t(zh, en)) }
            }
            @if let Some(mq) = &my_queue {
                " · " a href={"/cases?status=" (cur) "&queue=" (urlencode(mq))} aria-current=[(qq == *mq).then_some("page")] { (ctx.t("本社区后台队列", "My community's queue")) }
            }
        }
        div.table-wrap { table #case-list {
            thead { tr { th { "#" } @if many { th { (ctx.t("社区", "Community")) } } th { (ctx.t("事项", "Item")) } th { (ctx.t("渠道", "Channel")) } th { (ctx.t("来访人", "Caller")) } th { (ctx.t("楼栋", "Building")) } th { (ctx.t("主办", "Lead")) } th { (ctx.t("状态", "Status")) } th { (ctx.t("时限", "Time limit")) } } }
            tbody { @for v in &list.cases { tr {
                td { a href={"/cases/" (v.case.id)} { (v.case.id) } }
                @if many { td { (names.get(&v.case.community_code).map(String::as_str).unwrap_or(&v.case.community_code)) } }
                td { (v.item_name) @if v.case.duplicates != "[]" && v.case.linked_to.is_none() { " " span.tag.warning { (ctx.t("疑似重复", "possible duplicate")) } } }
                td { (channel_name(ctx, v.case.channel.word())) }
                td { (v.case.caller_name) }
                td { (v.case.building) }
                td { (queue_name(ctx, v.case.lead_queue.as_deref())) }
                td { span.tag { (status_name(ctx, v.case.status.word())) } }
                td { (sla_tag(ctx, v)) }
            } } }
        } }
        @if list.cases.is_empty() { p.muted { (ctx.t("没有符合条件的案件。", "No cases match.")) } }
        p {
            @if list.offset > 0 { a href=(link(&cur, (list.offset - 50).max(0))) { (ctx.t("上一页", "Previous")) } " " }
            @if list.more { a href=(link(&cur, list.offset + 50)) { (ctx.t("下一页", "Next")) } }
        }
    };
    (status, page(ctx, ctx.t("一站式服务中心", "Service center"), body)).into_response()
}

pub fn channel_name(ctx: &Ctx, c: &str) -> String {
    match c {
        "counter" => ctx.t("窗口", "counter"),
        "hotline" => ctx.t("热线", "hotline"),
        "web" => ctx.t("网上", "web"),
        "open311" => ctx.t("第三方应用", "Open311"),
        _ => c,
    }
    .to_string()
}

pub async fn create(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let pairs = form_pairs(&body);
    let id_number = super::form::value(&pairs, "id_number").to_string();
    let r = async { act::take_at_counter(&state, ctx.me()?, case_from_pairs(&pairs)?, &id_number).await }.await;
    let full = pairs.iter().any(|(k, _)| k == "full");
    match r {
        Ok(c) => super::done::redirect(&format!("/cases/{}", c.id), "created"),
        // Bad input comes back beside its form (every error of it said at once), never an error-only page.
        Err(e) if !e.field_errors().is_empty() => {
            let errs = e.field_errors();
            let field = errs[0].0.to_string();
            let msg = errs.iter().map(|(_, m)| ctx.lang.msg(m)).collect::<Vec<_>>().join("；");
            let f = Failed { form: "case", field, msg, values: pairs.clone() };
            if full {
                let item = pairs.iter().find(|(k, _)| k == "item").map(|p| p.1.clone());
                new_with(&state, &ctx, item, &f, StatusCode::UNPROCESSABLE_ENTITY).await
            } else {
                index_with(&state, &ctx, &ListQuery::default(), &f, StatusCode::UNPROCESSABLE_ENTITY).await
            }
        }
        Err(e) => error_page(&ctx, e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    pub item: Option<String>,
}

/// The full intake form: choose the item, then answer its questions and see its materials.
pub async fn new(State(state): State<AppState>, ctx: Ctx, Query(q): Query<NewQuery>) -> Response {
    new_with(&state, &ctx, q.item, &Failed::default(), StatusCode::OK).await
}

async fn new_with(state: &AppState, ctx: &Ctx, item: Option<String>, f: &Failed, status: StatusCode) -> Response {
    let community = ctx.me().ok().and_then(|m| m.community.clone()).unwrap_or_default();
    let items = match cs::offered(&state.db, &community).await {
        Ok(i) => i,
        Err(e) => return error_page(ctx, e.into()),
    };
    let chosen = item.as_deref().and_then(|c| items.iter().find(|i| i.code == c));
    let body = html! {
        h1 { (ctx.t("窗口受理", "Take a case at the counter")) }
        form.inline method="get" action="/cases/new" {
            (select(&Failed { form: "pick", values: vec![("item".into(), chosen.map(|i| i.code.clone()).unwrap_or_default())], ..Default::default() },
                "pick", ctx.t("服务事项", "Service item"), "item", &intake_options(ctx, &items, "counter")))
            button type="submit" { (ctx.t("选择", "Choose")) }
        }
        // An item asked for that this community does not take: say so, and what to do, never a blank page.
        @if let (None, Some(code)) = (chosen, item.as_deref().filter(|c| !c.is_empty())) {
            div.flash.error role="alert" #not-offered { (ctx.t("本社区服务中心未开通此事项（", "This community's service center does not take this item (")) (code)
                (ctx.t("）。请在上方另选事项，或请社区负责人在“服务事项”中开通。", "). Choose another item above, or ask the community head to adopt it under Service items.")) }
        }
        @if let Some(it) = chosen {
            (item_card(ctx, it))
            form.stack method="post" action="/cases" {
                (ctx.csrf_field())
                input type="hidden" name="full" value="1";
                input type="hidden" name="item" value=(it.code);
                (f.general("case", &["caller_name", "caller_phone", "id_number", "building", "address", "description"]))
                (input(f, "case", ctx.t("来访人姓名", "Caller's name"), "caller_name", "text"))
                (input(f, "case", ctx.t("联系电话", "Phone"), "caller_phone", "tel"))
                @if cases::intake::i1_needs_id_number(it.materials_list()) {
                    (input(f, "case", ctx.t("申请人身份证号 *（核验身份证原件，案件只保存隐去部分数字的号码）", "Applicant's ID number * (checked against the card; the case keeps it masked)"), "id_number", "text"))
                }
                (input(f, "case", ctx.t("楼栋", "Building"), "building", "text"))
                (input(f, "case", ctx.t("地址（本社区内，如“天井湖路3号”“9栋101”）", "Address (in the community, like 天井湖路3号 or 9栋101)"), "address", "text"))
                (questions(ctx, f, it))
                (textarea(f, "case", ctx.t("诉求说明", "Description"), "description", 3))
                p { button type="submit" { (ctx.t("受理", "Accept")) } }
            }
        }
        p { a href="/cases" { (ctx.t("返回服务中心", "Back to the service center")) } }
    };
    (status, page(ctx, ctx.t("窗口受理", "Take a case"), body)).into_response()
}

/// What the resident must bring, who handles it, how long it may take, what it costs.
pub fn item_card(ctx: &Ctx, it: &Item) -> Markup {
    html! {
        dl.card {
            dt { (ctx.t("事项", "Item")) } dd { (it.name) " (" (it.code) ")" }
            dt { (ctx.t("承办单位", "Handled by")) } dd { (if it.unit_kind == store::cases::UnitKind::Community { ctx.t("社区", "the community") } else { &it.unit_name }) }
            dt { (ctx.t("法定时限", "Time limit")) } dd { (it.limit_days) (ctx.t("个工作日", " working days")) }
            dt { (ctx.t("收费", "Fee")) } dd { @if it.fee_kind == store::cases::FeeKind::Free { (ctx.t("免费", "free")) } @else { (ledger::Yuan(it.fee_fen)) (ctx.t(" 元", " yuan")) } }
            dt { (ctx.t("所需材料", "Materials")) } dd { @let m = it.materials_list(); @if m.is_empty() { "—" } @else { (m.join("、")) } }
        }
    }
}

/// The item's typed questions as form fields named `answers.<key>`.
pub fn questions(ctx: &Ctx, f: &Failed, it: &Item) -> Markup {
    let qs = &it.questions.value;
    html! {
        @for q in qs {
            @let name = format!("answers.{}", q.key);
            @let label = format!("{}{}", if q.label.is_empty() { &q.key } else { &q.label }, if q.required { " *" } else { "" });
            @let err = f.err("case", &name);
            @match q.kind {
                QuestionKind::Single | QuestionKind::Multi => {
                    fieldset { legend { (label) }
                        @for o in &q.options {
                            label.inline { input type=(if q.kind == QuestionKind::Multi { "checkbox" } else { "radio" }) name=(name) value=(o) checked[f.checked("case", &name, o)]; " " (o) } " "
                        }
                        @if let Some(e) = err { span.error role="alert" { (e) } }
                    }
                }
                kind => {
                    label for={"case-" (name)} { (label) }
                    input id={"case-" (name)} name=(name) type=(match kind { QuestionKind::Number => "number", QuestionKind::Date => "date", _ => "text" }) value=(f.val("case", &name)) aria-invalid=[err.map(|_| "true")];
                    @if let Some(e) = err { span.error role="alert" { (e) } }
                }
            }
        }
        @if qs.is_empty() { span {} }
        @else { p.muted { (ctx.t("带 * 的问题必须回答。", "Questions marked * are required.")) } }
    }
}
