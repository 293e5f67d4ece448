//! Polling on the election's page (rules §2.11–§2.13): the stations and
//! mobile boxes with their staff counts, the tellers, the approved proxies
//! (the public list is its own page, names only), the forms that add each —
//! shown only while the calendar leaves polling open — and the links to the
//! printable ballots and tally sheets.

use super::{Ctx, done, example};
use crate::AppState;
use crate::actions::election_polling as actions;
use crate::error::ApiError;
use crate::http::form_pairs;
use crate::pages::{error_page, page};
use crate::scope::load;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use store::elections::polling::{self as pol, Duty, ProxyLine, Station, Teller};
use store::elections::{BoxKind, Election, ElectionStatus};

/// What the page shows of polling.
pub struct PollingView {
    pub stations: Vec<Station>,
    pub tellers: Vec<Teller>,
    pub proxies: Vec<ProxyLine>,
}

pub async fn view(state: &AppState, id: i64) -> Result<PollingView, ApiError> {
    let (stations, tellers, proxies) =
        tokio::try_join!(pol::stations(&state.db, id), pol::tellers(&state.db, id), pol::proxies(&state.db, id))?;
    Ok(PollingView { stations, tellers, proxies })
}

pub(crate) fn duty_name(ctx: &Ctx, d: Duty) -> &'static str {
    match d {
        Duty::Scrutineer => ctx.t("监票人", "scrutineer"),
        Duty::Counter => ctx.t("计票人", "counter"),
        Duty::Caller => ctx.t("唱票人", "caller"),
    }
}

pub(super) fn section(ctx: &Ctx, e: &Election, v: &PollingView, organiser: bool, clerk: bool) -> Markup {
    let open = e.status == ElectionStatus::Preparing && e.locked().is_empty();
    let rs = election::Ruleset::default();
    html! {
        h2 #polling { (ctx.t("投票组织", "Polling")) }
        @if clerk && e.candidates_published.is_some() {
            p.no-print { a #print-ballots href={"/elections/" (e.id) "/ballots"} { (ctx.t("打印选票", "Print the ballots")) } " · "
                a #print-sheets href={"/elections/" (e.id) "/tally-sheets"} { (ctx.t("打印计票单", "Print the tally sheets")) } }
        }
        div.table-wrap { table #stations {
            thead { tr { th { (ctx.t("投票站 / 流动票箱", "Station / mobile box")) } th { (ctx.t("工作人员", "Staff")) } th { (ctx.t("登记使用的选民", "Voters flagged")) } } }
            tbody { @for s in &v.stations { tr {
                td { (s.name) @if s.kind == BoxKind::Mobile { " " span.tag { (ctx.t("流动票箱", "mobile")) } } }
                td { (s.staff) (ctx.t("名", "")) }
                td { @if s.kind == BoxKind::Mobile { (s.voters) (ctx.t("名", "")) } }
            } } }
        } }
        p { (ctx.t("监票、计票、唱票人员", "Tellers")) "：" span #tellers {
            @for t in &v.tellers { span.tag { (t.name) " · " (duty_name(ctx, t.duty)) } " " }
            @if v.tellers.is_empty() { span.muted { (ctx.t("尚未确定", "none named")) } }
        } }
        p { (ctx.t("委托投票", "Proxies")) " " strong #proxy-count { (v.proxies.len()) } " · "
            a href={"/elections/" (e.id) "/proxies"} { (ctx.t("委托投票公示名单", "The published proxy list")) } }
        @if organiser && open {
            form.stack #add-proxy method="post" action={"/elections/" (e.id) "/proxies"} {
                (ctx.csrf_field())
                p.muted { (ctx.t("委托投票须有书面委托，经选举委员会在选举日前同意，受托人须是本社区选民；每一选民接受委托不得超过", "A proxy needs a written authorisation approved by the election committee before election day; the proxy is a voter here and holds at most "))
                    (rs.max_proxies_per_voter) (ctx.t("人（规则2.11）。", " authorisations (rule 2.11).")) }
                label for="principal" { (ctx.t("委托人（与选民名单一致）", "Principal (as on the roll)")) }
                input #principal name="principal" type="text" required;
                label for="proxy" { (ctx.t("受托人（与选民名单一致）", "Proxy (as on the roll)")) }
                input #proxy name="proxy" type="text" required;
                label for="written_on" { (ctx.t("书面委托书日期", "Date of the written authorisation")) }
                input #written_on name="written_on" type="date";
                label for="approved_on" { (ctx.t("选举委员会同意日期（默认今天）", "Approved by the committee on (default today)")) }
                input #approved_on name="approved_on" type="date";
                label { input name="close_relatives" type="checkbox" value="true"; " " (ctx.t("委托人与受托人为近亲属", "the two are close relatives")) }
                p { button type="submit" { (ctx.t("登记委托", "Record the proxy")) } }
            }
            form.stack #add-station method="post" action={"/elections/" (e.id) "/stations"} {
                (ctx.csrf_field())
                p.muted { (ctx.t("每个投票站或流动票箱须有", "Each station or mobile box has at least ")) (rs.min_box_staff)
                    (ctx.t("名以上工作人员；流动票箱只供因病、年老或残疾不能到场的选民使用，票箱集中到主会场开箱计票（规则2.12）。", " staff; a mobile box serves only voters who cannot come through illness, age or disability, and every box is opened at the main venue (rule 2.12).")) }
                label for="station_name" { (ctx.t("名称", "Name")) }
                input #station_name name="name" type="text" required;
                label for="station_kind" { (ctx.t("类型", "Kind")) }
                select #station_kind name="kind" { option value="station" { (ctx.t("投票站", "polling station")) } option value="mobile" { (ctx.t("流动票箱", "mobile box")) } }
                label for="station_staff" { (ctx.t("工作人员（每行一人）", "Staff (one a line)")) }
                textarea #station_staff name="staff" rows="3" {}
                p { button type="submit" { (ctx.t("登记", "Record")) } }
            }
            @if v.stations.iter().any(|s| s.kind == BoxKind::Mobile) {
                form.stack #flag-voter method="post" action={"/elections/" (e.id) "/mobile-voters"} {
                    (ctx.csrf_field())
                    label for="mobile_box" { (ctx.t("流动票箱", "Mobile box")) }
                    select #mobile_box name="box" { @for s in v.stations.iter().filter(|s| s.kind == BoxKind::Mobile) { option value=(s.name) { (s.name) } } }
                    label for="mobile_voter" { (ctx.t("选民（与选民名单一致）", "Voter (as on the roll)")) }
                    input #mobile_voter name="voter" type="text" required;
                    label for="mobile_reason" { (ctx.t("不能到场的原因", "Why they cannot come")) }
                    select #mobile_reason name="reason" {
                        option value="" { (ctx.t("请选择", "choose")) }
                        option value="ill" { (ctx.t("因病", "ill")) } option value="elderly" { (ctx.t("年老", "elderly")) } option value="disabled" { (ctx.t("残疾", "disabled")) }
                    }
                    p { button type="submit" { (ctx.t("登记使用流动票箱", "Flag for the mobile box")) } }
                }
            }
            @if e.candidates_published.is_some() {
                form.stack #add-teller method="post" action={"/elections/" (e.id) "/tellers"} {
                    (ctx.csrf_field())
                    p.muted { (ctx.t("候选人及其近亲属不得担任监票人、计票人、唱票人；本人申报的近亲属与候选人名单核对（规则2.13）。", "Candidates and their close relatives may not be tellers; the relatives the teller declares are checked against the candidates (rule 2.13).")) }
                    label for="teller_name" { (ctx.t("姓名", "Name")) }
                    input #teller_name name="name" type="text" required;
                    label for="teller_duty" { (ctx.t("职责", "Duty")) }
                    select #teller_duty name="duty" { @for d in [Duty::Scrutineer, Duty::Counter, Duty::Caller] { option value=(store::typed::Word::word(d)) { (duty_name(ctx, d)) } } }
                    label for="teller_relatives" { (ctx.t("本人申报的近亲属（每行一人，无则不填）", "Declared close relatives (one a line, none: leave empty)")) }
                    textarea #teller_relatives name="relatives" rows="2" {}
                    p { button type="submit" { (ctx.t("登记", "Record")) } }
                }
            }
        }
    }
}

