//! The seed's figures live, for the city dashboard (issue 14): each figure the
//! source quotes for 2014, marked 据原文, beside ours computed from the rows
//! now, with its definition and a link to the rows behind it; then ours per
//! district as charts, and the hotline's solved requests per year.

use super::{Ctx, chart, from_source};
use crate::AppState;
use crate::error::ApiError;
use ledger::Yuan;
use maud::{Markup, html};
use store::figures::{self as fig, DistrictFigures};

/// One measure: its name, the source's figure, ours, the definition, and where the rows are.
struct Measure<'a> {
    name: &'a str,
    source: &'a str,
    ours: String,
    definition: &'a str,
    rows: Option<(&'a str, &'a str)>,
}

pub async fn section(state: &AppState, ctx: &Ctx) -> Result<Markup, ApiError> {
    let today = store::clock::today();
    let (districts, by_year, party, votes) = tokio::try_join!(
        fig::by_district(&state.db),
        fig::hotline_solved_by_year(&state.db),
        store::party::figures(&state.db, None, today),
        fig::elections_by_district(&state.db)
    )?;
    let c = fig::city(&districts);
    let city_votes = city_elections(&votes);
    let p = store::party::total(&party, "");
    // The source's district figures are 铜官山区's; its area is today's 铜官区 (340705, with the former 狮子山区).
    let tg = districts.iter().find(|d| d.district_code == "340705").cloned().unwrap_or_default();
    let yuan = |fen: i64| format!("{}{}", Yuan(fen), ctx.t("元", " yuan"));
    let measures = [
        Measure {
            name: ctx.t("社区公共服务中心覆盖", "Communities with a public service center"),
            source: ctx.t("2014年城市社区服务中心全覆盖", "2014: every urban community has one"),
            ours: format!("{}/{} ({}%)", c.with_center, c.communities, c.coverage_percent()),
            definition: ctx.t(
                "登记了服务中心地址的大社区 ÷ 全部大社区",
                "big communities with a center address on record ÷ all big communities",
            ),
            rows: Some(("/", ctx.t("各社区服务中心", "the centers"))),
        },
        Measure {
            name: ctx.t("“2881890”热线已解决求助", "Hotline requests solved"),
            source: ctx.t("已解决求助事项10万多件", "more than 100,000 solved"),
            ours: format!("{}{}", c.hotline_solved, ctx.t("件", "")),
            definition: ctx.t(
                "热线受理、已办结（含回访中、已结案）的案件",
                "cases taken by the hotline and resolved (in callback or closed included)",
            ),
            rows: Some(("/service/league", ctx.t("服务统计", "service figures"))),
        },
        Measure {
            name: ctx.t("居委会换届直接选举率", "Committee elections held directly"),
            source: ctx.t("2013年以来直接选举率达100%", "100% since 2013"),
            // Rule 2.23's rate, the same as the elections table below says.
            ours: city_votes
                .direct_rate()
                .map(|x| format!("{x}% ({}/{})", city_votes.last_direct, city_votes.communities))
                .unwrap_or_else(|| "—".into()),
            definition: ctx.t(
                "最近一次换届由全体选民直接选举的社区 ÷ 全部社区（规则2.23）",
                "communities whose last election was by all voters ÷ all communities (rule 2.23)",
            ),
            rows: Some(("#election-figures", ctx.t("各区选举数据", "elections per district"))),
        },
        Measure {
            name: ctx.t("驻区单位到社区党工委任职", "Units holding a seat on a community party committee"),
            source: ctx.t("126家", "126 units"),
            ours: format!("{}{}", p.units_seated, ctx.t("家", "")),
            definition: ctx
                .t("今日在社区党工委有兼职席位的单位（不重复计）", "units holding a part-time seat today (each once)"),
            rows: Some(("/party/figures", ctx.t("共驻共建数据", "co-building figures"))),
        },
        Measure {
            name: ctx.t("签订共驻共建协议", "Co-building agreements signed"),
            source: ctx.t("358家单位", "358 units"),
            ours: format!("{}{}", p.agreements_signed, ctx.t("份", "")),
            definition: ctx.t("截至今日签订的协议份数", "agreements signed up to today"),
            rows: Some(("/party/figures", ctx.t("共驻共建数据", "co-building figures"))),
        },
        Measure {
            name: ctx
                .t("居民评选的社区服务项目（铜官山区，今铜官区）", "Resident-chosen projects (铜官山区, now 铜官区)"),
            source: ctx.t("评选出14个精品项目，投入83万元", "14 projects chosen, 830,000 yuan"),
            ours: format!("{}{} · {}", tg.projects, ctx.t("个", " projects"), yuan(tg.project_fen)),
            definition: ctx.t(
                "居民投票选中并立项（有预算科目）的项目及其预算",
                "projects chosen by the residents' vote with a budget line, and their budgets",
            ),
            rows: None,
        },
        Measure {
            name: ctx.t("政府购买服务（铜官山区，今铜官区）", "Services purchased (铜官山区, now 铜官区)"),
            source: ctx.t(
                "医疗卫生服务1726万元、居家养老服务149.65万元",
                "17.26 million yuan of health care, 1.4965 million of home care",
            ),
            ours: format!("{}{} · {}", tg.purchases, ctx.t("笔", " payments"), yuan(tg.purchase_fen)),
            definition: ctx.t(
                "购买服务项目已付的每一笔款项（含购买服务经费中已支付的报账）",
                "each payment of a purchase project (and paid claims from the service-purchase fund)",
            ),
            rows: None,
        },
    ];
    let rows = |f: &dyn Fn(&DistrictFigures) -> (i64, i64)| -> Vec<(String, i64, i64)> {
        districts
            .iter()
            .map(|d| {
                let (a, b) = f(d);
                (d.district_name.clone(), a, b)
            })
            .collect()
    };
    Ok(html! {
        section #seed-figures {
            h2 { (ctx.t("改革成效：原文数字与实时数字", "The reform's figures: the source's and ours, live")) }
            p.muted { (ctx.t("左列引自改革报道原文（2014年，全市或铜官山区）；右列由本系统数据实时计算，口径见“定义”。演示数据规模小，两者不可直接比较。",
                             "The left column quotes the account of the reform (2014, the city or 铜官山区); the right is computed live from this system's rows, by the definition given. The demo is small: the two do not compare directly.")) }
            p.no-print { a href="/open-data#district-figures" { (ctx.t("下载这些数字（开放数据：CSV、JSON、Excel）", "Download these figures (open data: CSV, JSON, Excel)")) } }
            div.table-wrap { table #seed-table {
                thead { tr { th { (ctx.t("指标", "Measure")) } th { (ctx.t("原文（2014年）", "Source (2014)")) } th { (ctx.t("本系统（实时）", "Ours (live)")) } th { (ctx.t("定义", "Definition")) } } }
                tbody { @for m in &measures { tr {
                    td { (m.name) }
                    td { (m.source) " " (from_source(ctx)) }
                    td.ours { strong { (m.ours) } @if let Some((href, words)) = m.rows { br; a href=(href) { (words) } } }
                    td.muted { (m.definition) }
                } } }
            } }
            (chart::bars(ctx.t("各区：有服务中心的社区 / 尚无", "Per district: communities with a center / without"),
                &rows(&|d| (d.with_center, d.communities - d.with_center)), (ctx.t("有", "with"), ctx.t("无", "without"))))
            (chart::bars(ctx.t("各区：热线已解决求助", "Per district: hotline requests solved"),
                &rows(&|d| (d.hotline_solved, 0)), (ctx.t("已解决", "solved"), "")))
            (chart::bars(ctx.t("热线已解决求助，按受理年份", "Hotline requests solved, by year taken"),
                &by_year.iter().map(|(y, n)| (format!("{y}{}", ctx.t("年", "")), *n, 0)).collect::<Vec<_>>(), (ctx.t("已解决", "solved"), "")))
            (chart::bars(ctx.t("各区：居民评选项目（个）", "Per district: resident-chosen projects"),
                &rows(&|d| (d.projects, 0)), (ctx.t("项目", "projects"), "")))
        }
        (election_section(ctx, &votes))
    })
}

