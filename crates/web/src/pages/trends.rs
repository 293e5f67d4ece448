//! Figures over time on the city dashboard (issue 14): each community's service cases per month
//! (taken, resolved, the on-time share) and the work in force on communities per month (with the
//! tasks that arrived and ended in it), with the months each published list version took effect
//! marked on the time axis — each an SVG chart drawn on the server (no script) with its table
//! beside it. The rows are the open-data tables' (`community-cases-monthly`,
//! `community-tasks-monthly`, `community-tasks-in-force`), so the chart, the table and the
//! download say the same.

use super::chart::{self, Month};
use super::{Ctx, illustrative_if};
use crate::AppState;
use crate::error::ApiError;
use maud::{Markup, html};
use store::open_data::{Cell, rows, table};

/// `?community=<code>` on the dashboard: one community's months; none, the whole city's.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Pick {
    #[serde(default)]
    pub community: Option<String>,
    /// `?place=<district or community code>` for the figures by year (`figures_years`); none, the city.
    #[serde(default)]
    pub place: Option<String>,
}

/// One open-data row of (community code, name, month, three counts).
struct Row {
    code: String,
    name: String,
    month: String,
    n: [i64; 3],
}

async fn monthly(state: &AppState, name: &str) -> Result<Vec<Row>, ApiError> {
    let t = table(name).ok_or(ApiError::NotFound)?;
    let text = |c: &Cell| match c {
        Cell::Text(s) => s.clone(),
        Cell::Int(n) => n.to_string(),
    };
    let int = |c: &Cell| match c {
        Cell::Int(n) => *n,
        Cell::Text(_) => 0,
    };
    Ok(rows(&state.db, t)
        .await?
        .into_iter()
        .filter(|r| r.len() == 6)
        .map(|r| Row {
            code: text(&r[0]),
            name: text(&r[1]),
            month: text(&r[2]),
            n: [int(&r[3]), int(&r[4]), int(&r[5])],
        })
        .collect())
}

/// "YYYY-MM" as a month count, and back.
fn month_no(m: &str) -> Option<i64> {
    let (y, mo) = m.split_once('-')?;
    Some(y.parse::<i64>().ok()? * 12 + mo.parse::<i64>().ok()? - 1)
}
fn month_text(n: i64) -> String {
    format!("{:04}-{:02}", n / 12, n % 12 + 1)
}

/// Every month from the first to the last of `rows` (none missing), each with its summed counts.
fn by_month(rows: &[Row], pick: Option<&str>) -> Vec<(String, [i64; 3])> {
    let mut sums: std::collections::BTreeMap<i64, [i64; 3]> = Default::default();
    for r in rows.iter().filter(|r| pick.is_none_or(|c| c == r.code)) {
        let Some(m) = month_no(&r.month) else { continue };
        let s = sums.entry(m).or_default();
        for i in 0..3 {
            s[i] += r.n[i];
        }
    }
    let (Some(first), Some(last)) = (sums.keys().next().copied(), sums.keys().last().copied()) else {
        return Vec::new();
    };
    (first..=last).map(|m| (month_text(m), sums.get(&m).copied().unwrap_or_default())).collect()
}

