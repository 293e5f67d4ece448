//! Printable ballots (one per post) and tally sheets (one per polling station
//! or mobile box), Chinese, with print CSS: each ballot and each box's sheet
//! on its own page. Nothing personal beyond the candidates' names (rules §6):
//! the tellers sign by hand on the paper (§2.13).

use super::{Ctx, example};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::{error_page, page};
use crate::scope::load;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use store::elections::{self as el, BoxKind, Candidate, Election, PostSeats};

const PRINT_CSS: &str = ".sheet { border: 1px solid #333; padding: 1rem; margin: 0 0 1.5rem; } \
    .sheet table { width: 100%; border-collapse: collapse; } .sheet td, .sheet th { border: 1px solid #333; padding: .4rem; text-align: center; } \
    .sheet td.mark { height: 2.5rem; min-width: 3rem; } .sheet td.tally { width: 55%; } .signature { margin-top: 1rem; } \
    @media print { .sheet { break-after: page; page-break-after: always; border: none; } }";

/// The election, its community's name, its posts and its candidates.
type Loaded = (Election, String, Vec<PostSeats>, Vec<Candidate>);

async fn load_all(state: &AppState, ctx: &Ctx, id: i64) -> Result<Loaded, ApiError> {
    let e = load::<Election>(state, ctx.me()?, id).await?;
    let (posts, cands, community) = tokio::try_join!(
        el::posts(&state.db, id),
        el::candidates(&state.db, id),
        store::structure::community(&state.db, &e.community_code)
    )?;
    Ok((e, community.name, posts, cands))
}

fn not_yet(ctx: &Ctx) -> Markup {
    html! { p.muted #not-published { (ctx.t("正式候选人名单公布后才能印制选票和计票单（规则2.9）。", "Ballots and tally sheets are printed once the formal candidates are published (rule 2.9).")) } }
}

/// One ballot per post: the candidates in their published order, a mark box
/// under each, as many write-in columns as seats (§2.16 on the ballot itself).
pub async fn ballots(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let (e, community, posts, cands) = match load_all(&state, &ctx, id).await {
        Ok(x) => x,
        Err(err) => return error_page(&ctx, err),
    };
    let body = html! {
        style { (PRINT_CSS) }
        p.no-print { a href={"/elections/" (e.id) "#polling"} { "返回选举" } " · " a href={"/elections/" (e.id) "/tally-sheets"} { "计票单" } }
        @if e.candidates_published.is_none() { (not_yet(&ctx)) }
        @else { @for p in &posts {
            @let names: Vec<&str> = cands.iter().filter(|c| c.post == p.post).map(|c| c.name.as_str()).collect();
            section.sheet.ballot {
                h1 { (community) "居民委员会选举选票" (example(&ctx, &e)) }
                h2 { (p.post) " · 应选" (p.seats) "名" }
                p { "选举日：" (e.election_day) }
                table {
                    thead { tr {
                        @for n in &names { th { (n) } }
                        @for _ in 0..p.seats { th { "另选他人" } }
                    } }
                    tbody {
                        tr { @for _ in &names { td.mark {} } @for _ in 0..p.seats { td.mark {} } }
                    }
                }
                p.muted { "说明：同意的在姓名下方空格内划“○”，不同意的划“×”，弃权的不划任何符号；另选他人的，在“另选他人”栏写上其姓名并在下方划“○”。"
                    "所选人数多于应选" (p.seats) "名的，本职务选票无效；全部未划的为弃权（规则2.16）。" }
            }
        } }
    };
    page(&ctx, "选票", body)
}

/// One tally sheet per station or mobile box (a blank one when none is set up):
/// every candidate of every post, write-ins, invalid and blank, a column to tally
/// in 正 strokes and the total; issued and returned; the tellers sign below.
pub async fn tally_sheets(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        let all = load_all(&state, &ctx, id).await?;
        let stations = el::polling::stations(&state.db, id).await?;
        Ok::<_, ApiError>((all, stations))
    }
    .await;
    let ((e, community, posts, cands), stations) = match r {
        Ok(x) => x,
        Err(err) => return error_page(&ctx, err),
    };
    let boxes: Vec<(String, bool)> = if stations.is_empty() {
        vec![("____________".into(), false)]
    } else {
        stations.iter().map(|s| (s.name.clone(), s.kind == BoxKind::Mobile)).collect()
    };
    let body = html! {
        style { (PRINT_CSS) }
        p.no-print { a href={"/elections/" (e.id) "#polling"} { "返回选举" } " · " a href={"/elections/" (e.id) "/ballots"} { "选票" } }
        @if e.candidates_published.is_none() { (not_yet(&ctx)) }
        @else { @for (name, mobile) in &boxes {
            section.sheet.tally-sheet {
                h1 { (community) "居民委员会选举计票单" (example(&ctx, &e)) }
                h2 { (name) @if *mobile { "（流动票箱）" } }
                p { "选举日：" (e.election_day) " · 发出选票 ______ 张 · 收回选票 ______ 张" }
                @for p in &posts {
                    h3 { (p.post) " · 应选" (p.seats) "名" }
                    table {
                        thead { tr { th { "姓名" } th { "划“正”字计票" } th { "合计" } } }
                        tbody {
                            @for c in cands.iter().filter(|c| c.post == p.post) { tr { td { (c.name) } td.tally {} td {} } }
                            @for _ in 0..p.seats { tr { td { "另选他人：______" } td.tally {} td {} } }
                            tr { td { "无效票" } td.tally {} td {} }
                            tr { td { "弃权票" } td.tally {} td {} }
                        }
                    }
                }
                p.signature { "监票人（签名）：__________ 计票人（签名）：__________ 唱票人（签名）：__________" }
                p.muted { "本票箱与其他票箱集中到选举大会主会场开箱计票；收回选票多于发出选票的，本次选举无效（规则2.12、2.15）。" }
            }
        } }
    };
    page(&ctx, "计票单", body)
}
