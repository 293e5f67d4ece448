//! The four lists (public, versioned, with diffs), community access
//! applications (社区准入: a department files, the automatic checks cite their
//! rules, the city reviewer decides) and each community's tasks with the
//! right to refuse unapproved work. One module per sub-concept, as in
//! `store::lists`: the public lists, the city's drafts, access applications
//! and tasks. Writes go through `actions::lists`.

mod access;
mod drafts;
mod public;
mod tasks;

pub use access::*;
pub use drafts::*;
pub use public::*;
pub use tasks::*;

use super::Ctx;
use lists::{Entry, Terms};
use maud::{Markup, html};
use store::budgeting::yuan;

fn msg(ctx: &Ctx, m: &lists::Msg) -> String {
    ctx.t(&m.zh, &m.en).to_string()
}

/// A list version's stage in the reader's language.
fn version_status(ctx: &Ctx, s: store::lists::VersionStatus) -> &str {
    use store::lists::VersionStatus as S;
    match s {
        S::Draft => ctx.t("草稿", "draft"),
        S::Reviewed => ctx.t("已审核", "reviewed"),
        S::Published => ctx.t("已发布", "published"),
    }
}

fn terms(ctx: &Ctx, e: &Entry) -> String {
    match &e.terms {
        Terms::Exit { scope } => match scope {
            lists::ExitScope::Always => ctx.t("一律取消", "cancelled outright").to_string(),
            lists::ExitScope::AsPrincipal => ctx.t("不再作为责任主体", "no longer as principal").to_string(),
        },
        Terms::Duty => ctx.t("居委会法定职责", "the committee's own duty").to_string(),
        Terms::Assistance(a) => format!(
            "{} {}{} · {}{}",
            ctx.t("经费标准", "funding"),
            yuan(a.standard_fen),
            ctx.t("元", " yuan"),
            msg(ctx, &a.basis.describe()),
            format_args!(" · {}", a.paying_department)
        ),
        Terms::Assessment(a) => format!(
            "{} · {}{} · {}{}",
            msg(ctx, &a.origin_level.name()),
            ctx.t("每年最多", "max/year "),
            a.max_times_per_year,
            ctx.t("最长天数", "max days "),
            a.max_duration_days
        ),
    }
}

fn entries_table(ctx: &Ctx, entries: &[Entry]) -> Markup {
    html! {
        div.table-wrap { table {
            thead { tr { th { (ctx.t("编号", "Code")) } th { (ctx.t("事项", "Item")) } th { (ctx.t("类型", "Type")) } th { (ctx.t("依据", "Legal basis")) } th { (ctx.t("责任部门", "Department")) } th { (ctx.t("条件", "Terms")) } } }
            tbody { @for e in entries { tr {
                td { (e.code) } td { (e.title) } td { (e.item_type.zh()) } td { (e.legal_basis) } td { (e.department) } td { (terms(ctx, e)) }
            } } }
        } }
    }
}
