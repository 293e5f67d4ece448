//! Public pages: the city home, each community, the functions register.

use super::{Ctx, error_page, from_source, illustrative_if, page};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Response {
    let (districts, communities, counts) = match tokio::try_join!(
        store::structure::districts(&state.db),
        store::structure::communities(&state.db, None),
        store::structure::resident_counts(&state.db)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let total: i64 = counts.values().sum();
    let body = html! {
        h1 { (ctx.t("铜陵市 · 区直管社区", "Tongling · districts govern big communities directly")) }
        // rules §4: the urban districts (铜官山区 6, 狮子山区 4) abolished 10 street offices; 郊区 kept its own (桥南街道).
        p.muted #reform { (ctx.t("2010—2011年，铜陵城区（原铜官山区、狮子山区）撤销10个街道办事处，组建以社区党工委为核心、社区居委会和社区公共服务中心为支撑的“大社区”，城区由“市—区—街道—社区”四级变为“市—区—社区”三级管理；郊区仍设街道（如桥南街道）。",
                         "In 2010–2011 Tongling's urban districts (the former 铜官山区 and 狮子山区) abolished 10 street offices and formed big communities, each with a party working committee, a residents' committee and a public service center: the urban area went from four levels to three (city → district → community); 郊区 still has street offices (such as 桥南街道).")) " " (from_source(&ctx)) }
        p.muted #hotline { (ctx.t("“2881890”社区服务热线（0562-2881890），市场化与公益性结合，已解决求助事项10万多件。", "The 2881890 community service hotline (0562-2881890), market and public-welfare services combined, has solved more than 100,000 requests.")) " " (from_source(&ctx)) }
        div.grid {
            div.card { div.muted { (ctx.t("大社区", "Big communities")) } div.stat { (communities.len()) } }
            div.card { div.muted { (ctx.t("登记居民", "Registered residents")) } div.stat { (total) } }
            div.card { div.muted { (ctx.t("区县（现行）", "Districts in force")) } div.stat { (districts.iter().filter(|d| d.valid_to.is_none()).count()) } }
        }
        h2 { (ctx.t("社区公共服务中心", "Community public service centers")) }
        div.table-wrap { table {
            thead { tr { th { (ctx.t("社区", "Community")) } th { (ctx.t("代码", "Code")) } th { (ctx.t("所属区", "District")) } th { (ctx.t("服务中心地址", "Service center")) } th { (ctx.t("电话", "Phone")) } th { (ctx.t("居民", "Residents")) } } }
            tbody { @for c in &communities {
                tr {
                    td { a href={"/communities/" (c.code)} { (c.name) } (illustrative_if(&ctx, c.illustrative == 1)) }
                    td { (c.code) (illustrative_if(&ctx, c.code_illustrative == 1)) }
                    td { (districts.iter().find(|d| d.code == c.district_code).map(|d| ctx.t(&d.name, &d.name_en).to_string()).unwrap_or_default()) }
                    td { (c.center_address) (illustrative_if(&ctx, c.details_illustrative == 1)) br; span.muted { (c.center_hours) } }
                    td { (c.center_phone) (illustrative_if(&ctx, c.details_illustrative == 1)) }
                    td { (counts.get(&c.code).copied().unwrap_or(0)) }
                }
            } }
        } }
        h2 { (ctx.t("区县沿革（GB/T 2260）", "Districts and their history (GB/T 2260)")) }
        div.table-wrap { table {
            thead { tr { th { (ctx.t("代码", "Code")) } th { (ctx.t("名称", "Name")) } th { (ctx.t("起", "From")) } th { (ctx.t("止", "To")) } th { (ctx.t("并入", "Merged into")) } } }
            tbody { @for d in &districts { tr {
                td { (d.code) } td { (ctx.t(&d.name, &d.name_en)) } td { (d.valid_from.clone().unwrap_or_default()) } td { (d.valid_to.clone().unwrap_or_default()) } td { (d.successor.clone().unwrap_or_default()) }
            } } }
        } }
    };
    page(&ctx, ctx.t("首页", "Home"), body)
}

