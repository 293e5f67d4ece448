//! One case: what was asked, where, by whom; its deadline and escalation;
//! attachments; probable duplicates the front desk may link; its history;
//! and the events this user may trigger now.

use super::cases::{item_card, queue_name, sla_tag, status_name};
use super::form::{Failed, from_pairs};
use super::{Ctx, error_page, form_pairs, page};
use crate::AppState;
use crate::actions::cases::{self as act, LinkDuplicate, NewEvent, NewFile};
use crate::error::ApiError;
use crate::http::read_file;
use crate::policy::CASE_INTAKE;
use crate::scope::load;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use store::cases as cs;
use store::typed::Word;
use time::format_description::well_known::Rfc3339;

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let f = Failed::default();
    show_with(&state, &ctx, id, &f, StatusCode::OK).await
}

fn event_name(k: &cases::state::EventKind) -> String {
    serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The form for one event, with the inputs that event needs.
pub fn event_form(ctx: &Ctx, action: &str, k: &cases::state::EventKind, queues: &[(String, String)]) -> Markup {
    let name = event_name(k);
    let (zh, en) = k.names();
    let needs_reason = matches!(
        name.as_str(),
        "return_for_materials"
            | "send_back"
            | "reject"
            | "resolve"
            | "reopen"
            | "close_with_note"
            | "transfer"
            | "route"
    );
    let hint = match name.as_str() {
        "return_for_materials" => ctx.t("缺少哪些材料", "which materials are missing"),
        "resolve" => ctx.t("办理结果", "what was done"),
        "rate" => ctx.t("意见（可选）", "comment (optional)"),
        _ => ctx.t("理由或说明", "reason or note"),
    };
    html! {
        form.inline method="post" action=(action) {
            (ctx.csrf_field())
            input type="hidden" name="event" value=(name);
            @if needs_reason {
                input name="reason" placeholder=(hint) aria-label=(hint) required;
            }
            @if matches!(name.as_str(), "transfer" | "route") {
                label.inline { (ctx.t("主办", "Lead")) " "
                    select name="queue" required { @for (id, label) in queues { option value=(id) { (label) } } } } " "
                label.inline { (ctx.t("协办", "Co-handler")) " "
                    select name="co_handlers" { option value="" { (ctx.t("无", "none")) } @for (id, label) in queues { option value=(id) { (label) } } } } " "
            }
            @if name == "rate" {
                @for (n, zh2, en2) in [("overall", "总体满意度", "overall"), ("speed", "办理速度", "speed"), ("attitude", "服务态度", "attitude")] {
                    label.inline { (ctx.t(zh2, en2)) " "
                        select name=(n) required { @for v in (1..=5).rev() { option value=(v) { (v) } } } }
                    " "
                }
                input name="reason" placeholder=(hint) aria-label=(hint);
            }
            button type="submit" { (ctx.t(zh, en)) }
        }
    }
}

/// A history step in English, as something that happened ("Routed", not the
/// button's "route").
fn done_en(k: cases::state::EventKind) -> &'static str {
    use cases::state::EventKind as K;
    match k {
        K::Accept => "Accepted",
        K::Route => "Routed",
        K::Start => "Work started",
        K::Arrive => "Arrived on site",
        K::ReturnForMaterials => "Returned for materials",
        K::MaterialsReceived => "Materials received",
        K::Transfer => "Transferred",
        K::SendBack => "Sent back (not ours)",
        K::Reject => "Rejected",
        K::Resolve => "Resolved",
        K::StartCallback => "Callback started",
        K::CallbackNoAnswer => "Callback not answered",
        K::Rate => "Rated",
        K::Reopen => "Reopened",
        K::CloseWithNote => "Closed with a note",
    }
}

/// A step the case's own history does not hold, shown in its timeline at its
/// time: a provider's dispatch (offered, accepted, declined; arrival and
/// completion are the case's own events) or an escalation level reached.
pub struct Step {
    pub at: time::OffsetDateTime,
    pub zh: String,
    pub en: String,
    pub note: String,
    pub escalation: bool,
}

