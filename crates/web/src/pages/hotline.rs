//! The 2881890 community hotline console (社区服务热线): the operator types
//! the caller's number and presses Enter, sees who is calling and their open
//! cases, takes a new case in a few keystrokes and dispatches it to a
//! provider. Also the notification outbox and a resident's own notices.

use super::cases::status_name;
use super::form::{Failed, from_pairs, textarea};
use super::{Ctx, error_page, form_pairs, page, urlencode, when};
use crate::AppState;
use crate::actions::hotline::{self, HotlineCase};
use crate::error::ApiError;
use crate::policy::own_community;
use crate::scope::load;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use store::cases::{self as cs, Case};
use store::dispatch::DispatchStatus;
use store::outbox::Message;
use store::providers::{self as pv, DispatchView};
use store::typed::Word;

#[derive(Debug, Default, Deserialize)]
pub struct ConsoleQuery {
    #[serde(default)]
    pub phone: String,
}

/// An input pre-filled with `default` unless the failed form brought a value back.
fn prefilled(f: &Failed, form: &'static str, label: &str, name: &str, kind: &str, default: &str) -> Markup {
    let id = format!("{form}-{name}");
    let err = f.err(form, name);
    let v = if f.form == form { f.val(form, name) } else { default.to_string() };
    html! {
        label for=(id) { (label) }
        input id=(id) name=(name) type=(kind) value=(v) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-error"))];
        @if let Some(e) = err { div.field-error id={(id) "-error"} role="alert" { (e) } }
    }
}

pub fn dispatch_status(ctx: &Ctx, s: DispatchStatus) -> String {
    match s {
        DispatchStatus::Offered => ctx.t("待接单", "offered"),
        DispatchStatus::Accepted => ctx.t("已接单", "accepted"),
        DispatchStatus::Declined => ctx.t("已拒单", "declined"),
        DispatchStatus::Arrived => ctx.t("已到场", "arrived"),
        DispatchStatus::Completed => ctx.t("已完成", "completed"),
        DispatchStatus::Cancelled => ctx.t("已取消", "cancelled"),
    }
    .to_string()
}

pub async fn console(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ConsoleQuery>) -> Response {
    console_with(&state, &ctx, &q.phone, &Failed::default(), StatusCode::OK).await
}