/// Residents' committee elections per district (issue 15): the direct-election rate of rule 2.23 (the
/// seed's 100% since 2013 beside it, 据原文), turnout (§2.14) and the share of contested posts (§2.8).
fn election_section(ctx: &Ctx, rows: &[fig::ElectionFigures]) -> Markup {
    let pct = |x: Option<i64>| x.map(|v| format!("{v}%")).unwrap_or_else(|| "—".into());
    let city = city_elections(rows);
    html! {
        section #election-figures {
            h2 { (ctx.t("居委会换届选举", "Residents' committee elections")) }
            p { (ctx.t("原文：2013年起全市居委会全部由居民直接选举产生（直选率100%）", "Source: since 2013 every residents' committee is elected directly by all voters (100%)")) " " (from_source(ctx)) }
            p.muted { (ctx.t("直选率 = 最近一次换届由全体选民直接选举的社区 ÷ 全部社区（规则2.23）；投票率 = 首轮收回选票 ÷ 登记选民；差额岗位 = 正式候选人多于应选名额的职务。",
                             "Direct-election rate = communities whose last election was by all voters ÷ all communities (rule 2.23); turnout = first-round ballots returned ÷ voters registered; contested = posts with more formal candidates than seats.")) }
            div.table-wrap { table #election-table {
                thead { tr { th { (ctx.t("区", "District")) } th { (ctx.t("直选率", "Direct rate")) } th { (ctx.t("投票率", "Turnout")) } th { (ctx.t("差额岗位占比", "Contested posts")) } } }
                tbody {
                    @for r in rows { tr { td { (r.name) } td { (pct(r.direct_rate())) " (" (r.last_direct) "/" (r.communities) ")" } td { (pct(r.turnout())) } td { (pct(r.contested())) } } }
                    tr { td { strong { (ctx.t("全市", "City")) } } td.ours { strong { (pct(city.direct_rate())) } " (" (city.last_direct) "/" (city.communities) ")" } td { (pct(city.turnout())) } td { (pct(city.contested())) } }
                }
            } }
        }
    }
}

/// The districts' election figures summed for the city.
fn city_elections(rows: &[fig::ElectionFigures]) -> fig::ElectionFigures {
    let mut city = fig::ElectionFigures::default();
    for r in rows {
        city.communities += r.communities;
        city.last_direct += r.last_direct;
        city.with_election += r.with_election;
        city.registered += r.registered;
        city.returned += r.returned;
        city.posts += r.posts;
        city.contested_posts += r.contested_posts;
    }
    city
}
