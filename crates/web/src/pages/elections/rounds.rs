//! The rounds after the first (rules §2.17 run-off, §2.18 另行选举) and the
//! filing of the result (§2.20), shown on the election's page: what the
//! procedure calls for next, each later round with its candidates, boxes and
//! count, and the announcement, sealing, filing and the district's receipt.

use super::sheet::{render, sheet_from};
use super::{Ctx, done, error_page};
use crate::AppState;
use crate::actions::election_rounds::{self as actions, RoundsView};
use crate::error::ApiError;
use crate::http::form_pairs;
use crate::policy::{ELECTION_CLERKS, ELECTION_DISTRICT, ELECTION_ORGANISERS};
use axum::extract::{Path, State};
use axum::response::Response;
use election::rounds::Next;
use election::tally::Outcome;
use maud::{Markup, html};
use store::elections::rounds::{LaterKind, RoundStatus};
use store::elections::{Election, ElectionStatus};

fn kind_name(ctx: &Ctx, k: LaterKind) -> &'static str {
    match k {
        LaterKind::Runoff => ctx.t("就票数相等的候选人再次投票", "run-off among the tied"),
        LaterKind::Repeat => ctx.t("另行选举", "repeat round (另行选举)"),
        LaterKind::Rerun => ctx.t("首轮无效，重新投票", "the invalid first round held again"),
    }
}

fn outcome_table(ctx: &Ctx, o: &Outcome) -> Markup {
    html! {
        @for (post, po) in &o.posts {
            h4 { (post) " · " (ctx.t("有效票", "valid")) " " (po.valid_ballots) " · " (ctx.t("无效票", "invalid")) " " (po.invalid_ballots) }
            @let mut votes: Vec<(&String, &u64)> = po.votes.iter().collect();
            @let _ = votes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            div.table-wrap { table.result {
                thead { tr { th { (ctx.t("姓名", "Name")) } th { (ctx.t("得票", "Votes")) } th {} } }
                tbody { @for (name, v) in votes { tr {
                    td { (name) } td { (v) }
                    td { @if po.elected.contains(name) { span.tag { (ctx.t("当选", "elected")) } }
                         @else if po.runoff.contains(name) { span.tag.warn { (ctx.t("票数相等，须再投票", "tie: run-off")) } } }
                } } }
            } }
        }
    }
}