async fn console_with(state: &AppState, ctx: &Ctx, phone: &str, f: &Failed, status: StatusCode) -> Response {
    let loaded = async {
        let me = ctx.me()?;
        let community = own_community(me)?;
        let caller = store::hotline::caller(&state.db, &community, phone).await?;
        let items: Vec<_> = cs::offered(&state.db, &community)
            .await?
            .into_iter()
            .filter(|i| i.takes(store::cases::Channel::Hotline))
            .collect();
        let mut open = Vec::new();
        for v in caller.open_cases() {
            // The case's live dispatch, if any (at most one; see the migration's unique index).
            let live = pv::in_scope(&state.db, Some(&community), None, Some(v.case.id))
                .await?
                .into_iter()
                .find(|d| d.dispatch.status.is_live());
            let candidates = if live.is_none() { pv::candidates(&state.db, &v.case).await? } else { vec![] };
            open.push((v.clone(), live, candidates));
        }
        Ok::<_, ApiError>((caller, items, open))
    };
    let (caller, items, open) = match loaded.await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let searched = !caller.phone.is_empty();
    let first_name = caller.residents.first().map(|r| r.name.clone()).unwrap_or_default();
    let first_building = caller.residents.first().map(|r| r.building.clone()).unwrap_or_default();
    let first_address = caller.residents.first().map(|r| r.address.clone()).unwrap_or_default();
    let body = html! {
        h1 { (ctx.t("2881890社区服务热线", "2881890 community hotline")) }
        form.inline #caller-search method="get" action="/hotline" role="search" {
            label for="phone" { (ctx.t("来电号码", "Caller's number")) }
            input #phone name="phone" type="tel" inputmode="tel" autofocus value=(caller.phone) autocomplete="off";
            button type="submit" { (ctx.t("查找", "Find")) }
        }
        @if searched {
            h2 { (ctx.t("来电人", "Caller")) }
            @if caller.residents.is_empty() {
                p.muted #caller-unknown { (ctx.t("本社区居民登记中没有此号码。", "No resident of this community is registered with this number.")) }
            } @else {
                ul #caller-residents { @for r in &caller.residents {
                    li { a href={"/residents/" (r.id)} { (r.name) } " · " (r.building) " " (r.address) " · " span.muted { (rules::gb11643::mask(&r.id_masked)) } }
                } }
            }
            h2 { (ctx.t("未结案案件", "Cases not closed")) }
            @if open.is_empty() { p.muted { (ctx.t("没有未结案的案件。", "No cases left open.")) } }
            (f.general("dispatch", &["provider_id", "note"]))
            @for (v, live, candidates) in &open {
                div.card.case-open id={"case-" (v.case.id)} {
                    p {
                        a href={"/cases/" (v.case.id)} { "#" (v.case.id) } " · " (v.item_name) " · "
                        span.tag { (status_name(ctx, v.case.status.word())) }
                        @if let Some(d) = &v.deadline { " · " (ctx.t("期限 ", "due ")) (super::cases::due_day(d)) }
                        @if v.overdue { " " span.tag.danger { (ctx.t("已超期", "overdue")) } }
                    }
                    @if let Some(d) = live {
                        p { (ctx.t("派单：", "Dispatch: ")) (d.provider_name) " · " (dispatch_status(ctx, d.dispatch.status)) }
                    } @else if !candidates.is_empty() && matches!(v.case.status, cases::Status::Routed | cases::Status::InProgress) {
                        @let mine = f.form == "dispatch" && f.val("dispatch", "case_id") == v.case.id.to_string();
                        form.inline method="post" action={"/cases/" (v.case.id) "/dispatch"} {
                            (ctx.csrf_field())
                            input type="hidden" name="case_id" value=(v.case.id);
                            label for={"provider-" (v.case.id)} { (ctx.t("派给", "Dispatch to")) }
                            select id={"provider-" (v.case.id)} name="provider_id" {
                                @for p in candidates {
                                    option value=(p.id) { (p.name) " · " (p.provider_type) " · " (if p.is_market() { ctx.t("市场化", "market") } else { ctx.t("公益", "public welfare") }) }
                                }
                            }
                            input name="note" placeholder=(ctx.t("备注", "note")) aria-label=(ctx.t("备注", "note"));
                            button type="submit" { (ctx.t("派单", "Dispatch")) }
                            @if mine { div.field-error role="alert" { (f.msg) } }
                        }
                    }
                }
            }
            @let closed: Vec<_> = caller.cases.iter().filter(|c| matches!(c.case.status, cases::Status::Closed | cases::Status::Rejected)).collect();
            @if !closed.is_empty() {
                details { summary { (ctx.t("已结案件", "Closed cases")) " (" (closed.len()) ")" }
                    ul { @for v in closed { li { a href={"/cases/" (v.case.id)} { "#" (v.case.id) } " · " (v.item_name) " · " (status_name(ctx, v.case.status.word())) } } }
                }
            }
        }
        h2 { (ctx.t("快速受理", "Quick case")) }
        form.stack #hotline-case method="post" action="/hotline/cases" {
            (ctx.csrf_field())
            (f.general("case", &["item", "caller_name", "caller_phone", "building", "address", "description"]))
            @let chosen = f.val("case", "item");
            label for="case-item" { (ctx.t("服务事项", "Service item")) }
            select #case-item name="item" required {
                // A clear choice, never a silent default: no item until the operator picks one.
                option value="" { (ctx.t("— 请选择服务事项 —", "— choose an item —")) }
                @for i in &items { option value=(i.code) selected[i.code == chosen] { (i.category) " · " (i.name) } }
            }
            @if let Some(e) = f.err("case", "item") { div.field-error role="alert" { (e) } }
            (textarea(f, "case", ctx.t("诉求说明", "Description"), "description", 2))
            (prefilled(f, "case", ctx.t("楼栋", "Building"), "building", "text", &first_building))
            (prefilled(f, "case", ctx.t("地址", "Address"), "address", "text", &first_address))
            (prefilled(f, "case", ctx.t("来电人姓名", "Caller's name"), "caller_name", "text", &first_name))
            (prefilled(f, "case", ctx.t("来电号码", "Caller's number"), "caller_phone", "tel", &caller.phone))
            @if caller.residents.len() == 1 { input type="hidden" name="resident_id" value=(caller.residents[0].id); }
            p { button type="submit" { (ctx.t("受理", "Take the case")) } }
        }
    };
    (status, page(ctx, ctx.t("社区服务热线", "Hotline"), body)).into_response()
}

