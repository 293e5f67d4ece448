//! Community finance, the books' own forms (issue 14: each API write gets its form for its
//! role): the community head moves money between the community's funds; district finance
//! closes a month or year, reverses a transaction exactly and sets the amount above which a
//! claim needs its second approval; the city reopens a closed period with its reason. Each
//! form that cannot be undone (closing, reversal) asks for a confirmation; each answers
//! on `/finance` with what it did.

use super::finance::after;
use super::{Ctx, form};
use crate::AppState;
use crate::actions::finance as act;
use crate::error::ApiError;
use crate::policy::{FIN_REOPENERS, FIN_TREASURERS, Principal};
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use store::budgeting::yuan;
use store::finance::FundBalance;
use store::structure::{Community, District};

/// A form that cannot be undone is sent with its confirmation box ticked (`confirm=1`).
pub fn confirmed(pairs: &[(String, String)]) -> Result<(), ApiError> {
    if form::value(pairs, "confirm") == "1" {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "confirm",
            "此操作不可撤销，请勾选确认后再提交",
            "this cannot be undone: tick the confirmation first",
        ))
    }
}

/// The confirmation box of a form that cannot be undone.
pub fn confirm_box(ctx: &Ctx, id: &str, zh: &str, en: &str) -> Markup {
    html! {
        label.inline for=(id) { input id=(id) type="checkbox" name="confirm" value="1" required; " " (ctx.t(zh, en)) }
    }
}

/// What the books' forms need to know.
pub struct Books<'a> {
    pub balances: &'a [FundBalance],
    pub communities: &'a [Community],
    pub districts: &'a [District],
    pub second_approval_fen: Option<i64>,
}

/// The forms of the books for the principal's role (none for the others).
pub fn forms(ctx: &Ctx, me: &Principal, b: &Books) -> Markup {
    let key = hex::encode(rand::random::<[u8; 12]>());
    html! {
        @if FIN_TREASURERS.contains(&me.role) && b.balances.len() > 1 {
            h2 { (ctx.t("资金之间调剂", "Move money between funds")) }
            p.muted { (ctx.t("专项资金只能用于其事项或项目，不能调出。", "Restricted money cannot leave its task or project.")) }
            form.stack #transfer-form method="post" action="/finance/transfers" {
                (ctx.csrf_field())
                input type="hidden" name="key" value=(key);
                label for="t_from" { (ctx.t("转出资金", "From fund")) }
                select id="t_from" name="from" required {
                    option value="" { (ctx.t("请选择", "Choose")) }
                    @for f in b.balances { option value=(f.fund) { (ctx.t(&f.label_zh, &f.label_en)) "（" (yuan(f.balance_fen)) (ctx.t("元", " yuan")) "）" } }
                }
                label for="t_to" { (ctx.t("转入资金", "To fund")) }
                select id="t_to" name="to" required {
                    option value="" { (ctx.t("请选择", "Choose")) }
                    @for f in b.balances { option value=(f.fund) { (ctx.t(&f.label_zh, &f.label_en)) } }
                }
                label for="t_amount" { (ctx.t("金额（元）", "Amount (yuan)")) } input id="t_amount" name="amount" required inputmode="decimal";
                label for="t_memo" { (ctx.t("摘要", "Memo")) } input id="t_memo" name="memo";
                p { button type="submit" { (ctx.t("调剂", "Move")) } }
            }
        }
        @if me.is_finance_bureau() {
            h2 { (ctx.t("结账", "Close a period")) }
            p.muted { (ctx.t("结账后该期间不再接受任何记账；只有市民政可以说明理由后重新开账。", "A closed period accepts nothing more; only the city can reopen it, with a reason.")) }
            form.stack #closing-form method="post" action="/finance/closings" {
                (ctx.csrf_field())
                label for="c_community" { (ctx.t("账簿", "Books")) }
                select id="c_community" name="community" {
                    option value="" { (ctx.t("区本级", "The district's own books")) }
                    @for c in b.communities { option value=(c.code) { (c.name) } }
                }
                label for="c_period" { (ctx.t("期间（月如 2026-03，年如 2026）", "Period (a month like 2026-03, a year like 2026)")) } input id="c_period" name="period" required;
                (confirm_box(ctx, "c_confirm", "我确认结账，结账后本期间不能再记账", "I confirm: after closing, nothing more is posted in this period"))
                p { button type="submit" { (ctx.t("结账", "Close")) } }
            }
            h2 { (ctx.t("冲销记账凭证", "Reverse a transaction")) }
            p.muted { (ctx.t("账目不能修改或删除，更正只能整笔冲销：冲销凭证与原凭证金额相同、方向相反。", "Nothing is edited or deleted; a correction is an exact reversal of the whole transaction.")) }
            form.stack #reversal-form method="post" action="/finance/reversals" {
                (ctx.csrf_field())
                label for="r_tx" { (ctx.t("记账凭证号", "Transaction number")) } input id="r_tx" name="transaction" required inputmode="numeric";
                label for="r_memo" { (ctx.t("冲销原因", "Why it is reversed")) } input id="r_memo" name="memo" required;
                (confirm_box(ctx, "r_confirm", "我确认整笔冲销，冲销不可撤销", "I confirm the whole transaction is reversed; this cannot be undone"))
                p { button type="submit" { (ctx.t("冲销", "Reverse")) } }
            }
            h2 { (ctx.t("大额报账标准", "Second-approval threshold")) }
            @if let Some(f) = b.second_approval_fen {
                p #second-approval { (ctx.t("现行标准：报账金额超过 ", "Now: a claim above ")) (yuan(f)) (ctx.t(" 元的，经社区负责人审批后还须区财政审批。", " yuan needs district finance after the community head.")) }
            }
            form.stack #settings-form method="post" action="/finance/settings" {
                (ctx.csrf_field())
                label for="s_amount" { (ctx.t("新标准（元）", "New threshold (yuan)")) } input id="s_amount" name="second_approval" required inputmode="decimal";
                p { button type="submit" { (ctx.t("保存", "Save")) } }
            }
        }
        @if FIN_REOPENERS.contains(&me.role) {
            h2 { (ctx.t("重新开账", "Reopen a closed period")) }
            form.stack #reopen-form method="post" action="/finance/reopenings" {
                (ctx.csrf_field())
                label for="o_district" { (ctx.t("区", "District")) }
                select id="o_district" name="district" required {
                    option value="" { (ctx.t("请选择", "Choose")) }
                    @for d in b.districts.iter().filter(|d| d.valid_to.is_none()) { option value=(d.code) { (ctx.t(&d.name, &d.name_en)) } }
                }
                label for="o_community" { (ctx.t("社区（空为区本级）", "Community (empty: the district's own books)")) }
                select id="o_community" name="community" {
                    option value="" { (ctx.t("区本级", "The district's own books")) }
                    @for c in b.communities { option value=(c.code) { (c.name) } }
                }
                label for="o_period" { (ctx.t("期间（月如 2026-03，年如 2026）", "Period (a month like 2026-03, a year like 2026)")) } input id="o_period" name="period" required;
                label for="o_reason" { (ctx.t("理由", "Reason")) } input id="o_reason" name="reason" required;
                p { button type="submit" { (ctx.t("重新开账", "Reopen")) } }
            }
        }
    }
}

