//! The tally sheet of one ballot box, typed at the counting desk from the
//! paper sheet: keyboard only, one number field after another in the
//! sheet's order (box, issued, returned, then per post each candidate's
//! votes, write-ins, invalid, blank), Enter to submit. A refused sheet comes
//! back with every error and everything typed.

use std::collections::BTreeMap;

use super::{Ctx, error_page, example, page};
use crate::AppState;
use crate::actions::elections::{self as actions, Num, PostFigures, TallySheet};
use crate::error::ApiError;
use crate::http::form_pairs;
use crate::scope::load;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use store::elections::{self as el, Election};

/// The form's pairs as the action's command: `vote:主任:张伟`, `writein:主任` (a line
/// per name: `name votes`), `invalid:主任`, `blank:主任`.
pub(super) fn sheet_from(pairs: &[(String, String)]) -> TallySheet {
    let mut s = TallySheet::default();
    let mut posts: BTreeMap<String, PostFigures> = BTreeMap::new();
    for (k, v) in pairs {
        let mut parts = k.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("name"), None, _) => s.name = v.clone(),
            (Some("kind"), None, _) => s.kind = v.clone(),
            (Some("issued"), None, _) => s.issued = Some(Num::S(v.clone())),
            (Some("returned"), None, _) => s.returned = Some(Num::S(v.clone())),
            (Some("confirm_over"), None, _) => s.confirm_over = Some(Num::S(v.clone())),
            (Some("vote"), Some(post), Some(name)) => {
                posts.entry(post.into()).or_default().votes.insert(name.into(), Num::S(v.clone()));
            }
            (Some("writein"), Some(post), None) => {
                let p = posts.entry(post.into()).or_default();
                for line in v.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    let (name, votes) = line.rsplit_once([' ', ',', '，', '\t']).unwrap_or((line, ""));
                    p.votes.insert(name.trim().to_string(), Num::S(votes.trim().to_string()));
                }
            }
            (Some("invalid"), Some(post), None) => {
                posts.entry(post.into()).or_default().invalid = Some(Num::S(v.clone()))
            }
            (Some("blank"), Some(post), None) => posts.entry(post.into()).or_default().blank = Some(Num::S(v.clone())),
            _ => {}
        }
    }
    s.posts = posts;
    s
}

pub async fn form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    render(&state, &ctx, id, None, &[], None).await
}

