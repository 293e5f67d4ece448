//! Delivery of notifications (issue 19): each message's state on the outbox
//! and the case page, a dead letter's retry, a recipient's channels and
//! consent (rules §6), and the city's templates with a preview.

use super::form::{Failed, from_pairs, input, select};
use super::hotline::{Names, recipient, recipient_kind};
use super::{Ctx, error_page, form_pairs, page, when};
use crate::AppState;
use crate::actions::notify as actions;
use crate::error::ApiError;
use crate::policy::{NOTIFY_DESK, TEMPLATE_EDITORS};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use store::notify::Delivery;
use store::notify::prefs::{ConsentHow, SubjectKind};
use store::outbox::Message;
use store::typed::Word;

/// The half of a stored "中文 / English" reason in the page's language.
pub fn half<'a>(ctx: &Ctx, s: &'a str) -> &'a str {
    match s.split_once(" / ") {
        Some((zh, en)) => ctx.t(zh, en),
        None => s,
    }
}

fn via(ctx: &Ctx, v: &str) -> String {
    match v {
        "sms" => ctx.t("短信", "SMS"),
        "email" => ctx.t("电子邮件", "email"),
        "webhook" => ctx.t("应用推送", "app push"),
        _ => ctx.t("其他", "other"),
    }
    .to_string()
}

/// A message's delivery: its state, channel, attempts, last error, receipt,
/// and a retry button for a dead letter.
pub fn status_cell(ctx: &Ctx, m: &Message) -> Markup {
    let name = m.status.name();
    let failed = matches!(m.status, Delivery::Dead | Delivery::Undelivered);
    html! {
        span.tag { (ctx.lang.msg(&name)) }
        @if let Some(v) = &m.sent_via { " " span.muted { (via(ctx, v)) } }
        @if m.attempts > 1 || failed { " " span.muted { (ctx.t("尝试", "attempts ")) (m.attempts) (ctx.t("次", "")) } }
        @if let Some(t) = &m.delivered_at { br; span.muted { (ctx.t("发出于", "sent ")) (when(t)) } }
        @if let Some(r) = &m.receipt_at { br; span.muted { (ctx.t("回执", "receipt ")) (when(r)) } }
        @if let Some(e) = &m.last_error { br; span.muted.last-error { (half(ctx, e)) } }
        @if failed {
            form.inline method="post" action={"/outbox/" (m.id) "/retry"} {
                (ctx.csrf_field())
                button type="submit" { (ctx.t("重新发送", "Retry")) }
            }
        }
    }
}

/// The tabs shared by the outbox, the channels and consent page and the
/// templates: `current` is the page's own path.
pub fn tabs(ctx: &Ctx, current: &str) -> Markup {
    let pages = [
        ("/outbox", "发件箱", "Outbox"),
        ("/notify/prefs", "接收渠道与同意", "Channels and consent"),
        ("/notify/templates", "通知模板", "Templates"),
    ];
    html! {
        nav.tabs #notify-tabs aria-label=(ctx.t("通知", "Notifications")) {
            @for (i, (href, zh, en)) in pages.into_iter().enumerate() {
                @if i > 0 { " · " } a href=(href) aria-current=[(current == href).then_some("page")] { (ctx.t(zh, en)) }
            }
        }
    }
}

/// A message kind's name (`notify::template::KINDS`) in the page's language.
pub fn kind_name<'a>(ctx: &Ctx, kind: &'a str) -> &'a str {
    match notify::template::KINDS.iter().find(|k| k.0 == kind) {
        Some(k) => ctx.t(k.1, k.2),
        None => ctx.t("通知", "Notice"),
    }
}

/// An example message of each kind, for the preview (every figure 示例).
fn example(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "dispatch" => (
            "新派单#88：水管维修，3栋2单元，联系人王女士，请及时接单。",
            "New dispatch #88: water pipe repair, building 3 unit 2, contact Ms Wang; please accept it.",
        ),
        "escalation" => (
            "督办：第1024号案件（水管维修）已超过办理时限，督办等级1。",
            "Escalation: case no. 1024 (water pipe repair) is past its time limit, escalation level 1.",
        ),
        "case_update" => ("第1024号案件：服务商已上门处理。", "Case no. 1024: the provider has come to handle it."),
        "inspection" => (
            "夕阳红志愿服务队的2026年度年检报告请于2026-05-31前提交",
            "Sunset Volunteers' 2026 annual report is due by 2026-05-31",
        ),
        _ => (
            "您的诉求已受理，编号第1024号，办理期限至2026-03-09。",
            "Your request is registered as no. 1024; it is due by 2026-03-09.",
        ),
    }
}

