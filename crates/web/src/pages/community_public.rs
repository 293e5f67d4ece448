//! More of a community's public page (issue 14), for anyone without a log-in:
//! how to make a request, the service items its center takes, and the
//! projects its residents chose with their progress. Nothing personal.

use super::{Ctx, from_source};
use crate::AppState;
use crate::error::ApiError;
use ledger::Yuan;
use maud::{Markup, html};

pub async fn sections(state: &AppState, ctx: &Ctx, code: &str, hours: &str) -> Result<Markup, ApiError> {
    let (items, projects) =
        tokio::try_join!(store::cases::offered(&state.db, code), store::figures::community_projects(&state.db, code))?;
    Ok(html! {
        section #how-to-ask {
            h2 { (ctx.t("如何办事、提出诉求", "How to make a request")) }
            ul {
                li { (ctx.t("到社区公共服务中心窗口办理（前台一口受理、后台分类处置）", "At the service center's counter (one counter takes everything; the back office handles it)"))
                    @if !hours.is_empty() { (ctx.t("，开放时间：", "; open ")) (hours) } }
                li { (ctx.t("拨打“2881890”社区服务热线 0562-2881890", "Call the 2881890 community hotline, 0562-2881890")) " " (from_source(ctx)) }
                li { (ctx.t("居民登录后可在网上提交诉求并查看办理进度：", "Residents can log in to make a request online and follow it: ")) a href="/me/cases" { (ctx.t("我的诉求", "My requests")) } }
            }
        }
        section #items {
            h2 { (ctx.t("本中心受理的服务事项", "Service items this center takes")) " (" (items.len()) ")" }
            @if items.is_empty() { p.muted { (ctx.t("本社区尚未公布受理事项。", "This community has not published its items yet.")) } } @else {
                div.table-wrap { table {
                    thead { tr { th { (ctx.t("事项", "Item")) } th { (ctx.t("承办单位", "Handled by")) } th { (ctx.t("办理时限", "Time limit")) } th { (ctx.t("收费", "Fee")) } } }
                    tbody { @for i in &items { tr {
                        td { (i.name) } td { (i.unit_name) }
                        td { (i.limit_days) (ctx.t("个工作日", " working days")) }
                        td { @if i.fee_fen == 0 { (ctx.t("免费", "free")) } @else { (Yuan(i.fee_fen)) (ctx.t("元", " yuan")) } }
                    } } }
                } }
            }
        }
        section #projects {
            h2 { (ctx.t("居民评选的社区项目及进度", "Projects the residents chose, and how they stand")) }
            @if projects.is_empty() { p.muted { (ctx.t("暂无居民评选立项的项目。", "No resident-chosen project yet.")) } } @else {
                div.table-wrap { table {
                    thead { tr { th { (ctx.t("项目", "Project")) } th { (ctx.t("预算", "Budget")) } th { (ctx.t("已支出", "Spent")) } th { (ctx.t("进度", "Progress")) } } }
                    tbody { @for (title, amount, spent) in &projects { tr {
                        td { (title) } td { (Yuan(*amount)) (ctx.t("元", " yuan")) } td { (Yuan(*spent)) (ctx.t("元", " yuan")) }
                        td { @let pct = if *amount > 0 { spent * 100 / amount } else { 0 };
                            progress max="100" value=(pct) aria-label=(ctx.t("支出进度", "Money spent")) { (pct) "%" } " " (pct) "%" }
                    } } }
                } }
            }
            p.muted { a href="/open-data#projects" { (ctx.t("全市项目开放数据", "All projects as open data")) } }
        }
    })
}