/// The console's quick form: the case is taken, or the console comes back with the error beside its field.
pub async fn create(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let pairs = form_pairs(&body);
    let cmd = from_pairs::<HotlineCase>(&pairs);
    let phone = cmd.as_ref().map(HotlineCase::phone).unwrap_or_default();
    let r = async { hotline::take_case(&state, ctx.me()?, cmd?).await }.await;
    match r {
        Ok(c) => super::done::redirect(&format!("/hotline?phone={}#case-{}", urlencode(&phone), c.id), "hotline"),
        Err(ApiError::Invalid { field, msg }) => {
            let f = Failed { form: "case", field, msg: ctx.lang.msg(&msg), values: pairs };
            console_with(&state, &ctx, &phone, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

/// A case's dispatch form on the console.
pub async fn dispatch(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let mut pairs = form_pairs(&body);
    let r = async {
        let me = ctx.me()?;
        hotline::dispatch(&state, me, id, from_pairs(&pairs)?).await
    }
    .await;
    match r {
        Ok(d) => super::done::redirect(
            &format!("/hotline?phone={}#case-{id}", urlencode(&d.case.caller_phone)),
            "dispatched",
        ),
        Err(ApiError::Invalid { field, msg }) => {
            let phone = match ctx.me() {
                Ok(me) => load::<Case>(&state, me, id).await.map(|c| c.caller_phone).unwrap_or_default(),
                Err(_) => String::new(),
            };
            pairs.push(("case_id".into(), id.to_string()));
            let f = Failed { form: "dispatch", field, msg: ctx.lang.msg(&msg), values: pairs };
            console_with(&state, &ctx, &phone, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

pub fn recipient_kind(ctx: &Ctx, k: &str) -> String {
    match k {
        "resident" => ctx.t("居民", "resident"),
        "provider" => ctx.t("服务商", "provider"),
        "staff" => ctx.t("工作人员", "staff"),
        "org" => ctx.t("社会组织", "organisation"),
        _ => k,
    }
    .to_string()
}

/// Names and codes a recipient may refer to.
pub struct Names {
    pub communities: std::collections::HashMap<String, String>,
    pub providers: std::collections::HashMap<i64, String>,
    /// Community social organisations (`org:<id>`, issue 17).
    pub orgs: std::collections::HashMap<i64, String>,
}

impl Names {
    /// The names of a scope's communities, providers and social organisations.
    pub async fn load(db: &store::Db, c: Option<&str>, d: Option<&str>) -> store::Result<Names> {
        let (communities, providers, orgs) = tokio::try_join!(
            store::structure::community_names(db),
            store::providers::list(db, d),
            store::orgs::orgs(db, c, d)
        )?;
        Ok(Names {
            communities,
            providers: providers.into_iter().map(|p| (p.id, p.name)).collect(),
            orgs: orgs.into_iter().map(|o| (o.id, o.name)).collect(),
        })
    }
}

/// A recipient in words: `provider:3` as the provider's name,
/// `supervisor:community:340705402` as the community's supervisor, a queue
/// by its name; a phone number as it is.
pub fn recipient(ctx: &Ctx, r: &str, n: &Names) -> String {
    let community = |code: &str| crate::pages::community_name(&n.communities, code).to_string();
    let queue = |q: &str| match q.split_once(':') {
        Some(("community" | "community-admin", code)) => community(code),
        Some((_, name)) => name.to_string(),
        None => q.to_string(),
    };
    match r.split_once(':') {
        Some(("provider", id)) => match id.parse::<i64>().ok().and_then(|i| n.providers.get(&i)) {
            Some(name) => name.clone(),
            None => ctx.t("服务商", "provider").to_string(),
        },
        // A community social organisation (annual-inspection reminders, `store::orgs::remind`).
        Some(("org", id)) => match id.parse::<i64>().ok().and_then(|i| n.orgs.get(&i)) {
            Some(name) => name.clone(),
            None => ctx.t("社会组织", "organisation").to_string(),
        },
        Some(("supervisor", q)) => format!("{}{}", queue(q), ctx.t("（督办负责人）", " (supervisor)")),
        Some(("community" | "community-admin", code)) => {
            format!("{}{}", community(code), ctx.t("社区管理员", " admin"))
        }
        _ => r.to_string(),
    }
}

fn messages(ctx: &Ctx, list: &[Message], names: &Names, id: &str) -> Markup {
    html! {
        div.table-wrap { table id=(id) {
            thead { tr { th { (ctx.t("时间", "Time")) } th { (ctx.t("案件", "Case")) } th { (ctx.t("收件人", "To")) } th { (ctx.t("渠道", "Channel")) } th { (ctx.t("内容", "Message")) } th { (ctx.t("投递", "Delivery")) } } }
            tbody { @for m in list { tr {
                td { (when(&m.created_at)) }
                td { @if let Some(c) = m.case_id { "#" (c) } }
                td { (recipient_kind(ctx, &m.recipient_kind)) " " span.muted { (recipient(ctx, &m.recipient, names)) } }
                td { (if m.channel == "sms" { ctx.t("短信", "SMS") } else { ctx.t("应用内", "in app") }) }
                td { span.tag.kind { (super::notify::kind_name(ctx, &m.kind)) } " " (ctx.t(&m.body_zh, &m.body_en)) }
                td { (super::notify::status_cell(ctx, m)) }
            } } }
        } }
    }
}

pub async fn outbox(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let (c, d) = me.scope();
    let (list, dead, names) = match tokio::try_join!(
        store::outbox::list(&state.db, c.as_deref(), d.as_deref()),
        store::outbox::failed(&state.db, c.as_deref(), d.as_deref()),
        Names::load(&state.db, c.as_deref(), d.as_deref())
    ) {
        Ok(l) => l,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let body = html! {
        h1 { (ctx.t("通知发件箱", "Notification outbox")) }
        (super::notify::tabs(&ctx, "/outbox"))
        p.muted { (ctx.t("受理、派单、办理进展和督办时自动生成的通知，由投递程序通过短信网关、电子邮件或应用推送发出；失败的按间隔重试，多次失败后列为投递失败，可重新发送。",
                         "Notices written with each intake, dispatch, progress and escalation, delivered through the SMS gateway, email or app push; failures are retried with growing waits, and after the last attempt listed as failed, to retry by hand.")) }
        @if !dead.is_empty() {
            h2 #dead-letters { (ctx.t("投递失败", "Failed deliveries")) " (" (dead.len()) @if dead.more { "+" } ")" }
            (messages(&ctx, &dead, &names, "dead-letter-list"))
            (super::cut_note(&ctx, &dead))
            h2 { (ctx.t("全部通知", "All notifications")) }
        }
        (messages(&ctx, &list, &names, "outbox"))
        (super::cut_note(&ctx, &list))
    };
    page(&ctx, ctx.t("通知", "Notifications"), body)
}

pub async fn my_notifications(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let list = match store::outbox::for_user(&state.db, &me.username).await {
        Ok(l) => l,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let body = html! {
        h1 { (ctx.t("我的通知", "My notifications")) }
        @if list.is_empty() { p.muted { (ctx.t("暂无通知。", "No notifications yet.")) } }
        ul #my-notifications { @for m in &list { li { (when(&m.created_at)) " · " (ctx.t(&m.body_zh, &m.body_en)) } } }
        (super::cut_note(&ctx, &list))
    };
    page(&ctx, ctx.t("我的通知", "My notifications"), body)
}

/// A dispatch line for lists (the provider page, the registry).
pub fn dispatch_line(ctx: &Ctx, d: &DispatchView) -> Markup {
    html! { (ctx.t("案件第", "Case no. ")) (d.dispatch.case_id) (ctx.t("号", "")) " · " (d.item_name) " · " (dispatch_status(ctx, d.dispatch.status)) }
}
