//! Community finance (社区财务): the community's funds and claims (报账)
//! with their approval chain, the district's allocations (核拨) and its
//! side-by-side view, and the public quarterly disclosure (居务公开).

use super::{Ctx, error_page, form, page};
use crate::AppState;
use crate::actions::finance::{self as act, QuarterQuery};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::policy::{FIN_CLAIMANTS, FIN_DISTRICT_READERS};
use crate::scope::load;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use store::budgeting::yuan;
use store::finance::{self as fin, Claim, ClaimStatus, Disclosure};

fn status_name(ctx: &Ctx, c: &Claim) -> &'static str {
    match c.status {
        ClaimStatus::Pending => ctx.t("待社区负责人审批", "awaiting the community head"),
        ClaimStatus::HeadApproved => ctx.t("待区财政审批", "awaiting district finance"),
        ClaimStatus::Paid => ctx.t("已支付", "paid"),
        ClaimStatus::Rejected => ctx.t("已退回", "rejected"),
    }
}

fn fund_name(ctx: &Ctx, c: &Claim, balances: &[fin::FundBalance]) -> String {
    let spec = c.fund_class().map(|f| fin::fund_spec(&f)).unwrap_or_default();
    match balances.iter().find(|b| b.fund == spec) {
        Some(b) => ctx.t(&b.label_zh, &b.label_en).to_string(),
        // A line with no money in the bank yet: its kind, not the engine's code for it.
        None => match c.fund_class() {
            Ok(ledger::FundClass::Project { .. }) => ctx.t("项目经费", "project funds").to_string(),
            f => f.map(|f| ctx.lang.msg(&f.label())).unwrap_or_default(),
        },
    }
}

fn key() -> String {
    hex::encode(rand::random::<[u8; 12]>())
}

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    index_with(&state, &ctx, None, StatusCode::OK).await
}