type Pairs = Form<Vec<(String, String)>>;

pub async fn transfer(State(state): State<AppState>, ctx: Ctx, Form(f): Pairs) -> Response {
    let r = async {
        let p = act::transfer(&state, ctx.me()?, form::from_pairs(&f)?).await?;
        Ok(format!("{}{}", ctx.t("已调剂，记账凭证 #", "Moved: transaction #"), p.tx_id))
    }
    .await;
    after(&state, &ctx, r).await
}

pub async fn close(State(state): State<AppState>, ctx: Ctx, Form(f): Pairs) -> Response {
    let r = async {
        confirmed(&f)?;
        let through = act::close(&state, ctx.me()?, form::from_pairs(&f)?).await?;
        Ok(format!("{}{}", ctx.t("已结账，账簿结至 ", "Closed: the books are closed through "), through))
    }
    .await;
    after(&state, &ctx, r).await
}

pub async fn reopen(State(state): State<AppState>, ctx: Ctx, Form(f): Pairs) -> Response {
    let r = async {
        let through = act::reopen(&state, ctx.me()?, form::from_pairs(&f)?).await?;
        Ok(format!("{}{}", ctx.t("已重新开账，账簿现结至 ", "Reopened: the books are now closed through "), through))
    }
    .await;
    after(&state, &ctx, r).await
}

pub async fn reverse(State(state): State<AppState>, ctx: Ctx, Form(f): Pairs) -> Response {
    let r = async {
        confirmed(&f)?;
        let tx = form::value(&f, "transaction").trim().trim_start_matches('#').parse::<i64>().map_err(|_| {
            ApiError::invalid("transaction", "请填写记账凭证号（数字）", "give the transaction's number")
        })?;
        let p = act::reverse(&state, ctx.me()?, tx, form::from_pairs(&f)?).await?;
        Ok(format!("#{tx} {}{}", ctx.t("已冲销，冲销凭证 #", "reversed: transaction #"), p.tx_id))
    }
    .await;
    after(&state, &ctx, r).await
}

pub async fn settings(State(state): State<AppState>, ctx: Ctx, Form(f): Pairs) -> Response {
    let r = async {
        let fen = act::set_second_approval(&state, ctx.me()?, form::from_pairs(&f)?).await?;
        Ok(format!(
            "{}{}{}",
            ctx.t("已保存：超过 ", "Saved: a claim above "),
            yuan(fen),
            ctx.t(" 元的报账须区财政审批", " yuan needs district finance")
        ))
    }
    .await;
    after(&state, &ctx, r).await
}

/// A claim's action URLs are posted to; opened again (a refresh, a bookmark) they lead back to the claim.
pub async fn back_to_claim(axum::extract::Path(id): axum::extract::Path<i64>) -> axum::response::Redirect {
    axum::response::Redirect::to(&format!("/finance#claim-{id}"))
}