/// The form for the first round's boxes, or (`round`: its number) a later round's.
pub(super) async fn render(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    round: Option<i64>,
    values: &[(String, String)],
    error: Option<ApiError>,
) -> Response {
    let r = async {
        let e = load::<Election>(state, ctx.me()?, id).await?;
        let x = match round {
            None => {
                tokio::try_join!(el::posts(&state.db, id), el::candidates(&state.db, id), el::boxes(&state.db, id))?
            }
            Some(n) => {
                use store::elections::rounds as later;
                let r = later::round(&state.db, e.id, n).await?;
                tokio::try_join!(
                    later::round_posts(&state.db, r.id),
                    later::round_candidates(&state.db, r.id),
                    later::round_boxes(&state.db, r.id)
                )?
            }
        };
        Ok::<_, ApiError>((e, x))
    }
    .await;
    let action = match round {
        None => format!("/elections/{id}/boxes"),
        Some(n) => format!("/elections/{id}/rounds/{n}/boxes"),
    };
    let (e, (posts, cands, boxes)) = match r {
        Ok(x) => x,
        Err(err) => return error_page(ctx, err),
    };
    let val = |k: &str| values.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let errors: Vec<String> =
        error.as_ref().map(|e| e.field_errors().iter().map(|(_, m)| ctx.lang.msg(m)).collect()).unwrap_or_default();
    let locked = e.locked();
    let body = html! {
        h1 { (ctx.t("录入计票单", "Enter a tally sheet")) (example(ctx, &e)) }
        @if let Some(n) = round { p #round-name { (ctx.t("第", "Round ")) (n) (ctx.t("轮投票", "")) } }
        p { a href={"/elections/" (e.id)} { (ctx.t("返回选举", "Back to the election")) } " · " (ctx.t("已录入票箱", "Boxes entered")) " " (boxes.len()) }
        @if round.is_none() && !locked.is_empty() {
            div.card #locked { strong { (ctx.t("投票与计票尚未开放：", "Polling and the count are locked:")) } ul { @for m in &locked { li { (ctx.lang.msg(m)) } } } }
        }
        @if !errors.is_empty() {
            div.card.field-error #sheet-errors role="alert" { ul { @for m in &errors { li { (m) } } } }
        }
        form.stack #tally-sheet method="post" action=(action) autocomplete="off" {
            (ctx.csrf_field())
            label for="name" { (ctx.t("票箱名称（如：第一投票站、流动票箱一）", "Box (e.g. 第一投票站, 流动票箱一)")) }
            input #name name="name" type="text" required autofocus value=(val("name"));
            label for="kind" { (ctx.t("类型", "Kind")) }
            select #kind name="kind" {
                option value="station" selected[val("kind") != "mobile"] { (ctx.t("投票站", "polling station")) }
                option value="mobile" selected[val("kind") == "mobile"] { (ctx.t("流动票箱", "mobile box")) }
            }
            label for="issued" { (ctx.t("发出选票", "Ballots issued")) }
            input #issued name="issued" type="number" inputmode="numeric" min="0" required value=(val("issued"));
            label for="returned" { (ctx.t("收回选票", "Ballots returned")) }
            input #returned name="returned" type="number" inputmode="numeric" min="0" required value=(val("returned"));
            label { input name="confirm_over" type="checkbox" value="1" checked[val("confirm_over") == "1"]; " " (ctx.t("收回多于发出，仍照实录入（本轮选举将无效，规则2.15）", "Returned exceed issued: record it as counted (the round will be invalid, rule 2.15)")) }
            @for p in &posts {
                fieldset {
                    legend { (p.post) " · " (ctx.t("应选", "seats")) " " (p.seats) }
                    @for c in cands.iter().filter(|c| c.post == p.post) {
                        @let key = format!("vote:{}:{}", p.post, c.name);
                        label for=(key) { (c.name) }
                        input id=(key) name=(key) type="number" inputmode="numeric" min="0" value=(val(&key));
                    }
                    @let w = format!("writein:{}", p.post);
                    label for=(w) { (ctx.t("另选他人（每行：姓名 票数）", "Write-ins (one a line: name votes)")) }
                    textarea id=(w) name=(w) rows="2" { (val(&w)) }
                    @let i = format!("invalid:{}", p.post);
                    label for=(i) { (ctx.t("无效票（所选人数多于应选等）", "Invalid (more names than seats, …)")) }
                    input id=(i) name=(i) type="number" inputmode="numeric" min="0" value=(val(&i));
                    @let b = format!("blank:{}", p.post);
                    label for=(b) { (ctx.t("空白票（弃权）", "Blank (abstention)")) }
                    input id=(b) name=(b) type="number" inputmode="numeric" min="0" value=(val(&b));
                }
            }
            p { button type="submit" { (ctx.t("保存计票单", "Save the tally sheet")) } }
        }
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, page(ctx, ctx.t("录入计票单", "Tally sheet"), body)).into_response()
}

pub async fn enter(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = match ctx.me() {
        Ok(me) => actions::enter_box(&state, me, id, sheet_from(&pairs)).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => crate::pages::done::redirect(&format!("/elections/{id}"), "sheet"),
        Err(e @ (ApiError::Invalid { .. } | ApiError::Fields(_))) => {
            render(&state, &ctx, id, None, &pairs, Some(e)).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_becomes_the_sheet_command() {
        let pairs: Vec<(String, String)> = [
            ("name", "第一投票站"),
            ("issued", "10"),
            ("returned", "9"),
            ("vote:主任:张伟", "6"),
            ("writein:主任", "王五 2\n赵六，1"),
            ("invalid:主任", "0"),
            ("blank:主任", "0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let s = sheet_from(&pairs);
        assert_eq!(s.name, "第一投票站");
        let p = &s.posts["主任"];
        assert_eq!(p.votes.len(), 3);
        assert!(matches!(&p.votes["赵六"], Num::S(v) if v == "1"));
    }
}