async fn index_with(state: &AppState, ctx: &Ctx, flash: Option<(bool, String)>, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let (community, district) = me.scope();
    let r = async {
        let claims = fin::claims(&state.db, community.as_deref(), district.as_deref()).await?;
        let (balances, lines) = match &community {
            Some(c) => {
                let d = store::structure::community(&state.db, c).await?.district_code;
                (fin::fund_balances(&state.db, c, &d).await?, store::budgeting::budget_lines(&state.db, c).await?)
            }
            None => (Vec::new(), Vec::new()),
        };
        let communities = match &district {
            Some(d) => store::structure::communities(&state.db, Some(d)).await?,
            None if crate::policy::FIN_REOPENERS.contains(&me.role) => {
                store::structure::communities(&state.db, None).await?
            }
            None => Vec::new(),
        };
        let districts = if crate::policy::FIN_REOPENERS.contains(&me.role) {
            store::structure::districts(&state.db).await?
        } else {
            Vec::new()
        };
        let second = match &district {
            Some(d) if me.is_finance_bureau() => Some(fin::second_approval_fen(&state.db, d).await?),
            _ => None,
        };
        // Who else may approve at the community head's step (a head cannot approve their own claim).
        let heads = match &community {
            Some(c) => store::users::list(&state.db, Some(c), None)
                .await?
                .into_iter()
                .filter(|u| u.role == "community_admin" && u.id != me.user_id)
                .map(|u| u.display_name)
                .collect(),
            None => Vec::new(),
        };
        Ok::<_, store::StoreError>((claims, balances, lines, communities, districts, second, heads))
    }
    .await;
    let (claims, balances, lines, communities, districts, second, heads): (_, _, _, _, _, _, Vec<String>) = match r {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e.into()),
    };
    let stage = crate::policy::stage_of(me).ok();
    let can_act = |c: &Claim| c.filed_by != me.user_id && stage.is_some_and(|s| s.from() == c.status);
    let body = html! {
        h1 { (ctx.t("社区财务", "Community finance")) }
        p.muted { (ctx.t("区财政直接核拨社区经费，社区实行报账制：经办人提交报账，社区负责人审批，大额报账再经区财政审批后支付。每一笔都记入复式账簿，不能修改或删除，更正只能冲销。",
                         "The district finance bureau funds each community directly and the community spends by reimbursement: a worker files a claim, the community head approves, large claims also need district finance, then it is paid. Every payment is a double-entry transaction that is never edited or deleted; corrections are reversals.")) }
        @if let Some((ok, msg)) = &flash { div class={"flash " (if *ok { "ok" } else { "error" })} role="alert" { (msg) } }
        @if let Some(c) = &community {
            p { a href={"/communities/" (c) "/finance"} { (ctx.t("本社区收支公开 →", "This community's public accounts →")) } }
            h2 { (ctx.t("资金余额", "Funds")) }
            div.table-wrap { table #balances {
                thead { tr { th { (ctx.t("资金", "Fund")) } th { (ctx.t("账户", "Account")) } th { (ctx.t("余额（元）", "Balance (yuan)")) } } }
                tbody { @for b in &balances { tr data-fund=(b.fund) {
                    td { (ctx.t(&b.label_zh, &b.label_en)) } td { code { (b.account) } } td.balance { (yuan(b.balance_fen)) }
                } } }
            } }
        }
        @if me.is_finance_bureau() && !communities.is_empty() {
            h2 { (ctx.t("核拨经费", "Allocate funds")) }
            form.stack #allocation-form method="post" action="/finance/allocations" {
                (ctx.csrf_field())
                input type="hidden" name="key" value=(key());
                label for="a_community" { (ctx.t("社区", "Community")) }
                select id="a_community" name="community" { @for c in &communities { option value=(c.code) { (c.name) } } }
                label for="a_fund" { (ctx.t("资金（公用经费、购买服务、项目:预算科目号 或 协助事项:任务号）", "Fund (operating / service_purchase / project:<budget line> / assistance:<task>)")) }
                input id="a_fund" name="fund" value=(ctx.t("公用经费", "operating"));
                label for="a_amount" { (ctx.t("金额（元）", "Amount (yuan)")) } input id="a_amount" name="amount";
                label for="a_date" { (ctx.t("日期（空为今天）", "Date (empty: today)")) } input id="a_date" name="date" type="date";
                label for="a_memo" { (ctx.t("摘要", "Memo")) } input id="a_memo" name="memo";
                label for="a_reference" { (ctx.t("文号", "Reference")) } input id="a_reference" name="reference";
                p { button type="submit" { (ctx.t("核拨", "Allocate")) } }
            }
        }
        (super::finance_books::forms(ctx, me, &super::finance_books::Books { balances: &balances, communities: &communities, districts: &districts, second_approval_fen: second }))
        @if FIN_DISTRICT_READERS.contains(&me.role) {
            p { a href="/finance/district" { (ctx.t("各社区收支对比 →", "Communities side by side →")) } }
        }
        h2 { (ctx.t("报账", "Claims")) }
        div.table-wrap { table #claims {
            thead { tr { th { "#" } th { (ctx.t("提交", "Filed")) } th { (ctx.t("收款方", "Payee")) } th { (ctx.t("用途", "Purpose")) } th { (ctx.t("资金", "Fund")) } th { (ctx.t("金额（元）", "Amount (yuan)")) } th { (ctx.t("状态", "Status")) } th {} } }
            tbody { @for c in &claims { tr id={"claim-" (c.id)} {
                td { (c.id) } td { (c.created_at.get(..10).unwrap_or("")) br; span.muted { (c.filed_by_name) } }
                td { (c.payee) } td { (c.purpose) } td { (fund_name(ctx, c, &balances)) }
                td { (yuan(c.amount_fen)) @if c.needs_district == 1 { br; span.tag.warn { (ctx.t("大额", "large")) } } }
                td.status { (status_name(ctx, c)) @if !c.reject_reason.is_empty() { br; span.muted { (c.reject_reason) } }
                    // Your own claim: who approves it, since you cannot.
                    @if c.filed_by == me.user_id && c.status == ClaimStatus::Pending && me.role == store::users::Role::CommunityAdmin {
                        br; span.muted.own-claim {
                            @if heads.is_empty() { (ctx.t("本人提交的报账不能由本人审批；本社区没有其他负责人账号，请联系区民政增设，或退回后由其他工作人员提交。", "You cannot approve your own claim, and the community has no other head's account: ask the district to add one, or have another worker file it.")) }
                            @else { (ctx.t("本人提交的报账由本社区其他负责人审批：", "Your own claim is approved by another head of the community: ")) (heads.join("、")) }
                        }
                    }
                }
                td { @if can_act(c) {
                    form.inline method="post" action={"/finance/claims/" (c.id) "/approve"} { (ctx.csrf_field())
                        @let final_step = c.status == ClaimStatus::HeadApproved || c.needs_district == 0;
                        (super::finance_books::confirm_box(ctx, &format!("approve-{}", c.id),
                            if final_step { "确认批准并支付（不可撤销）" } else { "确认批准" },
                            if final_step { "I confirm: approve and pay (cannot be undone)" } else { "I confirm the approval" }))
                        " " button type="submit" { (ctx.t("批准", "Approve")) } }
                    form.inline method="post" action={"/finance/claims/" (c.id) "/reject"} {
                        (ctx.csrf_field()) input name="reason" placeholder=(ctx.t("退回理由", "reason")) aria-label=(ctx.t("退回理由", "reason"));
                        button type="submit" { (ctx.t("退回", "Reject")) }
                    }
                } }
            } } }
        } }
        (super::cut_note(ctx, &claims))
        @if FIN_CLAIMANTS.contains(&me.role) {
            h2 { (ctx.t("提交报账", "File a claim")) }
            form.stack #claim-form method="post" action="/finance/claims" enctype="multipart/form-data" {
                input type="hidden" name="key" value=(key());
                label for="payee" { (ctx.t("收款方", "Payee")) } input id="payee" name="payee";
                label for="amount" { (ctx.t("金额（元）", "Amount (yuan)")) } input id="amount" name="amount";
                label for="purpose" { (ctx.t("用途", "Purpose")) } input id="purpose" name="purpose";
                label for="fund" { (ctx.t("使用资金", "Fund drawn on")) }
                select id="fund" name="fund" {
                    option value="operating" { (ctx.t("公用经费", "operating funds")) }
                    @for b in balances.iter().filter(|b| b.fund != "operating") { option value=(b.fund) { (ctx.t(&b.label_zh, &b.label_en)) } }
                    @for l in lines.iter().filter(|l| !balances.iter().any(|b| b.fund == format!("project:{}", l.id))) {
                        option value={"project:" (l.id)} { (ctx.t("项目经费：", "project funds: ")) (l.title) }
                    }
                }
                label for="voucher" { (ctx.t("凭证（可选）", "Voucher (optional)")) } (super::form::file_input(ctx, "voucher", "voucher", "", false, None))
                p { button type="submit" { (ctx.t("提交报账", "File the claim")) } }
            }
        }
    };
    (status, page(ctx, ctx.t("社区财务", "Community finance"), body)).into_response()
}