pub async fn section(state: &AppState, ctx: &Ctx, pick: &Pick) -> Result<Markup, ApiError> {
    let (cases, tasks, in_force, versions, invented) = tokio::try_join!(
        monthly(state, "community-cases-monthly"),
        monthly(state, "community-tasks-monthly"),
        monthly(state, "community-tasks-in-force"),
        async { store::lists::versions(&state.db, None).await.map_err(ApiError::from) },
        async { store::open_data::activity_invented(&state.db).await.map_err(ApiError::from) },
    )?;
    let mut communities: Vec<(String, String)> =
        cases.iter().chain(&tasks).map(|r| (r.code.clone(), r.name.clone())).collect();
    communities.sort();
    communities.dedup();
    let keep_place = pick.place.clone();
    let pick = pick.community.as_deref().filter(|c| communities.iter().any(|(code, _)| code == c));
    let place = pick
        .and_then(|c| communities.iter().find(|(code, _)| code == c))
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| ctx.t("全市", "The whole city").to_string());

    let case_months = by_month(&cases, pick);
    let case_cols: Vec<Month> = case_months
        .iter()
        .map(|(m, [taken, resolved, on_time])| Month {
            label: m.clone(),
            a: *resolved,
            b: taken - resolved,
            share: (*resolved > 0).then(|| on_time * 100 / resolved),
        })
        .collect();

    // The work in force per month (every month from the first arrival to this one), the arrivals
    // beside it; each published list version marks the month it took effect.
    let task_months = by_month(&in_force, pick);
    let arrivals: std::collections::BTreeMap<String, i64> =
        by_month(&tasks, pick).into_iter().map(|(m, [a, u, _])| (m, a + u)).collect();
    let first = task_months.first().and_then(|(m, _)| month_no(m));
    let mut effective: std::collections::BTreeMap<String, (Vec<String>, bool)> = Default::default();
    for v in versions.iter().filter(|v| v.status == store::lists::VersionStatus::Published) {
        let Some(month) = v.effective_on.as_deref().and_then(|d| d.get(..7)) else { continue };
        let e = effective.entry(month.to_string()).or_default();
        e.0.push(format!("{}{}{}", ctx.lang.msg(&v.kind.name()), ctx.t("第", " v"), v.version) + ctx.t("版", ""));
        e.1 |= v.illustrative != 0;
    }
    let markers: Vec<(usize, String)> = effective
        .keys()
        .filter_map(|m| {
            let i = task_months.iter().position(|(tm, _)| tm == m)?;
            Some((i, format!("{m} {}", ctx.t("清单生效", "lists in force"))))
        })
        .collect();
    let in_force_at = |m: &str| -> Option<&String> { effective.range(..=m.to_string()).next_back().map(|(k, _)| k) };
    let task_cols: Vec<Month> =
        task_months.iter().map(|(m, [a, u, _])| Month { label: m.clone(), a: *a, b: *u, share: None }).collect();
    let arrived = |m: &str| arrivals.get(m).copied().unwrap_or(0);

    Ok(html! {
        h2 #trends { (ctx.t("按月变化", "Over time")) (illustrative_if(ctx, invented)) }
        @if invented {
            p.muted { (ctx.t("演示库中的服务案件和下派事项是为演示虚构的（示例），并非铜陵的真实数据。",
                             "The demo's service cases and pushed work are invented for the demo (example), not Tongling's.")) }
        }
        form.inline method="get" action="/dashboard#trends" {
            @if let Some(p) = &keep_place { input type="hidden" name="place" value=(p); }
            label for="community" { (ctx.t("社区", "Community")) }
            select #community name="community" {
                option value="" { (ctx.t("全市", "The whole city")) }
                @for (code, name) in &communities { option value=(code) selected[pick == Some(code.as_str())] { (name) } }
            }
            button type="submit" { (ctx.t("查看", "Show")) }
        }
        h3 { (place) (ctx.t("：每月受理的服务案件", ": service cases taken per month")) }
        div.trend {
            (chart::months(ctx.t("每月受理的服务案件", "Service cases taken per month"), &case_cols,
                (ctx.t("已办结", "resolved"), ctx.t("在办", "open"), ctx.t("按时办结率", "on-time share")), &[]))
            // Scrolls sideways on a phone: reachable by keyboard, named for a screen reader.
            div.table-wrap tabindex="0" role="region" aria-label=(ctx.t("每月受理的服务案件（表）", "Service cases per month (table)")) { table {
                thead { tr { th { (ctx.t("月份", "Month")) } th { (ctx.t("受理", "Taken")) } th { (ctx.t("已办结", "Resolved")) } th { (ctx.t("按时办结率", "On time")) } } }
                tbody { @for (m, [taken, resolved, on_time]) in &case_months { tr {
                    td { (m) } td { (taken) } td { (resolved) }
                    td { @if *resolved > 0 { (on_time * 100 / resolved) "%" } @else { "—" } }
                } } }
            } }
        }
        p.muted { (ctx.t("按时办结率＝按法定时限（工作日）办结的件数÷已办结件数。逐行数据：", "On-time share = cases resolved within the legal time limit (working days) ÷ cases resolved. The rows: "))
            a href="/open-data#community-cases-monthly" { (ctx.t("开放数据：各社区每月受理的服务案件", "open data: service cases per community per month")) } }
        h3 { (place) (ctx.t("：每月在办的下派事项与清单版本", ": work in force per month, and the list versions")) }
        div.trend {
            (chart::months(ctx.t("每月在办的下派事项", "Work in force on communities per month"), &task_cols,
                (ctx.t("经准入审批", "with an approval"), ctx.t("未经审批", "without approval"), ""), &markers))
            div.table-wrap tabindex="0" role="region" aria-label=(ctx.t("每月在办的下派事项（表）", "Work in force per month (table)")) { table {
                thead { tr { th { (ctx.t("月份", "Month")) } th { (ctx.t("新到达", "Arrived")) } th { (ctx.t("在办：经审批", "In force: approved")) } th { (ctx.t("在办：未经审批", "In force: unapproved")) } th { (ctx.t("当月终止", "Ended")) } th { (ctx.t("当时适用的清单", "Lists in force")) } } }
                tbody { @for (m, [a, u, ended]) in &task_months { tr {
                    td { (m) } td { (arrived(m)) } td { (a) } td { (u) } td { (ended) }
                    td { @match in_force_at(m) { Some(k) => { (k) (ctx.t(" 起", " on")) }, None => { (ctx.t("清单发布前", "before the lists")) } } }
                } } }
            } }
        }
        @if !effective.is_empty() {
            ul.muted {
                @for (m, (names, illus)) in &effective {
                    li { (m) " " (names.join("、")) (ctx.t(" 生效", " took effect")) (illustrative_if(ctx, *illus))
                        @if first.is_some_and(|f| month_no(m).is_some_and(|n| n < f)) { (ctx.t("（早于图中第一个月，此后各月均在其后）", " (before the chart's first month: every month shown is after it)")) } }
                }
            }
        }
        p.muted { (ctx.t("在办＝当月任一时刻仍有效的下派事项（到达不晚于月末，且未在月初前被拒绝或审批到期）；当月终止＝当月被社区拒绝或审批到期的。虚线为清单版本生效的月份：其左为生效前，其右为生效后。逐行数据：",
                         "In force = work in force at some moment of the month (arrived by its end, not refused or expired before its start); ended = refused by the community or its approval expired in the month. A dashed line marks the month a list version took effect: before it on the left, after it on the right. The rows: "))
            a href="/open-data#community-tasks-in-force" { (ctx.t("开放数据：各社区每月在办的下派事项", "open data: work in force on each community per month")) } (ctx.t("；", "; "))
            a href="/open-data#community-tasks-monthly" { (ctx.t("各社区每月新到达的下派事项", "work arriving at each community per month")) } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_continuous_and_summed_per_pick() {
        let r = |code: &str, month: &str, n: [i64; 3]| Row {
            code: code.into(),
            name: String::new(),
            month: month.into(),
            n,
        };
        let rows = vec![r("a", "2025-11", [1, 0, 0]), r("b", "2025-11", [2, 1, 0]), r("a", "2026-02", [3, 0, 1])];
        let all = by_month(&rows, None);
        let months: Vec<&str> = all.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(all[0].1, [3, 1, 0]);
        assert_eq!(all[1].1, [0, 0, 0]);
        assert_eq!(by_month(&rows, Some("b")), vec![("2025-11".to_string(), [2, 1, 0])]);
    }
}