/// The notices of one case, for the case page.
pub fn case_notices(ctx: &Ctx, list: &[Message]) -> Markup {
    html! {
        h2 { (ctx.t("通知", "Notifications")) }
        @if list.is_empty() { p.muted { (ctx.t("暂无通知。", "No notifications.")) } }
        ul #case-notices { @for m in list { li {
            (when(&m.created_at)) " · " (recipient_kind(ctx, &m.recipient_kind)) " · " (ctx.t(&m.body_zh, &m.body_en)) " · " (status_cell(ctx, m))
        } } }
    }
}

/// Staff retry a dead letter; back to the outbox.
pub async fn retry(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    match actions::retry(&state, me, id).await {
        Ok(_) => super::done::redirect("/outbox#dead-letters", "retried"),
        Err(e) => error_page(&ctx, e),
    }
}

fn how_options(ctx: &Ctx) -> Vec<(String, String)> {
    ConsentHow::ALL.iter().map(|h| (h.word().to_string(), ctx.lang.msg(&h.name()))).collect()
}

pub async fn prefs(State(state): State<AppState>, ctx: Ctx) -> Response {
    prefs_with(&state, &ctx, &Failed::default(), StatusCode::OK).await
}

async fn prefs_with(state: &AppState, ctx: &Ctx, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let (c, d) = me.scope();
    let (list, names, staff) = match tokio::try_join!(
        store::notify::prefs::list(&state.db, c.as_deref(), d.as_deref()),
        Names::load(&state.db, c.as_deref(), d.as_deref()),
        store::notify::prefs::staff_subjects(&state.db, c.as_deref()),
    ) {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e.into()),
    };
    let desk = NOTIFY_DESK.contains(&me.role) && me.community.is_some();
    let staff_options: Vec<(String, String)> = staff
        .iter()
        .map(|(k, r)| (format!("{k}|{r}"), format!("{} · {}", recipient_kind(ctx, k), recipient(ctx, r, &names))))
        .collect();
    let yes_no =
        vec![("1".to_string(), ctx.t("是", "yes").to_string()), ("0".to_string(), ctx.t("否", "no").to_string())];
    let no_yes =
        vec![("0".to_string(), ctx.t("否", "no").to_string()), ("1".to_string(), ctx.t("是", "yes").to_string())];
    let body = html! {
        h1 { (ctx.t("通知渠道与同意记录", "Notification channels and consent")) }
        (tabs(ctx, "/notify/prefs"))
        p.muted { (ctx.t("依《个人信息保护法》记录每位收件人的通知渠道、退订，以及同意的时间和方式。已退订的号码不会收到任何通知。",
                         "Each recipient's channels and opt-out, with when and how consent was given (PIPL). An opted-out number receives nothing.")) }
        @if desk {
            h2 { (ctx.t("居民", "Resident")) }
            form.stack #prefs-resident method="post" action="/notify/prefs" {
                (ctx.csrf_field())
                input type="hidden" name="subject_kind" value="resident";
                (f.general("resident", &["subject", "opted_out", "sms", "consent_how"]))
                (input(f, "resident", ctx.t("手机号码", "Phone number"), "subject", "tel"))
                (select(f, "resident", ctx.t("接收短信", "SMS allowed"), "sms", &yes_no))
                (select(f, "resident", ctx.t("退订全部通知", "Opt out of every notice"), "opted_out", &no_yes))
                (select(f, "resident", ctx.t("同意方式", "How consent was given"), "consent_how", &how_options(ctx)))
                p { button type="submit" { (ctx.t("记录", "Record")) } }
            }
            h2 { (ctx.t("工作人员和服务商", "Staff and providers")) }
            form.stack #prefs-staff method="post" action="/notify/prefs" {
                (ctx.csrf_field())
                input type="hidden" name="consent_how" value="staff";
                (f.general("staff", &["subject", "prefer", "email", "phone"]))
                (select(f, "staff", ctx.t("收件人", "Recipient"), "subject", &staff_options))
                (select(f, "staff", ctx.t("通知方式", "Channel"), "prefer", &[
                    ("email".to_string(), ctx.t("电子邮件", "email").to_string()),
                    ("sms".to_string(), ctx.t("短信", "SMS").to_string()),
                    ("webhook".to_string(), ctx.t("应用推送", "app push").to_string()),
                ]))
                (input(f, "staff", ctx.t("邮箱", "Email"), "email", "email"))
                (input(f, "staff", ctx.t("手机号码", "Phone number"), "phone", "tel"))
                p { button type="submit" { (ctx.t("记录", "Record")) } }
            }
        }
        h2 { (ctx.t("已记录", "Recorded")) " (" (list.len()) ")" }
        div.table-wrap { table #prefs {
            thead { tr { th { (ctx.t("收件人", "Recipient")) } th { (ctx.t("渠道", "Channels")) } th { (ctx.t("同意", "Consent")) } } }
            tbody { @for p in &list { tr {
                td { (recipient_kind(ctx, p.subject_kind.word())) " "
                    @if p.subject_kind == SubjectKind::Resident { (crate::privacy::mask_phone(&p.subject)) } @else { (recipient(ctx, &p.subject, &names)) } }
                td { @if p.opted_out != 0 { strong { (ctx.t("已退订", "opted out")) } }
                     @else if p.subject_kind == SubjectKind::Resident { (if p.sms != 0 { ctx.t("短信", "SMS") } else { ctx.t("不接收短信", "no SMS") }) }
                     @else { (via(ctx, p.prefer.as_deref().unwrap_or("webhook"))) } }
                td { (when(&p.consent_at)) " · " (ctx.lang.msg(&p.consent_how.name())) }
            } } }
        } }
        (super::cut_note(ctx, &list))
    };
    (status, page(ctx, ctx.t("通知渠道", "Notification channels"), body)).into_response()
}

