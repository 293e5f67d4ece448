//! Voting: the ballot forms on a call's page, a resident's web ballot and a
//! paper ballot entered at the counter.

use super::Did;
use super::calls::after;
use crate::AppState;
use crate::actions::pb::{self as act, Ballot, Choice};
use crate::error::ApiError;
use crate::pages::{Ctx, field, form_pairs};
use crate::policy::{PB_CLERKS, PB_VOTERS, Principal};
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use store::budgeting::{self as bg, Call, Phase, Project, ProjectStatus, yuan};

/// What a call's page shows about voting: when a resident voted, or the web
/// ballot to a resident and the paper ballot to a clerk while voting is open.
pub(super) async fn ballot_forms(
    state: &AppState,
    ctx: &Ctx,
    me: &Principal,
    c: &Call,
    projects: &[Project],
) -> Markup {
    // A resident who has voted sees when, not the ballot again.
    let voted_at = if PB_VOTERS.contains(&me.role)
        && let Ok(ix) = bg::web_voter(&state.db, me.user_id, &c.community_code).await
    {
        bg::ballot_cast_at(&state.db, c.id, &ix).await.ok().flatten()
    } else {
        None
    };
    let cumulative = c.ballot_kind == pb::VoteType::Cumulative;
    let ballot_choices = |prefix: &str| {
        html! {
            @for p in projects.iter().filter(|p| p.status == ProjectStatus::Approved) {
                div {
                    @if cumulative {
                        label.choice { input type="number" min="0" name={"pts_" (p.id)} value="0" style="width:5rem" id={(prefix) "pts_" (p.id)}; span { (p.title) " · " (yuan(p.cost_fen)) (ctx.t("元", " yuan")) } }
                    } @else {
                        label.choice { input type="checkbox" name="p" value=(p.id) id={(prefix) "p_" (p.id)}; span { (p.title) " · " (yuan(p.cost_fen)) (ctx.t("元", " yuan")) } }
                    }
                }
            }
        }
    };
    html! {
        @if let Some(at) = &voted_at {
            div.flash.ok { (ctx.t("您已于", "You voted on ")) (crate::pages::when(at)) (ctx.t(" 投票，谢谢参与。", ". Thank you.")) }
        } @else if c.phase == Phase::Voting && PB_VOTERS.contains(&me.role) {
            h2 { (ctx.t("投票", "Vote")) }
            p.muted { (ballot_rules(ctx, c)) }
            form.stack method="post" action={"/pb/" (c.id) "/ballots"} { (ctx.csrf_field()) (ballot_choices("w")) p { button type="submit" { (ctx.t("投票", "Cast my ballot")) } } }
        }
        @if c.phase == Phase::Voting && PB_CLERKS.contains(&me.role) {
            h2 { (ctx.t("录入纸质选票", "Enter a paper ballot")) }
            p.muted { (ballot_rules(ctx, c)) }
            form.stack method="post" action={"/pb/" (c.id) "/paper-ballots"} {
                (ctx.csrf_field())
                (field(ctx.t("投票人身份证号", "Voter's citizen ID number"), "id_number", "", None, "text"))
                (ballot_choices("q"))
                p { button type="submit" { (ctx.t("录入", "Enter")) } }
            }
        }
    }
}

fn ballot_rules(ctx: &Ctx, c: &Call) -> String {
    let mut s = Vec::new();
    if c.min_choices > 0 {
        s.push(format!("{}{}", ctx.t("至少选", "at least "), c.min_choices));
    }
    if let Some(m) = c.max_choices {
        s.push(format!("{}{}", ctx.t("最多选", "at most "), m));
    }
    if let Some(m) = c.max_cost_fen {
        s.push(format!("{}{}{}", ctx.t("总预算不超过", "total cost at most "), yuan(m), ctx.t("元", " yuan")));
    }
    if let Some(p) = c.points {
        s.push(format!("{}{}", ctx.t("可分配票数", "points to spread: "), p));
    }
    if s.is_empty() {
        ctx.t("可选任意多个项目", "tick as many as you like").to_string()
    } else {
        s.join(" · ")
    }
}

/// A ballot form as the command: checkboxes `p` (approval) or point fields
/// `pts_<id>` (cumulative; empty or 0 is no points), and on paper the voter's
/// `id_number`. A value that is no number is its field's 422.
fn ballot(body: &str) -> Result<Ballot, ApiError> {
    let mut b = Ballot::default();
    for (k, v) in form_pairs(body) {
        if k == "p" {
            let project_id =
                v.trim().parse().map_err(|_| ApiError::invalid("p", "所选项目无效", "not a project on this ballot"))?;
            b.choices.push(Choice { project_id, points: 1 });
        } else if let Some(id) = k.strip_prefix("pts_") {
            let project_id =
                id.parse().map_err(|_| ApiError::invalid(&k, "所选项目无效", "not a project on this ballot"))?;
            let points = match v.trim() {
                "" => 0,
                n => n.parse().map_err(|_| ApiError::invalid(&k, "票数须为整数", "points are a whole number"))?,
            };
            if points != 0 {
                b.choices.push(Choice { project_id, points });
            }
        } else if k == "id_number" {
            b.id_number = v;
        }
    }
    Ok(b)
}

pub async fn vote(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let r = async {
        act::vote(&state, ctx.me()?, id, ballot(&body)).await?;
        Ok(Did::Voted)
    }
    .await;
    after(&state, &ctx, id, r).await
}

pub async fn paper_vote(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let r = async {
        act::enter_paper_ballot(&state, ctx.me()?, id, ballot(&body)).await?;
        Ok(Did::PaperBallot)
    }
    .await;
    after(&state, &ctx, id, r).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: ApiError) -> String {
        match e {
            ApiError::Invalid { field, .. } => field,
            other => panic!("expected a field's error, got {other:?}"),
        }
    }

    #[test]
    fn a_ballot_form_reads_ticks_points_and_the_voters_id() {
        let b = ballot("csrf=x&p=3&p=5&id_number=340705199001011234").unwrap();
        assert_eq!(b.choices, vec![Choice { project_id: 3, points: 1 }, Choice { project_id: 5, points: 1 }]);
        assert_eq!(b.id_number, "340705199001011234");
        let b = ballot("pts_3=4&pts_5=0&pts_7=&pts_9=+2").unwrap();
        assert_eq!(b.choices, vec![Choice { project_id: 3, points: 4 }, Choice { project_id: 9, points: 2 }]);
    }

    #[test]
    fn a_value_that_is_no_number_is_its_fields_error() {
        assert_eq!(field(ballot("p=abc").unwrap_err()), "p");
        assert_eq!(field(ballot("pts_3=x").unwrap_err()), "pts_3");
        assert_eq!(field(ballot("pts_x=1").unwrap_err()), "pts_x");
    }
}