/// The later rounds, what comes next, and the filing, for the election's page.
pub(super) fn section(ctx: &Ctx, e: &Election, v: &RoundsView) -> Markup {
    let me = ctx.principal.as_ref();
    let has = |roles: &[store::users::Role]| me.is_some_and(|p| roles.contains(&p.role));
    let (organiser, clerk, district) = (has(ELECTION_ORGANISERS), has(ELECTION_CLERKS), has(ELECTION_DISTRICT));
    let open_round = v.rounds.iter().any(|(r, ..)| r.status == RoundStatus::Polling);
    let counted = e.status == ElectionStatus::Counted;
    let rs = election::Ruleset::default();
    let last_repeat = v.rounds.iter().rev().find(|(r, ..)| r.kind == LaterKind::Repeat).and_then(|(r, ..)| r.day());
    html! {
        @for (r, posts, cands, boxes) in &v.rounds {
            h2 id={"round-" (r.number)} { (ctx.t("第", "Round ")) (r.number) (ctx.t("轮：", ": ")) (kind_name(ctx, r.kind)) }
            p.muted { (ctx.t("投票日", "Polling day")) " " (r.polling_day) " · "
                @match r.kind {
                    LaterKind::Runoff => (ctx.t("以得票多的当选（规则2.17）", "the most votes win (rule 2.17)")),
                    LaterKind::Repeat => (ctx.t("以得票多的当选，但得票数不得少于选票的三分之一（规则2.18）", "the most votes win with at least a third of the ballots (rule 2.18)")),
                    LaterKind::Rerun => (ctx.t("全部职务、原正式候选人重新投票，按首轮规则计票；首轮选票保持封存（规则2.14）", "every post and the same formal candidates, counted as a first round; the first round's ballots stay sealed (rule 2.14)")),
                } }
            div.table-wrap { table.round-candidates {
                thead { tr { th { (ctx.t("职务", "Post")) } th { (ctx.t("应选", "Seats")) } th { (ctx.t("候选人", "Candidates")) } } }
                tbody { @for p in posts { tr { td { (p.post) } td { (p.seats) }
                    td { @for c in cands.iter().filter(|c| c.post == p.post) { span.tag { (c.name) } " " } } } } }
            } }
            @if !boxes.is_empty() {
                p { (ctx.t("已录入票箱", "Boxes entered")) ": " @for b in boxes { span.tag { (b.name) " " (b.returned) "/" (b.issued) } " " } }
            }
            @if r.status == RoundStatus::Polling {
                @if clerk { p { a.round-sheet href={"/elections/" (e.id) "/rounds/" (r.number) "/sheet"} { (ctx.t("录入本轮一个票箱的计票单", "Enter a box's tally sheet for this round")) } } }
                @if organiser && !boxes.is_empty() {
                    form.round-count method="post" action={"/elections/" (e.id) "/rounds/" (r.number) "/count"} {
                        (ctx.csrf_field())
                        button type="submit" { (ctx.t("本轮计票", "Count this round")) }
                    }
                }
            }
            @if let Some(o) = r.counted() {
                p { @if o.round_valid { span.tag { (ctx.t("本轮有效", "the round is valid")) } } @else { span.tag.warn { (ctx.t("本轮无效（规则2.14、2.15）", "the round is invalid (rules 2.14, 2.15)")) } } }
                (outcome_table(ctx, &o))
            }
        }
        @if let (Some(next), true, false) = (&v.next, counted, open_round) {
            div.card #next-round {
                p { strong { (ctx.lang.msg(&next.msg())) } }
                @if let Next::FurtherElection = next {
                    @if let Some(d) = last_repeat {
                        p { (ctx.t("再行选举最迟于", "The further election is due by")) " " strong #further-due { (election::calendar::further_election_due(&rs, d)) } }
                    }
                }
                @if organiser && next.round_kind().is_some() {
                    form.stack #open-round method="post" action={"/elections/" (e.id) "/rounds"} {
                        (ctx.csrf_field())
                        @if let Next::Rerun = next { p.muted #rerun-note { (ctx.t("全部职务与原正式候选人重新投票（规则2.14）。", "Every post with the same formal candidates is voted again (rule 2.14).")) } }
                        @for p in next.posts() { p.muted { (p.post) " · " (ctx.t("应选", "seats")) " " (p.seats) " · " (ctx.t("候选人", "candidates")) "：" (p.candidates.join("、")) } }
                        label for="polling_day" { (ctx.t("投票日（默认今天）", "Polling day (default today)")) }
                        input #polling_day name="polling_day" type="date";
                        p { button type="submit" { (ctx.t("组织下一轮投票", "Open the next round")) } }
                    }
                }
            }
        }
        @if v.next.as_ref().is_some_and(Next::concluded) || v.filing.is_some() {
            h2 #filing { (ctx.t("公布结果与报区备案", "Announcement and filing")) }
            @match &v.filing {
                None => {
                    @if organiser && !open_round {
                        form.stack #announce method="post" action={"/elections/" (e.id) "/announce"} {
                            (ctx.csrf_field())
                            p.muted { (ctx.t("当场公布选举结果，当众封存选票（规则2.20）。", "Announce the result on the spot and seal the ballots in public (rule 2.20).")) }
                            label for="announced_on" { (ctx.t("公布日期（默认今天）", "Announced on (default today)")) }
                            input #announced_on name="announced_on" type="date";
                            label for="sealed_on" { (ctx.t("封存日期（默认今天）", "Sealed on (default today)")) }
                            input #sealed_on name="sealed_on" type="date";
                            label for="seal_note" { (ctx.t("封存地点和方式", "Where and how the ballots were sealed")) }
                            input #seal_note name="seal_note" type="text" required;
                            p { button type="submit" { (ctx.t("记录公布与封存", "Record the announcement and sealing")) } }
                        }
                    } @else { p.muted { (ctx.t("选举结果尚未公布", "The result is not announced yet")) } }
                }
                Some(f) => {
                    div.table-wrap { table #filing-record { tbody {
                        tr { th { (ctx.t("公布结果", "Announced")) } td { (f.announced_on) } }
                        tr { th { (ctx.t("封存选票", "Ballots sealed")) } td { (f.sealed_on) " · " (f.seal_note) } }
                        tr { th { (ctx.t("报区备案", "Filed with the district")) } td { (f.filed_on.clone().unwrap_or_else(|| ctx.t("未报送", "not yet").into()))
                            @if let Some(due) = election::calendar::filing_due(&rs, e.day().unwrap_or(time::Date::MIN)) { " · " (ctx.t("期限", "due")) " " (due) } } }
                        tr { th { (ctx.t("区受理", "Received by the district")) } td { @match (&f.received_on, &f.reference) {
                            (Some(d), Some(r)) => { (d) " · " (ctx.t("备案号", "reference")) " " (r) },
                            _ => (ctx.t("未受理", "not yet")),
                        } } }
                    } } }
                    @if organiser && f.filed_on.is_none() {
                        form.stack #file method="post" action={"/elections/" (e.id) "/filing"} {
                            (ctx.csrf_field())
                            label for="filed_on" { (ctx.t("报送日期（默认今天）", "Filed on (default today)")) }
                            input #filed_on name="filed_on" type="date";
                            p { button type="submit" { (ctx.t("报区备案", "File with the district")) } }
                        }
                    }
                    @if district && f.filed_on.is_some() && f.received_on.is_none() {
                        form.stack #receive method="post" action={"/elections/" (e.id) "/filing/receive"} {
                            (ctx.csrf_field())
                            label for="received_on" { (ctx.t("受理日期（默认今天）", "Received on (default today)")) }
                            input #received_on name="received_on" type="date";
                            label for="reference" { (ctx.t("备案号", "Reference")) }
                            input #reference name="reference" type="text" required;
                            p { button type="submit" { (ctx.t("受理备案", "Record the receipt")) } }
                        }
                    }
                }
            }
        }
    }
}

