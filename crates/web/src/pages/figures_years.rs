//! The seed's figures over time (issue 14): for the city, one district or one community, each
//! measure of the dashboard per year — an SVG of small panels drawn on the server and the table
//! beside it, the source's 2014 figures (据原文) on a row of their own under our 2014. The rows are
//! the open-data table `community-figures-yearly` (`store::figures_yearly`), summed per place.

use super::{Ctx, chart, from_source, illustrative_if};
use crate::AppState;
use crate::error::ApiError;
use ledger::Yuan;
use maud::{Markup, html};
use store::figures_yearly::{YearRow, by_community_year, sum_by_year};

/// The year of the source's figures.
const SOURCE_YEAR: i32 = 2014;

fn pct(a: i64, of: i64) -> Option<i64> {
    (of > 0).then(|| a * 100 / of)
}

pub async fn section(state: &AppState, ctx: &Ctx, pick: &super::trends::Pick) -> Result<Markup, ApiError> {
    let (rows, invented) =
        tokio::try_join!(async { by_community_year(&state.db).await.map_err(ApiError::from) }, async {
            store::open_data::activity_invented(&state.db).await.map_err(ApiError::from)
        },)?;
    // The places: the city, each district, each community (names, never codes).
    let mut districts: Vec<(String, String)> =
        rows.iter().map(|r| (r.district_code.clone(), r.district_name.clone())).collect();
    districts.dedup();
    districts.sort();
    districts.dedup();
    let mut communities: Vec<(String, String)> =
        rows.iter().map(|r| (r.community_code.clone(), r.community_name.clone())).collect();
    communities.dedup();
    let want = pick.place.as_deref().unwrap_or("");
    let (place, years): (String, Vec<YearRow>) = if let Some((code, name)) = districts.iter().find(|d| d.0 == want) {
        (name.clone(), sum_by_year(&rows, |r| r.district_code == *code))
    } else if let Some((code, name)) = communities.iter().find(|c| c.0 == want) {
        (name.clone(), sum_by_year(&rows, |r| r.community_code == *code))
    } else {
        (ctx.t("全市", "The whole city").to_string(), sum_by_year(&rows, |_| true))
    };
    let picked = |code: &str| want == code;
    let yuan = |fen: i64| format!("{}{}", Yuan(fen), ctx.t("元", " yuan"));
    let labels: Vec<i32> = years.iter().map(|y| y.year).collect();
    let series = [
        (
            ctx.t("服务中心覆盖率", "Service center coverage"),
            years.iter().map(|y| pct(y.with_center, y.formed)).collect(),
            true,
        ),
        (
            ctx.t("热线已解决求助（当年）", "Hotline requests solved (in the year)"),
            years.iter().map(|y| Some(y.hotline_solved)).collect(),
            false,
        ),
        (
            ctx.t("直接选举率（当年换届）", "Direct elections (that year's)"),
            years.iter().map(|y| pct(y.direct_elections, y.elections)).collect(),
            true,
        ),
        (
            ctx.t("驻区单位任职（年末）", "Units seated (year's end)"),
            years.iter().map(|y| Some(y.units_seated)).collect(),
            false,
        ),
        (
            ctx.t("共驻共建协议（累计）", "Agreements signed (to date)"),
            years.iter().map(|y| Some(y.agreements_signed)).collect(),
            false,
        ),
        (
            ctx.t("居民评选项目（当年，个）", "Resident-chosen projects (in the year)"),
            years.iter().map(|y| Some(y.projects)).collect(),
            false,
        ),
        (
            ctx.t("项目预算（当年，元）", "Project budgets (in the year, yuan)"),
            years.iter().map(|y| Some(y.project_fen / 100)).collect(),
            false,
        ),
        (
            ctx.t("购买服务付款（当年，元）", "Services purchased (in the year, yuan)"),
            years.iter().map(|y| Some(y.purchase_fen / 100)).collect(),
            false,
        ),
    ]
    .map(|(name, values, percent)| chart::Series { name, values, percent });
    let title = format!("{place}{}", ctx.t("：改革成效按年", ": the reform's figures by year"));
    Ok(html! {
        section #over-years {
            h2 { (ctx.t("改革成效按年：全市、各区、各社区", "The reform's figures by year: city, district, community")) (illustrative_if(ctx, invented)) }
            p.muted { (ctx.t("存量（服务中心、驻区单位任职、共驻共建协议）为当年末的数（本年为今日），流量（热线已解决求助、换届选举、居民评选项目、购买服务付款）为当年发生的数；区与全市为各社区之和。原文数字为2014年全市（项目与购买服务为铜官山区，今铜官区）的，附在本系统2014年一行之下。",
                             "Stocks (centers, units seated, agreements) are as of the year's last day (today for this year); flows (hotline requests solved, elections, resident-chosen projects, purchase payments) as they happened in the year; districts and the city are the sums of their communities. The source's figures are the city's for 2014 (projects and purchases: 铜官山区, now 铜官区), on a row under our 2014.")) }
            @if invented {
                p.muted { (ctx.t("演示库中的这些记录（热线求助、选举、项目、付款、协议）是为演示虚构的（示例），并非铜陵的真实数据。",
                                 "The demo's rows behind these (requests, elections, projects, payments, agreements) are invented for the demo (example), not Tongling's.")) }
            }
            form.inline method="get" action="/dashboard#over-years" {
                @if let Some(c) = &pick.community { input type="hidden" name="community" value=(c); }
                label for="place" { (ctx.t("范围", "Place")) }
                select #place name="place" {
                    option value="" { (ctx.t("全市", "The whole city")) }
                    optgroup label=(ctx.t("区", "District")) {
                        @for (code, name) in &districts { option value=(code) selected[picked(code)] { (name) } }
                    }
                    optgroup label=(ctx.t("社区", "Community")) {
                        @for (code, name) in &communities { option value=(code) selected[picked(code)] { (name) } }
                    }
                }
                button type="submit" { (ctx.t("查看", "Show")) }
            }
            h3 { (title) }
            div.trend {
                (chart::years(&title, &labels, &series, Some((SOURCE_YEAR, ctx.t("2014 原文", "2014 source")))))
                div.table-wrap tabindex="0" role="region" aria-label=(ctx.t("改革成效按年（表）", "The reform's figures by year (table)")) { table #years-table {
                    thead { tr {
                        th { (ctx.t("年份", "Year")) }
                        th { (ctx.t("有服务中心的社区", "Communities with a center")) }
                        th { (ctx.t("热线已解决求助", "Hotline solved")) }
                        th { (ctx.t("直接选举", "Direct elections")) }
                        th { (ctx.t("驻区单位任职", "Units seated")) }
                        th { (ctx.t("共驻共建协议", "Agreements")) }
                        th { (ctx.t("居民评选项目", "Resident projects")) }
                        th { (ctx.t("购买服务", "Services purchased")) }
                    } }
                    tbody { @for y in &years {
                        tr {
                            td { (y.year) }
                            td { (y.with_center) "/" (y.formed) @if let Some(p) = pct(y.with_center, y.formed) { " (" (p) "%)" } }
                            td { (y.hotline_solved) }
                            td { @if y.elections > 0 { (y.direct_elections) "/" (y.elections) } @else { "—" } }
                            td { (y.units_seated) }
                            td { (y.agreements_signed) }
                            td { (y.projects) (ctx.t("个", "")) " · " (yuan(y.project_fen)) }
                            td { (y.purchases) (ctx.t("笔", "")) " · " (yuan(y.purchase_fen)) }
                        }
                        @if y.year == SOURCE_YEAR { (source_row(ctx)) }
                    } }
                } }
            }
            p.muted { (ctx.t("逐行数据：", "The rows: "))
                a href="/open-data#community-figures-yearly" { (ctx.t("开放数据：各社区改革成效数字按年", "open data: the reform's figures per community per year")) } }
        }
    })
}

/// The source's 2014 figures, each as the source words it.
fn source_row(ctx: &Ctx) -> Markup {
    html! {
        tr.source {
            td { (ctx.t("2014年原文", "2014, source")) " " (from_source(ctx)) }
            td { (ctx.t("城市社区服务中心全覆盖", "every urban community")) }
            td { (ctx.t("已解决10万多件（累计）", "100,000+ solved (to date)")) }
            td { (ctx.t("2013年以来直选率100%", "100% since 2013")) }
            td { (ctx.t("126家", "126 units")) }
            td { (ctx.t("358家单位", "358 units")) }
            td { (ctx.t("铜官山区14个精品项目，83万元", "铜官山区: 14 projects, 830,000 yuan")) }
            td { (ctx.t("铜官山区医疗卫生1726万元、居家养老149.65万元", "铜官山区: 17.26 million health care, 1.4965 million home care")) }
        }
    }
}
