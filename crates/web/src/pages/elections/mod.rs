//! Residents' committee elections (居委会直选): the list and a new election,
//! one election's page (its calendar and what is still locked, the posts and
//! candidates, the boxes entered, the result), the published roll (names and
//! residents' groups only) and, in [`sheet`], the tally-sheet form per box.

pub mod nomination;
pub mod objections;
pub mod polling;
pub mod print;
pub mod rounds;
pub mod sheet;

use super::{Ctx, error_page, page};
use crate::AppState;
use crate::actions::elections::{self as actions, POSTS};
use crate::error::ApiError;
use crate::http::form_pairs;
use crate::policy::{ELECTION_CLERKS, ELECTION_ORGANISERS, Principal};
use crate::scope::load;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use store::elections::{self as el, Election, ElectionStatus};

pub(crate) fn status_name(ctx: &Ctx, s: ElectionStatus) -> &'static str {
    match s {
        ElectionStatus::Preparing => ctx.t("筹备中", "in preparation"),
        ElectionStatus::Counted => ctx.t("已计票", "counted"),
        ElectionStatus::Seated => ctx.t("已产生新一届居委会", "committee seated"),
    }
}

pub(crate) fn mode_name(ctx: &Ctx, m: el::ElectionMode) -> &'static str {
    match m {
        el::ElectionMode::DirectAllVoters => ctx.t("全体选民直接选举", "all voters directly"),
        el::ElectionMode::HouseholdRepresentatives => ctx.t("每户派代表选举", "one representative per household"),
        el::ElectionMode::GroupRepresentatives => {
            ctx.t("居民小组代表选举（每组二至三人）", "2–3 representatives per residents' group")
        }
    }
}

pub(crate) fn example(ctx: &Ctx, e: &Election) -> Markup {
    html! { @if e.illustrative == 1 { " " span.tag.warn title=(ctx.t("演示数据，人名与票数均为虚构", "demo data: names and figures are invented")) { (ctx.t("示例", "example")) } } }
}

fn can(me: Option<&Principal>, roles: &[store::users::Role]) -> bool {
    me.is_some_and(|p| roles.contains(&p.role))
}

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Ok(me) = ctx.me() else { return error_page(&ctx, ApiError::Unauthenticated) };
    let (list, names) = match tokio::try_join!(crate::scope::elections(&state, me), async {
        Ok(store::structure::community_names(&state.db).await?)
    }) {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e),
    };
    let body = html! {
        h1 { (ctx.t("居委会换届选举", "Residents' committee elections")) }
        p.muted { (ctx.t("居民委员会由本社区全体有选举权的居民直接选举产生（居组法第八条）。省级规则默认按安徽，待确认。",
                         "Residents' committees are elected directly by all voters of the community (Organic Law Art 8). Provincial rules default to Anhui, to be confirmed.")) }
        div.table-wrap { table #election-list {
            thead { tr { th { (ctx.t("选举日", "Election day")) } th { (ctx.t("社区", "Community")) } th { (ctx.t("状态", "Status")) } } }
            tbody { @for e in &list { tr {
                td { a href={"/elections/" (e.id)} { (e.election_day) } (example(&ctx, e)) }
                td { (names.get(&e.community_code).cloned().unwrap_or_default()) }
                td { span.tag { (status_name(&ctx, e.status)) } }
            } } }
        } }
        (crate::pages::cut_note(&ctx, &list))
        @if list.is_empty() { p.muted { (ctx.t("暂无选举", "No elections yet")) } }
        @if ELECTION_ORGANISERS.contains(&me.role) {
            h2 { (ctx.t("筹备新一届选举", "Prepare an election")) }
            form.stack #new-election method="post" action="/elections" {
                (ctx.csrf_field())
                label for="election_day" { (ctx.t("选举日", "Election day")) }
                input #election_day name="election_day" type="date" required;
                label for="mode" { (ctx.t("选举方式（居组法第八条）", "Mode (Organic Law Art 8)")) }
                select #mode name="mode" {
                    @for m in [el::ElectionMode::DirectAllVoters, el::ElectionMode::HouseholdRepresentatives, el::ElectionMode::GroupRepresentatives] {
                        option value=(store::typed::Word::word(m)) { (mode_name(&ctx, m)) }
                    }
                }
                label for="director" { (ctx.t("主任名额", "主任 seats")) }
                input #director name="director" type="number" min="1" max="1" value="1";
                label for="deputy" { (ctx.t("副主任名额", "副主任 seats")) }
                input #deputy name="deputy" type="number" min="0" value="1";
                label for="member" { (ctx.t("委员名额", "委员 seats")) }
                input #member name="member" type="number" min="0" value="3";
                p.muted { (ctx.t("居委会由主任、副主任和委员共五至九人组成（居组法第七条）", "A committee has 5 to 9 members in all (Organic Law Art 7)")) }
                p { button type="submit" { (ctx.t("创建", "Create")) } }
            }
        }
    };
    page(&ctx, ctx.t("居委会选举", "Elections"), body)
}

