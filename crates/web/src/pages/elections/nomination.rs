//! Nomination on the election's page (rules §2.6, §2.7, §2.10): the election
//! committee (members named formal candidates shown as having left it), the
//! joint nominations with their signer counts, and the open nomination (海选)
//! whose count publishes the formal candidates.

use super::{Ctx, done};
use crate::AppState;
use crate::actions::election_nomination as actions;
use crate::actions::elections::POSTS;
use crate::http::form_pairs;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use store::elections::nomination::{CommitteeMember, NominationRow, OpenCount};
use store::elections::{Election, ElectionStatus, PostSeats};

/// What the page shows of nomination.
pub struct NominationView {
    pub committee: Vec<CommitteeMember>,
    pub nominations: Vec<NominationRow>,
    pub open: Vec<OpenCount>,
}

pub async fn view(state: &AppState, id: i64) -> Result<NominationView, crate::error::ApiError> {
    use store::elections::nomination as nom;
    let (committee, nominations, open) = tokio::try_join!(
        nom::committee(&state.db, id),
        nom::nominations(&state.db, id),
        nom::open_counts(&state.db, id)
    )?;
    Ok(NominationView { committee, nominations, open })
}

pub(super) fn section(ctx: &Ctx, e: &Election, posts: &[PostSeats], v: &NominationView, organiser: bool) -> Markup {
    let open_for_nomination = organiser && e.status == ElectionStatus::Preparing && e.candidates_published.is_none();
    let rs = election::Ruleset::default();
    html! {
        h2 #nomination { (ctx.t("选举委员会与提名", "Election committee and nomination")) }
        p { (ctx.t("选举委员会", "Election committee")) "：" span #committee {
            @for m in &v.committee {
                @if let Some(d) = &m.left_on { span.tag.warn title=(ctx.t("被确定为正式候选人，退出选举委员会（规则2.10）", "named a formal candidate: left the committee (rule 2.10)")) { (m.name) " · " (ctx.t("已退出", "left")) " " (d) } }
                @else { span.tag { (m.name) } }
                " "
            }
            @if v.committee.is_empty() { span.muted { (ctx.t("尚未登记", "none recorded")) } }
        } }
        @if open_for_nomination {
            form.stack #add-members method="post" action={"/elections/" (e.id) "/committee"} {
                (ctx.csrf_field())
                label for="member_names" { (ctx.t("增加选举委员会成员（每行一人）", "Add members (one a line)")) }
                textarea #member_names name="names" rows="2" {}
                p.muted { (ctx.t("成员被确定为正式候选人的，公布名单时自动退出选举委员会（规则2.10）。", "A member named a formal candidate leaves the committee when the list is published (rule 2.10).")) }
                p { button type="submit" { (ctx.t("登记成员", "Add")) } }
            }
        }
        @if !v.nominations.is_empty() {
            div.table-wrap { table #nominations {
                thead { tr { th { (ctx.t("职务", "Post")) } th { (ctx.t("被提名人", "Nominee")) } th { (ctx.t("提名方式", "By")) } } }
                tbody { @for n in &v.nominations { tr {
                    td { (n.post) } td { (n.candidate) }
                    td { @if n.by_kind == "group" { (ctx.t("居民小组提名：", "residents' group: ")) (n.group_name) } @else { (n.signers) (ctx.t("名选民联名", " voters jointly")) } }
                } } }
            } }
        }
        @if open_for_nomination && e.roll_published.is_some() {
            form.stack #nominate method="post" action={"/elections/" (e.id) "/nominations"} {
                (ctx.csrf_field())
                p.muted { (ctx.t("联合提名：须", "Joint nomination: at least ")) (rs.nomination_min_voters) (ctx.t("名以上选民联名，或由居民小组提名；每一选民提名的人数不得超过应选人数（规则2.6）。", " voters signing, or a residents' group; no voter nominates more than the seats (rule 2.6).")) }
                label for="nom_post" { (ctx.t("职务", "Post")) }
                select #nom_post name="post" { @for p in posts { option value=(p.post) { (p.post) } } }
                label for="nom_candidate" { (ctx.t("被提名人", "Nominee")) }
                input #nom_candidate name="candidate" type="text" required;
                label for="nom_by" { (ctx.t("提名方式", "By")) }
                select #nom_by name="by" { option value="voters" { (ctx.t("选民联名", "voters jointly")) } option value="group" { (ctx.t("居民小组", "a residents' group")) } }
                label for="nom_signers" { (ctx.t("联名选民（每行一人，与选民名单一致）", "Signing voters (one a line, as on the roll)")) }
                textarea #nom_signers name="signers" rows="4" {}
                label for="nom_group" { (ctx.t("提名的居民小组", "Nominating residents' group")) }
                input #nom_group name="group" type="text";
                p { button type="submit" { (ctx.t("登记提名", "Record the nomination")) } }
            }
            form.stack #open-nomination method="post" action={"/elections/" (e.id) "/open-nomination"} {
                (ctx.csrf_field())
                p.muted { (ctx.t("海选：全体选民直接写票提名，参加的选民须超过半数；按得票多少确定正式候选人，并即公布（规则2.7、2.8）。", "Open nomination (海选): every voter writes names; more than half must take part; the most votes become the formal candidates, published at once (rules 2.7, 2.8).")) }
                label for="took_part" { (ctx.t("参加海选的选民人数", "Voters who took part")) }
                input #took_part name="took_part" type="number" min="0" required;
                label for="open_published_on" { (ctx.t("公布日期（默认今天）", "Published on (default today)")) }
                input #open_published_on name="published_on" type="date";
                @for (post, field) in POSTS {
                    @if posts.iter().any(|p| p.post == post.zh()) {
                        label for={"open_" (field)} { (post.zh()) " " (ctx.t("得票（每行：姓名 票数）", "votes (one a line: name votes)")) }
                        textarea id={"open_" (field)} name=(field) rows="3" {}
                    }
                }
                p { button type="submit" { (ctx.t("确定并公布正式候选人", "Publish the formal candidates")) } }
            }
        }
        @for o in &v.open {
            p.muted.open-count { (ctx.t("海选", "Open nomination")) " · " (o.post) " · " (ctx.t("参加", "took part")) " " (o.took_part) "/" (o.voters) }
        }
    }
}

pub async fn add_members(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::add_members(&state, ctx.me()?, id, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}#nomination"))
    }
    .await;
    done(&ctx, r)
}

pub async fn nominate(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::nominate(&state, ctx.me()?, id, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}#nomination"))
    }
    .await;
    done(&ctx, r)
}

pub async fn open_nomination(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::open_nomination(&state, ctx.me()?, id, super::super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}"))
    }
    .await;
    done(&ctx, r)
}