/// The dispatch steps of a case's dispatches.
pub fn dispatch_steps(ds: &[store::dispatch::DispatchView]) -> Vec<Step> {
    let mut out = Vec::new();
    for d in ds {
        let p = &d.provider_name;
        let x = &d.dispatch;
        let steps = [
            (
                Some(&x.offered_at),
                "派单",
                "Dispatched",
                format!("{p}{}", if x.note.is_empty() { String::new() } else { format!(" · {}", x.note) }),
            ),
            (x.accepted_at.as_ref(), "服务商接单", "Accepted by the provider", p.clone()),
            (
                x.declined_at.as_ref(),
                "服务商拒单",
                "Declined by the provider",
                format!("{p} · {}", x.decline_reason.clone().unwrap_or_default()),
            ),
        ];
        for (at, zh, en, note) in steps {
            if let Some(at) = at.and_then(|a| time::OffsetDateTime::parse(a, &Rfc3339).ok()) {
                out.push(Step { at, zh: zh.into(), en: en.into(), note, escalation: false });
            }
        }
    }
    out
}

/// Each escalation level the case reached (督办), dated.
pub fn escalation_steps(sla: Option<&cases::SlaStatus>) -> Vec<Step> {
    let Some(s) = sla.filter(|s| s.escalate) else { return Vec::new() };
    (1..)
        .zip(&s.escalated_at)
        .map(|(k, at)| Step {
            at: *at,
            zh: format!("督办升级（第{k}级）"),
            en: format!("Escalated (level {k})"),
            note: String::new(),
            escalation: true,
        })
        .collect()
}