pub async fn set_prefs(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let mut pairs = form_pairs(&body);
    let form = if pairs.iter().any(|(k, v)| k == "subject_kind" && v == "resident") { "resident" } else { "staff" };
    // The staff form's recipient carries its kind: "staff|community:340705402".
    if form == "staff"
        && let Some((_, v)) = pairs.iter().find(|(k, _)| k == "subject").cloned()
        && let Some((kind, subject)) = v.split_once('|')
    {
        pairs.retain(|(k, _)| k != "subject" && k != "subject_kind");
        pairs.push(("subject".into(), subject.into()));
        pairs.push(("subject_kind".into(), kind.into()));
    }
    let r = match ctx.me() {
        Ok(me) => match from_pairs(&pairs) {
            Ok(cmd) => actions::set_prefs(&state, me, cmd).await,
            Err(e) => Err(e.into()),
        },
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => super::done::redirect("/notify/prefs", "prefs"),
        Err(ApiError::Invalid { field, msg }) => {
            let f = Failed { form, field, msg: ctx.lang.msg(&msg), values: pairs };
            prefs_with(&state, &ctx, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn templates(State(state): State<AppState>, ctx: Ctx) -> Response {
    templates_with(&state, &ctx, &Failed::default(), StatusCode::OK).await
}

async fn templates_with(state: &AppState, ctx: &Ctx, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let saved = match store::notify::templates::all(&state.db).await {
        Ok(s) => s,
        Err(e) => return error_page(ctx, e.into()),
    };
    let editor = TEMPLATE_EDITORS.contains(&me.role);
    let body = html! {
        h1 { (ctx.t("通知模板", "Notification templates")) }
        (tabs(ctx, "/notify/templates"))
        p.muted { (ctx.t("每类通知的中英文模板，由市民政部门编辑。花括号中为参数：{正文} 为业务生成的通知正文，{社区} 为社区名称，{案件编号} 为案件编号。短信自动加上社区签名【社区名称】。",
                         "Each kind's template in Chinese and English, edited by the city. In braces are the parameters: {body} is the text the action wrote, {community} the community's name, {case} the case number. SMS are signed 【community】 automatically.")) }
        @for (kind, zh_name, en_name, params) in notify::template::KINDS {
            @let (zh, en) = store::notify::templates::effective(&saved, kind);
            @let form: &'static str = kind;
            section.card id={"template-" (kind)} {
                h2 { (ctx.t(zh_name, en_name)) }
                p.muted { (ctx.t("可用参数：", "Parameters: ")) @for p in params.iter() { code { "{" (ctx.t(notify::template::chinese(p), p)) "}" } " " } }
                @if editor {
                    form.stack method="post" action={"/notify/templates/" (kind)} {
                        (ctx.csrf_field())
                        (f.general(form, &["zh", "en"]))
                        @let fz = if f.form == form { f.val(form, "zh") } else { zh.clone() };
                        @let fe = if f.form == form { f.val(form, "en") } else { en.clone() };
                        label for={(kind) "-zh"} { (ctx.t("中文", "Chinese")) }
                        textarea id={(kind) "-zh"} name="zh" rows="2" { (fz) }
                        @if let Some(e) = f.err(form, "zh") { div.field-error role="alert" { (e) } }
                        label for={(kind) "-en"} { (ctx.t("英文", "English")) }
                        textarea id={(kind) "-en"} name="en" rows="2" { (fe) }
                        @if let Some(e) = f.err(form, "en") { div.field-error role="alert" { (e) } }
                        p { button type="submit" { (ctx.t("保存", "Save")) } }
                    }
                } @else {
                    p { (zh) } p.muted { (en) }
                }
                p { a href={"/notify/templates/" (kind) "/preview"} { (ctx.t("预览", "Preview")) } }
            }
        }
    };
    (status, page(ctx, ctx.t("通知模板", "Notification templates"), body)).into_response()
}

pub async fn set_template(State(state): State<AppState>, ctx: Ctx, Path(kind): Path<String>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = match ctx.me() {
        Ok(me) => match from_pairs(&pairs) {
            Ok(cmd) => actions::set_template(&state, me, &kind, cmd).await,
            Err(e) => Err(e.into()),
        },
        Err(e) => Err(e),
    };
    let form: &'static str = notify::template::KINDS.iter().find(|k| k.0 == kind).map(|k| k.0).unwrap_or("");
    match r {
        Ok(_) => super::done::redirect(&format!("/notify/templates/{kind}/preview"), "template"),
        Err(ApiError::Invalid { field, msg }) => {
            let f = Failed { form, field, msg: ctx.lang.msg(&msg), values: pairs };
            templates_with(&state, &ctx, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct PreviewQuery {
    pub zh: Option<String>,
    pub en: Option<String>,
}

/// A kind's template (saved, or as typed in `?zh=&en=`) on an example message.
pub async fn preview(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(kind): Path<String>,
    Query(q): Query<PreviewQuery>,
) -> Response {
    let Some(&(kind, zh_name, en_name, _)) = notify::template::KINDS.iter().find(|k| k.0 == kind) else {
        return error_page(&ctx, ApiError::NotFound);
    };
    let saved = match store::notify::templates::all(&state.db).await {
        Ok(s) => s,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let (zh_t, en_t) = store::notify::templates::effective(&saved, kind);
    let (zh_t, en_t) = (q.zh.unwrap_or(zh_t), q.en.unwrap_or(en_t));
    let community = "五松社区";
    let mut params = std::collections::BTreeMap::new();
    params.insert("community".to_string(), community.to_string());
    params.insert("case".to_string(), "1024".to_string());
    let (ex_zh, ex_en) = example(kind);
    params.insert("body".to_string(), ex_zh.to_string());
    let zh = notify::template::render(&zh_t, &params);
    params.insert("body".to_string(), ex_en.to_string());
    let en = notify::template::render(&en_t, &params);
    let body = html! {
        h1 { (ctx.t("模板预览", "Template preview")) " · " (ctx.t(zh_name, en_name)) }
        (tabs(&ctx, ""))
        p { (super::illustrative(&ctx)) " " (ctx.t("示例通知：社区、案件编号和期限均为示例。", "An example message: the community, case number and deadline are examples.")) }
        @match (&zh, &en) {
            (Ok(zh), Ok(en)) => {
                @let sms = notify::sms::signed(community, zh);
                @let seg = notify::sms::segments(&sms);
                h2 { (ctx.t("短信（中文）", "SMS (Chinese)")) }
                p #preview-sms { (sms) }
                p.muted { (ctx.t("字数", "Characters: ")) (seg.units) (ctx.t("，共", "; ")) (seg.parts) (ctx.t("条短信（单条70字，长短信每条67字）", " segment(s) (70 per single SMS, 67 per part when longer)")) }
                h2 { (ctx.t("英文", "English")) }
                p #preview-en { (en) }
            }
            (Err(e), _) | (_, Err(e)) => { div.flash.error role="alert" { (ctx.lang.msg(e)) } }
        }
        p { a href={"/notify/templates#template-" (kind)} { (ctx.t("返回模板", "Back to the templates")) } }
    };
    page(&ctx, ctx.t("模板预览", "Template preview"), body)
}