/// Go where a form's action leads, or show the refusal.
pub(super) fn done(ctx: &Ctx, r: Result<String, ApiError>) -> Response {
    match r {
        Ok(to) => crate::pages::done::redirect(&to, "saved"),
        Err(e) => error_page(ctx, e),
    }
}

pub async fn create(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        let e = actions::create(&state, ctx.me()?, super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{}", e.id))
    }
    .await;
    done(&ctx, r)
}

/// Publish the roll and show the committee what it did: who is on it, and each
/// resident left off with the rule's reason (shown only here, to the committee).
pub async fn publish_roll(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async { actions::publish_roll(&state, ctx.me()?, id, super::form::from_pairs(&pairs)?).await }.await;
    let report = match r {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e),
    };
    let body = html! {
        h1 { (ctx.t("选民名单已公布", "The voter roll is published")) }
        p #roll-summary { (ctx.t("登记选民", "Registered voters")) " " strong { (report.published) } " · "
            (ctx.t("未登记", "left off")) " " strong { (report.left_off.len()) } }
        p { a href={"/elections/" (id) "/roll"} { (ctx.t("查看公布的名单", "See the published roll")) } " · "
            a href={"/elections/" (id)} { (ctx.t("返回选举", "Back to the election")) } }
        @if !report.left_off.is_empty() {
            h2 { (ctx.t("未列入名单的居民及依据", "Residents left off, with the rule")) }
            p.muted { (ctx.t("此表仅供选举委员会核对，不公布。", "For the election committee to check; not published.")) }
            div.table-wrap { table #left-off {
                thead { tr { th { (ctx.t("姓名", "Name")) } th { (ctx.t("依据", "Rule")) } } }
                tbody { @for l in &report.left_off { tr { td { (l.name) } td { (ctx.lang.msg(&l.reason)) } } } }
            } }
        }
    };
    page(&ctx, ctx.t("选民名单已公布", "Roll published"), body)
}

pub async fn candidates(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let pairs = form_pairs(&body);
    let r = async {
        actions::set_candidates(&state, ctx.me()?, id, super::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}"))
    }
    .await;
    done(&ctx, r)
}

pub async fn count(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        actions::count(&state, ctx.me()?, id).await?;
        Ok(format!("/elections/{id}#result"))
    }
    .await;
    done(&ctx, r)
}

pub async fn seat(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        actions::seat(&state, ctx.me()?, id).await?;
        Ok(format!("/elections/{id}#result"))
    }
    .await;
    done(&ctx, r)
}