/// The history as a timeline, with the dispatch and escalation steps at their times.
pub fn timeline(ctx: &Ctx, history: &[cases::HistoryRecord], steps: &[Step]) -> Markup {
    use cases::state::EventKind as K;
    // At the same instant, a dispatch comes after routing and before the
    // provider's work (arrival, resolution and what follows); an escalation last.
    let class = |k: K| if matches!(k, K::Accept | K::Route | K::Transfer | K::SendBack) { 0 } else { 2 };
    let mut rows: Vec<(time::OffsetDateTime, u8, Markup)> =
        history.iter().map(|r| (r.at, class(r.event.kind()), record(ctx, r))).collect();
    for s in steps {
        let m = html! { li.step { (super::when(&s.at.format(&Rfc3339).unwrap_or_default())) " · " strong { (ctx.t(&s.zh, &s.en)) }
        @if !s.note.is_empty() { " · " (s.note) } } };
        rows.push((s.at, if s.escalation { 3 } else { 1 }, m));
    }
    // Stable: records keep their order among themselves, and so do steps.
    rows.sort_by_key(|(at, class, _)| (*at, *class));
    html! { ol #case-history .timeline { @for (_, _, m) in &rows { (m) } } }
}

fn record(ctx: &Ctx, r: &cases::HistoryRecord) -> Markup {
    html! {
            @let (zh, _) = r.event.kind().names();
            @let en = done_en(r.event.kind());
            @let (rz, re) = match &r.event { cases::Event::Accept { channel } => match channel {
                cases::state::Channel::Counter => ("窗口", "counter"), cases::state::Channel::Hotline => ("热线", "hotline"),
                cases::state::Channel::Web => ("居民网上提交", "online, by the resident"), cases::state::Channel::Open311 => ("第三方应用", "Open311") },
                _ => r.actor_role.names() };
            li { (super::when(&r.at.format(&Rfc3339).unwrap_or_default())) " · " strong { (ctx.t(zh, en)) } " · " (ctx.t(rz, re))
                @if let Some(x) = r.event.reason().filter(|x| !x.is_empty()) { " · " span.muted { (x) } }
                @if let cases::Event::Rate { rating, comment } = &r.event {
                    " · " (ctx.t("总体", "overall")) " " (rating.overall) "/5, " (ctx.t("速度", "speed")) " " (rating.speed) "/5, " (ctx.t("态度", "attitude")) " " (rating.attitude) "/5"
                    @if let Some(c) = comment { " · " span.muted { (c) } }
                }
                @if let Some(q) = &r.lead { " → " (queue_name(ctx, Some(&q.0))) }
            }
    }
}

async fn show_with(state: &AppState, ctx: &Ctx, id: i64, f: &Failed, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let loaded = async {
        let d = act::detail(state, me, id).await?;
        let it = cs::item_cached(&state.db, &d.view.case.item_code).await?;
        let queues = cs::queues(&state.db, &d.view.case.community_code).await?;
        // The case's notices and their delivery, for the staff who read the outbox.
        let notices = if crate::policy::OUTBOX_READERS.contains(&me.role) {
            Some(store::notify::for_case(&state.db, id).await?)
        } else {
            None
        };
        // A case made of a steward's issue names it (the other side of `steward_issues.case_id`).
        let from_issue = store::stewards::issue_of_case(&state.db, id).await?;
        Ok::<_, ApiError>((d, it, queues, notices, from_issue))
    };
    let (act::Detail { view: v, history, allowed, attachments: files, dispatches }, it, queues, notices, from_issue) =
        match loaded.await {
            Ok(x) => x,
            Err(e) => return error_page(ctx, e),
        };
    let sla = cases::sla(&history, it.limit_days as u32, cs::calendar(), time::OffsetDateTime::now_utc()).ok();
    let dups: Vec<i64> = serde_json::from_str(&v.case.duplicates).unwrap_or_default();
    let co: Vec<String> = serde_json::from_str(&v.case.co_handlers).unwrap_or_default();
    let answers: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&v.case.answers).unwrap_or_default();
    let is_intake = CASE_INTAKE.contains(&me.role);
    let mut steps = dispatch_steps(&dispatches);
    steps.extend(escalation_steps(sla.as_ref()));
    // Answers are stored by question key; show each question's label.
    let mut labels: std::collections::HashMap<&str, &str> =
        it.questions.iter().filter(|q| !q.label.is_empty()).map(|q| (q.key.as_str(), q.label.as_str())).collect();
    // The counter's masked ID number (rule I1).
    labels.insert("id_number", ctx.t("申请人身份证号（部分隐去）", "Applicant's ID number (masked)"));
    let body = html! {
        h1 { (ctx.t("案件", "Case")) " #" (v.case.id) " · " (v.item_name) }
        p.print-only #receipt { strong { (ctx.t("受理回执", "Receipt")) } " · " (ctx.t("案件第", "case no. ")) (v.case.id) (ctx.t("号", ""))
            " · " (ctx.t("受理时间 ", "taken ")) (super::when(&v.case.created_at)) " · " (ctx.t("请凭案件编号查询办理进度。", "Quote the case number to ask how it stands.")) }
        p { span.tag { (status_name(ctx, v.case.status.word())) } " " (sla_tag(ctx, &v))
            @if let Some(s) = sla.as_ref().filter(|s| s.escalate) { " " span.tag.danger { (ctx.t("已督办升级 ", "escalated, level ")) (s.escalation_level) } } }
        @if let Some(i) = &from_issue {
            p #from-steward { (ctx.t("由楼栋管家反映的问题转办：", "Made of a steward's issue: "))
                @if crate::policy::STEWARD_DESK.contains(&me.role) { a href={"/stewards#issue-" (i.id)} { (i.title) } } @else { (i.title) } }
        }
        dl {
            dt { (ctx.t("来访人", "Caller")) } dd { (v.case.caller_name) " " (v.case.caller_phone) }
            dt { (ctx.t("受理渠道", "Channel")) } dd { (super::cases::channel_name(ctx, v.case.channel.word())) " · " (super::when(&v.case.created_at)) }
            dt { (ctx.t("地点", "Where")) } dd { (v.case.building) " " (v.case.address)
                @if let (Some(a), Some(o)) = (v.case.lat, v.case.lon) { " (" (format!("{a:.5}, {o:.5}")) ")" } }
            dt { (ctx.t("诉求说明", "Description")) } dd { (v.case.description) }
            @for (k, a) in &answers { dt { (labels.get(k.as_str()).copied().unwrap_or(k.as_str())) } dd { (a.as_str().map(str::to_string).unwrap_or_else(|| a.to_string())) } }
            dt { (ctx.t("主办", "Lead")) } dd { (queue_name(ctx, v.case.lead_queue.as_deref())) }
            @if !co.is_empty() { dt { (ctx.t("协办", "Co-handlers")) } dd { (co.iter().map(|q| queue_name(ctx, Some(q))).collect::<Vec<_>>().join("、")) } }
            @if let Some(r) = v.case.rating { dt { (ctx.t("满意度", "Satisfaction")) } dd { (r) "/5" } }
            @if let Some(o) = v.case.linked_to { dt { (ctx.t("重复于", "Duplicate of")) } dd { a href={"/cases/" (o)} { "#" (o) } } }
        }
        (item_card(ctx, &it))
        @if !dups.is_empty() && v.case.linked_to.is_none() {
            section.card {
                h2 { (ctx.t("疑似重复", "Possible duplicates")) }
                p.muted { (ctx.t("同一事项、同一楼栋或50米内、7天内的在办案件。", "Open cases of the same item, same building or within 50 m, in the last 7 days.")) }
                ul { @for d in &dups { li { a href={"/cases/" (d)} { "#" (d) } " "
                    @if is_intake { form.inline method="post" action={"/cases/" (id) "/link"} { (ctx.csrf_field()) input type="hidden" name="original" value=(d); button type="submit" { (ctx.t("关联为重复", "Link as duplicate")) } } } } } }
                (f.general("link", &[]))
            }
        }
        h2 { (ctx.t("附件", "Attachments")) }
        @if files.is_empty() { p.muted { (ctx.t("暂无附件。", "No files.")) } }
        ul { @for a in &files { li { a href={"/cases/" (id) "/attachments/" (a.id)} { (a.name) } " · " (a.mime) " · " (a.size / 1024) " KB · SHA-256 " code { (a.sha256.get(..12).unwrap_or("")) "…" } } } }
        form.inline method="post" action={"/cases/" (id) "/attachments"} enctype="multipart/form-data" hx-boost="false" {
            (super::form::file_input(ctx, "attachment", "file", "image/jpeg,image/png,application/pdf", false, Some(ctx.t("附件文件", "The file to attach"))))
            button type="submit" { (ctx.t("上传附件（JPEG/PNG/PDF，≤5MB）", "Upload (JPEG/PNG/PDF, ≤ 5 MB)")) }
            @if let Some(e) = f.err("file", "file") { span.error role="alert" { (e) } }
        }
        h2 { (ctx.t("办理记录", "History")) }
        (timeline(ctx, &history, &steps))
        @if let Some(n) = &notices { (super::notify::case_notices(ctx, n)) }
        @if !allowed.is_empty() {
            h2 { (ctx.t("办理", "Act")) }
            (f.general("event", &[]))
            @for k in &allowed { (event_form(ctx, &format!("/cases/{id}/events"), k, &queues)) }
        }
        p { a href="/cases" { (ctx.t("返回案件列表", "Back to cases")) } }
    };
    (status, page(ctx, ctx.t("案件", "Case"), body)).into_response()
}

