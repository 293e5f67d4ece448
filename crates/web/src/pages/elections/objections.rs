//! The roll after publication on the election's page (rules §2.4, §2.5):
//! objections with the day their decision is due (overdue ones marked) and the
//! decision, and the voters who notified that they cannot return.

use super::{Ctx, done};
use crate::AppState;
use crate::actions::election_roll as actions;
use crate::http::form_pairs;
use crate::policy::{ELECTION_CLERKS, ELECTION_ORGANISERS};
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use store::elections::objections::{self as obj, Claim, Notice, Objection};
use store::elections::{Election, ElectionStatus};

pub struct RollView {
    pub applications: Vec<store::elections::roll::Application>,
    pub objections: Vec<Objection>,
    pub notices: Vec<Notice>,
}

pub async fn view(state: &AppState, id: i64) -> Result<RollView, crate::error::ApiError> {
    let (applications, objections, notices) = tokio::try_join!(
        store::elections::roll::applications(&state.db, id),
        obj::objections(&state.db, id),
        obj::notices(&state.db, id)
    )?;
    Ok(RollView { applications, objections, notices })
}

fn claim_name(ctx: &Ctx, c: Claim) -> &'static str {
    match c {
        Claim::Omitted => ctx.t("漏登", "omitted"),
        Claim::WronglyListed => ctx.t("错登", "wrongly listed"),
    }
}

