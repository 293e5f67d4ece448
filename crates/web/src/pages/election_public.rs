//! A community's public election result (issue 15): the last counted election's day, mode and
//! turnout, and per round and post the elected members' names and votes — nothing else personal.

use super::{Ctx, error_page, page};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use election::tally::Outcome;
use maud::html;
use store::elections::{self as el, ElectionStatus};
use store::typed::Word;

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Response {
    let c = match store::structure::community(&state.db, &code).await {
        Ok(c) => c,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let all = match el::elections(&state.db, Some(&c.code), None).await {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let last = all
        .into_iter()
        .filter(|e| matches!(e.status, ElectionStatus::Counted | ElectionStatus::Seated))
        .max_by_key(|e| e.id);
    // (round label, post, name, votes) of every elected member, first round first.
    let mut elected: Vec<(String, String, String, u64)> = Vec::new();
    let mut turnout = None;
    if let Some(e) = &last {
        let first = match el::result(&state.db, e.id).await {
            Ok(r) => r,
            Err(err) => return error_page(&ctx, err.into()),
        };
        if let Some(r) = &first {
            turnout = Some((r.ballots_returned, r.registered_voters, false));
            if let Ok(o) = serde_json::from_str::<Outcome>(&r.outcome) {
                push(&mut elected, ctx.t("首轮", "first round"), &o);
            }
        }
        let later = match el::rounds::rounds(&state.db, e.id).await {
            Ok(r) => r,
            Err(err) => return error_page(&ctx, err.into()),
        };
        for r in later {
            if let Some(o) = r.counted() {
                let rerun = r.kind == el::rounds::LaterKind::Rerun;
                // §2.14: the first round held again is the round whose turnout counts.
                if let (true, Some(returned), Some(registered)) = (rerun, r.ballots_returned, r.registered_voters) {
                    turnout = Some((returned, registered, true));
                }
                let label = if rerun { ctx.t("重新选举", "re-run") } else { ctx.t("第", "round ") };
                let label = if rerun { label.to_string() } else { format!("{label}{}", r.number) };
                push(&mut elected, &label, &o);
            }
        }
    }
    let body = html! {
        h1 { (c.name) " · " (ctx.t("居委会换届选举结果", "Residents' committee election result")) }
        @match &last {
            None => p.muted { (ctx.t("尚无已计票的换届选举", "No counted election yet")) },
            Some(e) => {
                p { (ctx.t("选举日", "Election day")) " " (e.election_day)
                    @if e.illustrative == 1 { " " span.tag { (ctx.t("示例", "example")) } }
                    " · " (mode_name(&ctx, e.mode.word())) }
                @if let Some((returned, registered, rerun)) = turnout {
                    p #election-turnout {
                        @if rerun { (ctx.t("首轮无效，重新选举收回选票", "First round invalid; re-run ballots returned")) }
                        @else { (ctx.t("首轮收回选票", "First-round ballots returned")) }
                        " " (returned) " / " (ctx.t("登记选民", "voters registered")) " " (registered) }
                }
                div.table-wrap { table #election-result {
                    thead { tr { th { (ctx.t("轮次", "Round")) } th { (ctx.t("职务", "Post")) } th { (ctx.t("当选人", "Elected")) } th { (ctx.t("得票", "Votes")) } } }
                    tbody { @for (round, post, name, votes) in &elected { tr { td { (round) } td { (post) } td { (name) } td { (votes) } } } }
                } }
            }
        }
    };
    page(&ctx, &c.name, body)
}

fn push(out: &mut Vec<(String, String, String, u64)>, round: &str, o: &Outcome) {
    if !o.round_valid {
        return;
    }
    for (post, po) in &o.posts {
        for name in &po.elected {
            out.push((round.to_string(), post.clone(), name.clone(), po.votes.get(name).copied().unwrap_or(0)));
        }
    }
}

fn mode_name(ctx: &Ctx, mode: &str) -> String {
    match mode {
        "direct_all_voters" => ctx.t("全体选民直接选举", "all voters directly"),
        "household_representatives" => ctx.t("户代表选举", "household representatives"),
        _ => ctx.t("居民小组代表选举", "residents' group representatives"),
    }
    .to_string()
}