pub(super) async fn after(state: &AppState, ctx: &Ctx, r: Result<String, ApiError>) -> Response {
    match r {
        Ok(msg) => index_with(state, ctx, Some((true, msg)), StatusCode::OK).await,
        Err(ApiError::Invalid { msg, .. }) => {
            index_with(state, ctx, Some((false, ctx.lang.msg(&msg))), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(ctx, e),
    }
}

/// The claim form is multipart (its voucher is a file): its text fields and the voucher, if one was chosen.
async fn claim_form(mut mp: Multipart) -> Result<(Vec<(String, String)>, Option<act::Voucher>), ApiError> {
    let fail = || ApiError::invalid("voucher", "上传失败", "the upload failed");
    let mut fields = Vec::new();
    let mut voucher = None;
    while let Some(f) = mp.next_field().await.map_err(|_| fail())? {
        let name = f.name().unwrap_or_default().to_string();
        if name == "voucher" {
            let filename = f.file_name().unwrap_or("voucher").to_string();
            let content_type = f.content_type().unwrap_or("application/octet-stream").to_string();
            let bytes = f.bytes().await.map_err(|_| fail())?;
            if !bytes.is_empty() {
                voucher = Some(act::Voucher { filename, content_type, bytes: bytes.to_vec() });
            }
            continue;
        }
        let text = f.text().await.map_err(|_| ApiError::invalid(&name, "上传失败", "the upload failed"))?;
        fields.push((name, text));
    }
    Ok((fields, voucher))
}

pub async fn file_claim(State(state): State<AppState>, ctx: Ctx, mp: Multipart) -> Response {
    let r = async {
        let (fields, voucher) = claim_form(mp).await?;
        let c = act::file_claim(&state, ctx.me()?, form::from_pairs(&fields)?, voucher).await?;
        Ok(format!("{}{}", ctx.t("报账已提交，编号 #", "Claim filed: #"), c.id))
    }
    .await;
    after(&state, &ctx, r).await
}

pub async fn approve(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let r = async {
        // Out of reach is 404 whatever the form held; then the confirmation (paying cannot be undone).
        load::<Claim>(&state, ctx.me()?, id).await?;
        super::finance_books::confirmed(&super::form_pairs(&body))?;
        let c = act::approve(&state, ctx.me()?, id).await?;
        Ok(if c.status == ClaimStatus::Paid {
            format!("#{id} {}", ctx.t("已批准并支付", "approved and paid"))
        } else {
            format!("#{id} {}", ctx.t("已批准，待区财政审批", "approved; awaiting district finance"))
        })
    }
    .await;
    after(&state, &ctx, r).await
}

pub async fn reject(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        act::reject(&state, ctx.me()?, id, form::from_pairs(&f)?).await?;
        Ok(format!("#{id} {}", ctx.t("已退回", "rejected")))
    }
    .await;
    after(&state, &ctx, r).await
}

pub async fn allocate(State(state): State<AppState>, ctx: Ctx, Form(f): Form<Vec<(String, String)>>) -> Response {
    let r = async {
        let p = act::allocate(&state, ctx.me()?, form::from_pairs(&f)?).await?;
        Ok(format!("{} #{}", ctx.t("已核拨，记账凭证", "Allocated: transaction"), p.tx_id))
    }
    .await;
    after(&state, &ctx, r).await
}

/// A voucher file, for those who may see its claim.
pub async fn voucher(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        let me = ctx.me()?;
        let (info, bytes) = fin::voucher_content(&state.db, id).await?;
        load::<store::finance::Claim>(&state, me, info.claim_id).await?;
        Ok::<_, ApiError>((info, bytes))
    }
    .await;
    match r {
        Ok((info, bytes)) => {
            let disposition = format!("attachment; filename=\"voucher-{}\"", info.id);
            // Served as what its bytes are (a voucher stored before they were checked may be anything).
            let mime = store::files::sniff(&bytes).unwrap_or("application/octet-stream");
            ([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
                .into_response()
        }
        Err(e) => error_page(&ctx, e),
    }
}

fn quarter_nav(ctx: &Ctx, base: &str, year: i32, quarter: u8) -> Markup {
    let (py, pq) = if quarter == 1 { (year - 1, 4) } else { (year, quarter - 1) };
    let (ny, nq) = if quarter == 4 { (year + 1, 1) } else { (year, quarter + 1) };
    html! {
        nav.no-print aria-label=(ctx.t("其他季度", "Other quarters")) {
            a href={(base) "?year=" (py) "&quarter=" (pq)} { "← " (quarter_name(ctx.lang, py, pq)) }
            // No way into a quarter that has not begun (it has no accounts).
            @if (ny, nq) <= store::finance::current_quarter() {
                " · " a href={(base) "?year=" (ny) "&quarter=" (nq)} { (quarter_name(ctx.lang, ny, nq)) " →" }
            }
        }
    }
}

/// A quarter in the reader's language: 2026年第三季度 / 2026 Q3.
fn quarter_name(lang: Lang, year: i32, quarter: u8) -> String {
    const ZH: [&str; 4] = ["一", "二", "三", "四"];
    match lang {
        Lang::Zh => format!("{year}年第{}季度", ZH.get(usize::from(quarter.max(1)) - 1).unwrap_or(&"")),
        Lang::En => format!("{year} Q{quarter}"),
    }
}

fn period_title(lang: Lang, d: &Disclosure) -> String {
    match lang {
        Lang::Zh => format!("{}（{}至{}）", quarter_name(lang, d.year, d.quarter), d.from, d.to),
        Lang::En => format!("{} Q{} ({} to {})", d.year, d.quarter, d.from, d.to),
    }
}

/// 居务公开: the community's income and expenditure by fund for a quarter,
/// with large payments listed. Public, and laid out to print.
pub async fn public(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<QuarterQuery>,
) -> Response {
    let d = match act::disclosure(&state, &code, &q).await {
        Ok(d) => d,
        Err(e) => return error_page(&ctx, e),
    };
    let (year, quarter) = (d.year, d.quarter);
    let body = html! {
        style { ".no-print{} @media print { .no-print { display: none; } table { font-size: 10pt; } h1 { font-size: 16pt; } }" }
        h1 { (d.community_name) " · " (ctx.t("居务公开：收支情况", "Public accounts: income and expenditure")) }
        p { strong { (period_title(ctx.lang, &d)) } }
        p.muted { (ctx.t("依据《居民委员会组织法》，居民委员会的收支账目应当公布。金额单位：元。", "Under the Organic Law of Residents' Committees a committee's income and expenditure accounts must be published. Amounts in yuan.")) }
        (quarter_nav(&ctx, &format!("/communities/{}/finance", d.community_code), year, quarter))
        div.grid {
            div.card { div.muted { (ctx.t("本季收入", "Income this quarter")) } div.stat #income { (yuan(d.income_fen)) } }
            div.card { div.muted { (ctx.t("本季支出", "Expenditure this quarter")) } div.stat #expense { (yuan(d.expense_fen)) } }
            div.card { div.muted { (ctx.t("期末结余", "Balance at quarter end")) } div.stat #closing { (yuan(d.closing_fen)) } }
        }
        h2 { (ctx.t("分资金收支", "By fund")) }
        div.table-wrap { table #by-fund {
            thead { tr { th { (ctx.t("资金", "Fund")) } th { (ctx.t("期初余额", "Opening")) } th { (ctx.t("收入", "Income")) } th { (ctx.t("支出", "Expenditure")) } th { (ctx.t("期末余额", "Closing")) } } }
            tbody {
                @for r in &d.rows { tr { td { (ctx.t(&r.label_zh, &r.label_en)) } td { (yuan(r.opening_fen)) } td { (yuan(r.income_fen)) } td { (yuan(r.expense_fen)) } td { (yuan(r.closing_fen)) } } }
                tr { th { (ctx.t("合计", "Total")) } th { (yuan(d.opening_fen)) } th { (yuan(d.income_fen)) } th { (yuan(d.expense_fen)) } th { (yuan(d.closing_fen)) } }
            }
        } }
        h2 { (ctx.t("大额支出（", "Large payments (")) (yuan(d.large_from_fen)) (ctx.t("元及以上）", " yuan and above)")) }
        @if d.large.is_empty() { p.muted { (ctx.t("本季度没有大额支出。", "No large payments this quarter.")) } } @else {
            div.table-wrap { table #large {
                thead { tr { th { (ctx.t("日期", "Date")) } th { (ctx.t("收款方", "Payee")) } th { (ctx.t("用途", "Purpose")) } th { (ctx.t("资金", "Fund")) } th { (ctx.t("金额", "Amount")) } } }
                tbody { @for p in &d.large { tr { td { (p.paid_on) } td { (p.payee) } td { (p.purpose) } td { (ctx.t(&p.fund_zh, &p.fund_en)) } td { (yuan(p.amount_fen)) } } } }
            } }
        }
        p.no-print { a href={"/communities/" (d.community_code) "/finance.xlsx?year=" (year) "&quarter=" (quarter)} { (ctx.t("下载Excel表格", "Download as Excel")) } }
    };
    page(&ctx, ctx.t("居务公开", "Public accounts"), body)
}

pub async fn public_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<QuarterQuery>,
) -> Response {
    let r = async {
        let d = act::disclosure(&state, &code, &q).await?;
        let bytes = fin::disclosure_xlsx(&d).map_err(ApiError::Internal)?;
        Ok::<_, ApiError>((d, bytes))
    }
    .await;
    match r {
        Ok((d, bytes)) => {
            let name = format!("attachment; filename=\"finance-{}-{}Q{}.xlsx\"", d.community_code, d.year, d.quarter);
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                    ),
                    (header::CONTENT_DISPOSITION, name),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => error_page(&ctx, e),
    }
}

/// Every community of the district side by side for a quarter.
pub async fn district(State(state): State<AppState>, ctx: Ctx, Query(q): Query<QuarterQuery>) -> Response {
    let v = match async { act::district_view(&state, ctx.me()?, &q).await }.await {
        Ok(v) => v,
        Err(e) => return error_page(&ctx, e),
    };
    let (d, year, quarter, rows) = (v.district, v.year, v.quarter, v.communities);
    let total = |f: fn(&Disclosure) -> i64| rows.iter().map(f).sum::<i64>();
    let body = html! {
        h1 { (ctx.t("各社区收支对比", "Communities side by side")) " · " (d) }
        p { strong { (quarter_name(ctx.lang, year, quarter)) } }
        (quarter_nav(&ctx, "/finance/district", year, quarter))
        div.table-wrap { table #district {
            thead { tr { th { (ctx.t("社区", "Community")) } th { (ctx.t("期初余额", "Opening")) } th { (ctx.t("收入", "Income")) } th { (ctx.t("支出", "Expenditure")) } th { (ctx.t("期末余额", "Closing")) } th { (ctx.t("大额支出笔数", "Large payments")) } } }
            tbody {
                @for r in &rows { tr {
                    td { a href={"/communities/" (r.community_code) "/finance?year=" (year) "&quarter=" (quarter)} { (r.community_name) } }
                    td { (yuan(r.opening_fen)) } td { (yuan(r.income_fen)) } td { (yuan(r.expense_fen)) } td { (yuan(r.closing_fen)) } td { (r.large.len()) }
                } }
                tr { th { (ctx.t("合计", "Total")) } th { (yuan(total(|r| r.opening_fen))) } th { (yuan(total(|r| r.income_fen))) } th { (yuan(total(|r| r.expense_fen))) } th { (yuan(total(|r| r.closing_fen))) } th {} }
            }
        } }
    };
    page(&ctx, ctx.t("各社区收支对比", "Communities side by side"), body)
}