pub async fn open(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        let r = actions::open_round(&state, ctx.me()?, id, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}#round-{}", r.number))
    }
    .await;
    done(&ctx, r)
}

pub async fn sheet_form(State(state): State<AppState>, ctx: Ctx, Path((id, number)): Path<(i64, i64)>) -> Response {
    render(&state, &ctx, id, Some(number), &[], None).await
}

pub async fn enter(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, number)): Path<(i64, i64)>,
    body: String,
) -> Response {
    let pairs = form_pairs(&body);
    let r = match ctx.me() {
        Ok(me) => actions::enter_round_box(&state, me, id, number, sheet_from(&pairs)).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => crate::pages::done::redirect(&format!("/elections/{id}#round-{number}"), "round"),
        Err(e @ (ApiError::Invalid { .. } | ApiError::Fields(_))) => {
            render(&state, &ctx, id, Some(number), &pairs, Some(e)).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn count(State(state): State<AppState>, ctx: Ctx, Path((id, number)): Path<(i64, i64)>) -> Response {
    let r = async {
        actions::count_round(&state, ctx.me()?, id, number).await?;
        Ok(format!("/elections/{id}#round-{number}"))
    }
    .await;
    done(&ctx, r)
}

pub async fn announce(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::announce(&state, ctx.me()?, id, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}#filing"))
    }
    .await;
    done(&ctx, r)
}

pub async fn file(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::file(&state, ctx.me()?, id, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}#filing"))
    }
    .await;
    done(&ctx, r)
}

pub async fn receive(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::receive(&state, ctx.me()?, id, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}#filing"))
    }
    .await;
    done(&ctx, r)
}