pub(super) fn section(ctx: &Ctx, e: &Election, v: &RollView) -> Markup {
    let me = ctx.principal.as_ref();
    let organiser = me.is_some_and(|p| ELECTION_ORGANISERS.contains(&p.role));
    let clerk = me.is_some_and(|p| ELECTION_CLERKS.contains(&p.role));
    let open = e.status == ElectionStatus::Preparing && e.roll_published.is_some();
    let today = store::clock::today().to_string();
    html! {
        @if !v.applications.is_empty() {
            p #applications { (ctx.t("非户籍居民登记申请", "Applications to register")) "："
                @for a in &v.applications { span.tag { (a.name) " · " @if a.approved == 1 { (ctx.t("同意", "approved")) } @else { (ctx.t("不同意", "refused")) } } " " } }
        }
        @if organiser && e.status == ElectionStatus::Preparing && e.roll_published.is_none() {
            form.stack #apply method="post" action={"/elections/" (e.id) "/applications"} {
                (ctx.csrf_field())
                p.muted { (ctx.t("在本社区居住一年以上、户籍不在本社区的居民，本人申请并经选举委员会同意后登记（规则2.1）。",
                                 "A resident living here a year or more without 户籍 is registered on their own application, approved by the committee (rule 2.1).")) }
                label for="applicant" { (ctx.t("申请人（与居民登记一致）", "Applicant (as in the registry)")) }
                input #applicant name="name" type="text" required;
                label { input name="approved" type="checkbox" value="1"; " " (ctx.t("选举委员会同意", "approved by the committee")) }
                p { button type="submit" { (ctx.t("登记申请", "Record the application")) } }
            }
        }
        @if e.roll_published.is_some() {
            h3 #objections { (ctx.t("对选民名单的申诉", "Objections to the roll")) }
            @if !v.objections.is_empty() {
                div.table-wrap { table #objection-list {
                    thead { tr { th { (ctx.t("申诉日期", "Filed")) } th { (ctx.t("涉及", "Concerning")) } th { (ctx.t("事项", "Claim")) } th { (ctx.t("处理期限", "Decide by")) } th { (ctx.t("决定", "Decision")) } } }
                    tbody { @for o in &v.objections { tr {
                        td { (o.filed_on) } td { (o.subject) } td { (claim_name(ctx, o.claim)) }
                        td { (o.decision_due) @if o.decided_on.is_none() && today > o.decision_due { " " span.tag.warn { (ctx.t("逾期未处理", "overdue")) } } }
                        td { @match (&o.decided_on, o.upheld) {
                            (Some(d), Some(1)) => { span.tag { (ctx.t("申诉成立", "upheld")) } " " (d) " · " (o.decision.clone().unwrap_or_default()) },
                            (Some(d), _) => { span.tag { (ctx.t("申诉不成立", "dismissed")) } " " (d) " · " (o.decision.clone().unwrap_or_default()) },
                            _ => @if organiser && open {
                                form.decide-objection method="post" action={"/elections/" (e.id) "/objections/" (o.id) "/decide"} {
                                    (ctx.csrf_field())
                                    label { input name="upheld" type="checkbox" value="1"; " " (ctx.t("申诉成立", "upheld")) }
                                    input name="decision" type="text" required placeholder=(ctx.t("处理决定", "decision"));
                                    button type="submit" { (ctx.t("作出决定", "Decide")) }
                                }
                            } @else { (ctx.t("待处理", "pending")) },
                        } }
                    } } }
                } }
            }
            @if organiser && open {
                form.stack #file-objection method="post" action={"/elections/" (e.id) "/objections"} {
                    (ctx.csrf_field())
                    p.muted { (ctx.t("自名单公布之日起五日内受理申诉，三日内作出处理决定（规则2.4）。申诉成立的，错登者从名单中除去，漏登者经核实符合条件后补登。",
                                     "Objections are taken within five days of publication and decided within three (rule 2.4). Upheld, a wrongly listed voter is struck off; an omitted resident found eligible is added.")) }
                    label for="objector" { (ctx.t("申诉人", "Objector")) }
                    input #objector name="objector" type="text" required;
                    label for="subject" { (ctx.t("涉及的人", "Concerning")) }
                    input #subject name="subject" type="text" required;
                    label for="claim" { (ctx.t("事项", "Claim")) }
                    select #claim name="claim" { option value="omitted" { (ctx.t("漏登", "omitted")) } option value="wrongly_listed" { (ctx.t("错登", "wrongly listed")) } }
                    label for="grounds" { (ctx.t("理由", "Grounds")) }
                    input #grounds name="grounds" type="text" required;
                    label for="obj_filed_on" { (ctx.t("申诉日期（默认今天）", "Filed on (default today)")) }
                    input #obj_filed_on name="filed_on" type="date";
                    p { button type="submit" { (ctx.t("登记申诉", "Record the objection")) } }
                }
            }
            h3 #notices { (ctx.t("告知不能回来投票的选民", "Voters who cannot return")) }
            p { @for n in &v.notices { span.tag { (n.name) " · " (n.notified_on) } " " } @if v.notices.is_empty() { span.muted { (ctx.t("无", "none")) } } }
            p.muted { (ctx.t("选举日两日前告知选举委员会不能回来投票的，不计入选民总数（规则2.5）。", "A voter who tells the committee at least two days before election day that they cannot return is not counted in the denominator (rule 2.5).")) }
            @if clerk && e.status == ElectionStatus::Preparing {
                form.stack #add-notice method="post" action={"/elections/" (e.id) "/notices"} {
                    (ctx.csrf_field())
                    label for="notice_name" { (ctx.t("选民姓名", "Voter")) }
                    input #notice_name name="name" type="text" required;
                    label for="notified_on" { (ctx.t("告知日期（默认今天）", "Notified on (default today)")) }
                    input #notified_on name="notified_on" type="date";
                    p { button type="submit" { (ctx.t("登记", "Record")) } }
                }
            }
        }
    }
}

pub async fn file_objection(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::file_objection(&state, ctx.me()?, id, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}#objections"))
    }
    .await;
    done(&ctx, r)
}

pub async fn decide_objection(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, objection)): Path<(i64, i64)>,
    body: String,
) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::decide_objection(&state, ctx.me()?, id, objection, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}#objections"))
    }
    .await;
    done(&ctx, r)
}

pub async fn add_notice(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::add_notice(&state, ctx.me()?, id, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}#notices"))
    }
    .await;
    done(&ctx, r)
}

pub async fn apply(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::apply(&state, ctx.me()?, id, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}"))
    }
    .await;
    done(&ctx, r)
}