pub async fn event(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async { act::apply_event(&state, ctx.me()?, id, from_pairs::<NewEvent>(&pairs)?).await.map(|_| ()) }.await;
    after(&state, &ctx, id, r, "event", pairs).await
}

async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    r: Result<(), ApiError>,
    form: &'static str,
    pairs: Vec<(String, String)>,
) -> Response {
    match r {
        Ok(()) => super::done::redirect(
            &format!("/cases/{id}"),
            match form {
                "file" => "attached",
                "link" => "linked",
                _ => "event",
            },
        ),
        Err(ApiError::Invalid { field, msg }) => {
            let f = Failed { form, field, msg: ctx.lang.msg(&msg), values: pairs };
            show_with(state, ctx, id, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(ctx, e),
    }
}

pub async fn attach(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, mp: Multipart) -> Response {
    let r = async {
        let file = async { read_file(mp, cs::MAX_ATTACHMENT_BYTES).await.map(|(name, bytes)| NewFile { name, bytes }) };
        act::attach(&state, ctx.me()?, id, file).await.map(|_| ())
    }
    .await;
    after(&state, &ctx, id, r, "file", vec![]).await
}

pub async fn download(State(state): State<AppState>, ctx: Ctx, Path((id, aid)): Path<(i64, i64)>) -> Response {
    let r = async {
        let me = ctx.me()?;
        load::<store::cases::Case>(&state, me, id).await?;
        Ok::<_, ApiError>(cs::attachment(&state.db, id, aid).await?)
    }
    .await;
    match r {
        Ok((a, bytes)) => file_response(&a, bytes),
        Err(e) => error_page(&ctx, e),
    }
}

pub fn file_response(a: &cs::Attachment, bytes: Vec<u8>) -> Response {
    let safe: String = a.name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    (
        [
            (header::CONTENT_TYPE, a.mime.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", if safe.is_empty() { "file" } else { &safe }),
            ),
            (header::HeaderName::from_static("x-content-type-options"), "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The link form names the original case by number; no number is the
/// action's "required" error beside the field.
pub async fn link(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let original = pairs.iter().find(|(k, _)| k == "original").and_then(|(_, v)| v.trim().parse::<i64>().ok());
    let r = async { act::link_duplicate(&state, ctx.me()?, id, LinkDuplicate { original }).await.map(|_| ()) }.await;
    after(&state, &ctx, id, r, "link", pairs).await
}