/// The published roll: names and residents' groups, nothing else (rules §6).
pub async fn roll(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        let e = load::<Election>(&state, ctx.me()?, id).await?;
        let lines = el::roll_lines(&state.db, id).await?;
        Ok::<_, ApiError>((e, lines))
    }
    .await;
    let (e, lines) = match r {
        Ok(x) => x,
        Err(err) => return error_page(&ctx, err),
    };
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for l in &lines {
        match groups.last_mut() {
            Some((g, names)) if *g == l.group_name => names.push(&l.name),
            _ => groups.push((&l.group_name, vec![&l.name])),
        }
    }
    let body = html! {
        h1 { (ctx.t("选民名单", "Voter roll")) (example(&ctx, &e)) }
        p { a href={"/elections/" (e.id)} { (ctx.t("返回选举", "Back to the election")) } }
        @match &e.roll_published {
            Some(d) => p #roll-summary { (ctx.t("公布日期", "Published on")) " " (d) " · " (ctx.t("选民", "voters")) " " strong { (lines.len()) } (ctx.t("人", "")) },
            None => p.muted { (ctx.t("选民名单尚未公布", "The roll is not published yet")) },
        }
        p.muted { (ctx.t("只公布姓名和所在居民小组。对名单有不同意见的，可在公布之日起五日内向选举委员会申诉。",
                         "Only names and residents' groups are published. Objections go to the election committee within five days of publication.")) }
        @for (g, names) in &groups {
            h2 { @if g.is_empty() { (ctx.t("未分组", "No group")) } @else { (g) } " (" (names.len()) ")" }
            p.roll { @for n in names { span.tag { (n) } " " } }
        }
    };
    page(&ctx, ctx.t("选民名单", "Voter roll"), body)
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        let e = load::<Election>(&state, ctx.me()?, id).await?;
        let x = tokio::try_join!(
            el::posts(&state.db, id),
            el::candidates(&state.db, id),
            el::voter_count(&state.db, id),
            el::boxes(&state.db, id),
            el::result(&state.db, id),
            store::structure::community(&state.db, &e.community_code)
        )?;
        let later = crate::actions::election_rounds::view(&state, &e).await?;
        let noms = nomination::view(&state, e.id).await?;
        let roll = objections::view(&state, e.id).await?;
        let poll = polling::view(&state, e.id).await?;
        Ok::<_, ApiError>((e, x, later, noms, roll, poll))
    }
    .await;
    let (e, (posts, cands, voters, boxes, result, community), later, noms, roll_notes, poll) = match r {
        Ok(x) => x,
        Err(err) => return error_page(&ctx, err),
    };
    let me = ctx.principal.as_ref();
    let organiser = can(me, ELECTION_ORGANISERS);
    let clerk = can(me, ELECTION_CLERKS);
    let preparing = e.status == ElectionStatus::Preparing;
    let locked = e.locked();
    let rs = election::Ruleset::default();
    let day = e.day();
    let by = |n: i64| day.map(|d| (d - time::Duration::days(n)).to_string()).unwrap_or_default();
    let parsed: Option<serde_json::Value> = result.as_ref().and_then(|r| serde_json::from_str(&r.outcome).ok());
    let body = html! {
        h1 { (community.name) " " (ctx.t("居委会换届选举", "residents' committee election")) (example(&ctx, &e)) }
        p { span.tag #election-status { (status_name(&ctx, e.status)) } " " span.tag #election-mode { (mode_name(&ctx, e.mode)) } " " span.muted { (ctx.t("省级规则", "Provincial rules")) ": " (ctx.lang.msg(&rs.status())) } }
        h2 { (ctx.t("选举日程", "Calendar")) }
        div.table-wrap { table #calendar {
            tbody {
                tr { th { (ctx.t("选举日", "Election day")) } td { (e.election_day) } td {} }
                tr { th { (ctx.t("选民名单公布", "Voter roll published")) } td { (e.roll_published.clone().unwrap_or_else(|| ctx.t("未公布", "not yet").into())) } td.muted { (ctx.t("最迟", "by")) " " (by(rs.voter_list_days_before)) (ctx.t("（选举日前二十日，规则2.3）", " (20 days before, rule 2.3)")) } }
                tr { th { (ctx.t("正式候选人公布", "Candidates published")) } td { (e.candidates_published.clone().unwrap_or_else(|| ctx.t("未公布", "not yet").into())) } td.muted { (ctx.t("最迟", "by")) " " (by(rs.candidate_list_days_before)) (ctx.t("（选举日前五日，规则2.9）", " (5 days before, rule 2.9)")) } }
            }
        } }
        @if !preparing {
        } @else if locked.is_empty() {
            p #polling-open { span.tag { (ctx.t("投票与计票已开放", "Polling and the count are open")) } }
        } @else {
            div.card #locked {
                strong { (ctx.t("投票与计票尚未开放：", "Polling and the count are locked:")) }
                ul { @for m in &locked { li { (ctx.lang.msg(m)) } } }
            }
        }
        h2 { (ctx.t("选民名单", "Voter roll")) }
        p { (ctx.t("登记选民", "Registered voters")) " " strong #voter-count { (voters) } " · " a href={"/elections/" (e.id) "/roll"} { (ctx.t("查看公布的名单", "See the published roll")) } }
        @if organiser && preparing && e.roll_published.is_none() {
            form.stack #publish-roll method="post" action={"/elections/" (e.id) "/roll"} {
                (ctx.csrf_field())
                p.muted { (ctx.t("从居民登记中生成：选举日年满十八周岁（以身份证号码计算）、户籍在本社区者；每人每届只在一个社区登记。",
                                 "Built from the registry: 18 or over on election day (from the ID number), 户籍 here; one registration per person per cycle.")) }
                @if e.mode == el::ElectionMode::GroupRepresentatives {
                    label for="representatives" { (ctx.t("各居民小组推选的代表（每行一组，如：第一居民小组：张三、李四）", "Each residents' group's representatives (a line per group, e.g. 第一居民小组：张三、李四)")) }
                    textarea #representatives name="representatives" rows="4" required {}
                } @else if e.mode == el::ElectionMode::HouseholdRepresentatives {
                    p.muted { (ctx.t("户代表选举：每户一人，取本户在居民登记中第一位有选举权的成员。", "Household representatives: one per household, the household's first member in the registry who may vote.")) }
                }
                label for="roll_published_on" { (ctx.t("公布日期（默认今天）", "Published on (default today)")) }
                input #roll_published_on name="published_on" type="date";
                p { button type="submit" { (ctx.t("生成并公布选民名单", "Build and publish the roll")) } }
            }
        }
        (objections::section(&ctx, &e, &roll_notes))
        h2 { (ctx.t("职务与正式候选人", "Posts and formal candidates")) }
        div.table-wrap { table #candidates {
            thead { tr { th { (ctx.t("职务", "Post")) } th { (ctx.t("应选", "Seats")) } th { (ctx.t("正式候选人", "Formal candidates")) } } }
            tbody { @for p in &posts { tr {
                td { (p.post) } td { (p.seats) }
                td { @for c in cands.iter().filter(|c| c.post == p.post) { span.tag { (c.name) } " " } }
            } } }
        } }
        @if organiser && preparing && e.candidates_published.is_none() {
            form.stack #set-candidates method="post" action={"/elections/" (e.id) "/candidates"} {
                (ctx.csrf_field())
                p.muted { (ctx.t("差额选举：主任、副主任候选人比应选多一人，委员多一至三人（规则2.8）。公布后不得调整（规则2.9）。",
                                 "Contested: one more candidate than seats for 主任 and 副主任, one to three more for 委员 (rule 2.8). Fixed once published (rule 2.9).")) }
                label for="cand_published_on" { (ctx.t("公布日期（默认今天）", "Published on (default today)")) }
                input #cand_published_on name="published_on" type="date";
                @for (post, field) in POSTS {
                    @if posts.iter().any(|p| p.post == post.zh()) {
                        label for={"cand_" (field)} { (post.zh()) " " (ctx.t("（每行一人）", "(one a line)")) }
                        textarea id={"cand_" (field)} name=(field) rows="3" {}
                    }
                }
                label for="cand_elsewhere" { (ctx.t("其中不在本社区居住的候选人（如聘用的社区工作者，每行一人）", "Of these, those who do not live in the community (e.g. hired community workers; one a line)")) }
                textarea #cand_elsewhere name="elsewhere" rows="2" {}
                p.muted { (ctx.t("当选成员中不在本社区居住的不得超过三分之一（规则2.21），产生新一届居委会时核对。", "Members who do not live here may be at most a third (rule 2.21), checked when the committee is seated.")) }
                p { button type="submit" { (ctx.t("公布正式候选人", "Publish the candidates")) } }
            }
        }
        (nomination::section(&ctx, &e, &posts, &noms, organiser))
        (polling::section(&ctx, &e, &poll, organiser, clerk))
        h2 { (ctx.t("票箱与计票单", "Ballot boxes and tally sheets")) }
        div.table-wrap { table #boxes {
            thead { tr { th { (ctx.t("票箱", "Box")) } th { (ctx.t("发出", "Issued")) } th { (ctx.t("收回", "Returned")) } th { (ctx.t("录入", "Entered")) } } }
            tbody { @for b in &boxes { tr {
                td { (b.name) @if b.kind == el::BoxKind::Mobile { " " span.tag { (ctx.t("流动票箱", "mobile")) } } }
                td { (b.issued) } td { (b.returned) @if b.returned > b.issued { " " span.tag.warn { (ctx.t("多于发出", "over issued")) } } }
                td.muted { (super::when(&b.entered_at)) }
            } } }
        } }
        @if preparing && locked.is_empty() {
            @if clerk { p { a #enter-sheet href={"/elections/" (e.id) "/sheet"} { (ctx.t("录入一个票箱的计票单", "Enter a box's tally sheet")) } } }
            @if organiser && !boxes.is_empty() {
                form #count method="post" action={"/elections/" (e.id) "/count"} {
                    (ctx.csrf_field())
                    p.muted { (ctx.t("所有票箱集中到主会场开箱后计票（规则2.12）；计票后不能再录入计票单。", "All boxes are opened together at the main venue (rule 2.12); no sheet can be entered after the count.")) }
                    button type="submit" { (ctx.t("计票", "Count the round")) }
                }
            }
        }
        @if let (Some(r), Some(o)) = (&result, &parsed) {
            h2 #result { (ctx.t("选举结果", "Result")) }
            p { (ctx.t("登记选民", "Registered")) " " (r.registered_voters) " · " (ctx.t("发出选票", "issued")) " " (r.ballots_issued) " · " (ctx.t("收回选票", "returned")) " " (r.ballots_returned) " · "
                @if r.round_valid == 1 { span.tag #round-valid { (ctx.t("选举有效", "the round is valid")) } }
                @else { span.tag.warn #round-invalid { (invalid_reason(&ctx, o["reason"].as_str())) } } }
            @for p in &posts {
                @let po = &o["posts"][&p.post];
                h3 { (p.post) " · " (ctx.t("应选", "seats")) " " (p.seats) " · " (ctx.t("有效票", "valid")) " " (po["valid_ballots"]) " · " (ctx.t("无效票", "invalid")) " " (po["invalid_ballots"]) }
                div.table-wrap { table.result {
                    thead { tr { th { (ctx.t("姓名", "Name")) } th { (ctx.t("得票", "Votes")) } th {} } }
                    tbody { @for (name, v) in sorted_votes(po) { tr {
                        td { (name) } td { (v) }
                        td { @if contains(&po["elected"], &name) { span.tag { (ctx.t("当选", "elected")) } } @else if contains(&po["runoff"], &name) { span.tag.warn { (ctx.t("票数相等，须再投票", "tie: run-off")) } } }
                    } } }
                } }
                @if po["unfilled"].as_u64().unwrap_or(0) > 0 { p.muted { (ctx.t("未选足名额：", "Seats unfilled: ")) (po["unfilled"]) (ctx.t("名，须另行选举（规则2.18）", " — a further round is needed (rule 2.18)")) } }
            }
            @if let Some(at) = &r.seated_at {
                p #seated { (ctx.t("新一届居委会已据此结果产生", "The new committee was seated from this result")) " · " (super::when(at)) " · " a href={"/communities/" (e.community_code)} { (ctx.t("查看社区页面", "See the community page")) } }
            } @else if organiser && e.status == ElectionStatus::Counted && later.next == Some(election::rounds::Next::Complete) {
                form #seat method="post" action={"/elections/" (e.id) "/seat"} {
                    (ctx.csrf_field())
                    p.muted { (ctx.t("名额全部选足后，据结果产生新一届居委会，任期五年（规则1.3）。", "Once every seat is filled, seat the new committee from the result; the term is five years (rule 1.3).")) }
                    button type="submit" { (ctx.t("产生新一届居委会", "Seat the new committee")) }
                }
            }
        }
        (rounds::section(&ctx, &e, &later))
    };
    page(&ctx, ctx.t("居委会选举", "Election"), body)
}

fn invalid_reason(ctx: &Ctx, reason: Option<&str>) -> &'static str {
    match reason {
        Some("more_ballots_returned_than_issued") => ctx.t(
            "收回选票多于发出选票，本轮选举无效（规则2.15）",
            "more ballots returned than issued: the round is invalid (rule 2.15)",
        ),
        _ => ctx.t(
            "参加投票的选民未过半数，本轮选举无效（规则2.14）",
            "not more than half the voters took part: the round is invalid (rule 2.14)",
        ),
    }
}

fn sorted_votes(po: &serde_json::Value) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = po["votes"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect())
        .unwrap_or_default();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

fn contains(list: &serde_json::Value, name: &str) -> bool {
    list.as_array().is_some_and(|a| a.iter().any(|n| n.as_str() == Some(name)))
}