async fn post_form<F, Fut, T>(state: AppState, ctx: Ctx, id: i64, body: String, act: F) -> Response
where
    F: FnOnce(AppState, crate::policy::Principal, T) -> Fut,
    Fut: std::future::Future<Output = Result<(), ApiError>>,
    T: serde::de::DeserializeOwned,
{
    let pairs = form_pairs(&body);
    let r = async {
        let me = ctx.me()?.clone();
        act(state, me, crate::pages::form::from_pairs(&pairs)?).await?;
        Ok(format!("/elections/{id}#polling"))
    }
    .await;
    done(&ctx, r)
}

pub async fn add_proxy(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    post_form(state, ctx, id, body, |s, me, cmd| async move { actions::add_proxy(&s, &me, id, cmd).await.map(|_| ()) })
        .await
}

pub async fn add_station(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    post_form(
        state,
        ctx,
        id,
        body,
        |s, me, cmd| async move { actions::add_station(&s, &me, id, cmd).await.map(|_| ()) },
    )
    .await
}

pub async fn flag_mobile_voter(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    post_form(state, ctx, id, body, |s, me, cmd| async move { actions::flag_mobile_voter(&s, &me, id, cmd).await })
        .await
}

pub async fn add_teller(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    post_form(state, ctx, id, body, |s, me, cmd| async move { actions::add_teller(&s, &me, id, cmd).await.map(|_| ()) })
        .await
}

/// §2.11: the published list of principals and their proxies — names only.
pub async fn proxies(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        let e = load::<Election>(&state, ctx.me()?, id).await?;
        let lines = pol::proxies(&state.db, id).await?;
        Ok::<_, ApiError>((e, lines))
    }
    .await;
    let (e, lines) = match r {
        Ok(x) => x,
        Err(err) => return error_page(&ctx, err),
    };
    let body = html! {
        h1 { (ctx.t("委托投票公示", "Proxy votes")) (example(&ctx, &e)) }
        p { a href={"/elections/" (e.id)} { (ctx.t("返回选举", "Back to the election")) } }
        p.muted { (ctx.t("经选举委员会同意的委托投票，公布委托人和受托人姓名（规则2.11）。", "Proxies approved by the election committee: the names of principals and proxies are published (rule 2.11).")) }
        div.table-wrap { table #proxy-list {
            thead { tr { th { (ctx.t("受托人", "Proxy")) } th { (ctx.t("委托人", "Principal")) } th { (ctx.t("同意日期", "Approved on")) } } }
            tbody { @for l in &lines { tr { td { (l.proxy) } td { (l.principal) } td { (l.approved_on) } } } }
        } }
        @if lines.is_empty() { p.muted { (ctx.t("暂无委托投票", "No proxies")) } }
    };
    page(&ctx, ctx.t("委托投票公示", "Proxy votes"), body)
}