pub async fn community(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Response {
    let c = match store::structure::community(&state.db, &code).await {
        Ok(c) => c,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let (bodies, groups, units, burden, districts) = match tokio::try_join!(
        store::structure::bodies(&state.db, &code),
        store::structure::groups(&state.db, &code),
        store::structure::unit_count(&state.db, &code),
        store::lists::burden_over_time(&state.db, Some(&code), None),
        store::structure::districts(&state.db)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let kind_name = |k: &str| match k {
        "party_committee" => ctx.t("社区党工委", "Party working committee"),
        "residents_committee" => ctx.t("社区居民委员会", "Residents' committee"),
        _ => ctx.t("社区公共服务中心", "Public service center"),
    };
    // How to ask, the items taken and the chosen projects (issue 14), in a module of their own.
    let more = match super::community_public::sections(&state, &ctx, &c.code, &c.center_hours).await {
        Ok(m) => m,
        Err(e) => return error_page(&ctx, e),
    };
    let can_see_elections = ctx.principal.as_ref().is_some_and(|p| {
        crate::policy::ELECTION_ORGANISERS.contains(&p.role) && p.can_reach(&c.code, &c.district_code)
    });
    let body = html! {
        h1 { (c.name) (illustrative_if(&ctx, c.illustrative == 1)) " " span.muted { (c.code) } (illustrative_if(&ctx, c.code_illustrative == 1)) }
        @if c.illustrative == 1 { p.muted { (ctx.t("此社区名称为演示重建，非官方名录。", "This community's name is reconstructed for the demo, not from an official roster.")) } }
        div.card #center {
            strong { (ctx.t("社区公共服务中心", "Public service center")) } " — " (c.center_address) (illustrative_if(&ctx, c.details_illustrative == 1)) br;
            (ctx.t("电话", "Phone")) (ctx.t("：", ": ")) (c.center_phone) " · " (c.center_hours) (illustrative_if(&ctx, c.details_illustrative == 1)) br;
            span.muted { (ctx.t("成立于", "Formed")) " " (c.formed_on) (illustrative_if(&ctx, c.details_illustrative == 1))
                @if let Some(d) = districts.iter().find(|d| Some(&d.code) == c.former_district_code.as_ref()) { " · " (ctx.t("原属", "formerly in")) " " (ctx.t(&d.name, &d.name_en)) } }
        }
        div.grid {
            @for (b, members) in &bodies {
                div.card {
                    h2 style="margin-top:0" { (kind_name(&b.kind)) }
                    div.muted { (b.name) }
                    @if let (Some(s), Some(e)) = (&b.term_start, &b.term_end) { div.muted { (ctx.t("任期", "Term")) " " (s) " — " (e) } }
                    ul { @for m in members { li { (m.name) " · " (m.post) } } }
                }
            }
        }
        (more)
        h2 { (ctx.t("居民小组", "Residents' groups")) " (" (groups.len()) ")" }
        p { @for g in &groups { span.tag { (g.name) } " " } }
        p.muted { (ctx.t("驻区单位", "Resident units")) ": " (units) }
        h2 { (ctx.t("社区负担（减负）", "The community's load")) }
        (super::chart::bars(ctx.t("每月下派到本社区的事项", "Work pushed onto this community per month"),
            &burden.months.iter().map(|(m, a, u)| (m.clone(), *a, *u)).collect::<Vec<_>>(),
            (ctx.t("经审批", "approved"), ctx.t("未经审批", "without approval"))))
        (super::chart::bars(ctx.t("在办事项按类型", "Tasks in force by type"),
            &burden.in_force_by_type.iter().map(|(t, n)| (t.clone(), *n, 0)).collect::<Vec<_>>(),
            (ctx.t("在办", "in force"), "")))
        p { a href={"/communities/" (c.code) "/record"} { (ctx.t("议事公开：居民会议、议事会及表决结果", "Public record: residents' meetings, council and votes")) } }
        p { a href={"/communities/" (c.code) "/election"} { (ctx.t("居委会换届选举结果", "The committee's election result")) } }
        p { a href={"/communities/" (c.code) "/finance"} { (ctx.t("居务公开：社区收支情况", "Public accounts: the community's income and expenditure")) } }
        @if can_see_elections {
            p { a href="/elections" { (ctx.t("居委会成员由换届选举产生，撤换和补选须依居民会议决定（居组法第十条）：办理换届选举", "The committee is elected; removal and by-election go through a residents' meeting (Organic Law Art 10): elections")) } }
        }
    };
    page(&ctx, &c.name, body)
}

pub async fn functions(State(state): State<AppState>, ctx: Ctx) -> Response {
    let fs = match store::structure::functions(&state.db).await {
        Ok(f) => f,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let section = |dir: &str, title: &str| {
        html! {
            h2 { (title) }
            div.table-wrap { table {
                thead { tr { th { (ctx.t("职能", "Function")) } th { (ctx.t("承接", "Now with")) } th { (ctx.t("生效", "Effective")) } th { (ctx.t("依据", "Source")) } } }
                tbody { @for f in fs.iter().filter(|f| f.direction == dir) { tr {
                    td { (ctx.t(&f.name, &f.name_en)) } td { (f.receiver) (illustrative_if(&ctx, f.illustrative == 1)) }
                    td { (f.effective_on) (illustrative_if(&ctx, f.illustrative == 1)) } td.muted { (f.source) }
                } } }
            } }
        }
    };
    let body = html! {
        h1 { (ctx.t("原街道办事处职能去向", "Where the street offices' functions went")) }
        p.muted { (ctx.t("原街道党工委及群团、武装等职能和公共管理、服务、部分审核审批职能下放到社区；经济、城管执法、司法行政等职能收归区直职能部门。",
                         "Party, mass-organisation and militia work and public management, services and some reviews went down to the communities; economic affairs, urban-management enforcement and judicial administration went up to district departments.")) }
        (section("down", ctx.t("下放到社区", "Down to the communities")))
        (section("up", ctx.t("收归区直部门", "Up to district departments")))
    };
    page(&ctx, ctx.t("职能清单", "Functions"), body)
}
