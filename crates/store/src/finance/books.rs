//! Reading the books: balances, transactions, and the public disclosure (居务公开).

use super::*;

// ----- reading the books ------------------------------------------------------------

/// A fund's money in a community's bank (normal side: what it holds).
#[derive(Debug, Clone, Serialize)]
pub struct FundBalance {
    /// The fund as requests name it (`operating`, `project:3`, …).
    pub fund: String,
    pub label_zh: String,
    pub label_en: String,
    pub account: String,
    pub balance_fen: i64,
}

fn fund_label(f: &FundClass, lines: &BTreeMap<String, String>) -> (String, String) {
    match f {
        FundClass::Project { project } if lines.contains_key(project) => {
            let t = &lines[project];
            (format!("项目经费：{t}"), format!("project funds: {t}"))
        }
        _ => {
            let l = f.label();
            (l.zh, l.en)
        }
    }
}

async fn line_titles(db: &Db, community: &str) -> Result<BTreeMap<String, String>> {
    Ok(crate::budgeting::budget_lines(db, community)
        .await?
        .into_iter()
        .map(|l| (format!("BL{}", l.id), l.title))
        .collect())
}

/// The bank balance of every fund of a community.
pub async fn fund_balances(db: &Db, community: &str, district: &str) -> Result<Vec<FundBalance>> {
    let lines = line_titles(db, community).await?;
    let entity = Entity::community(district, community);
    read(db, |l| {
        l.entity_accounts(&entity)
            .filter(|a| a.chart == ledger::chart::codes::BANK)
            .map(|a| {
                let (zh, en) = fund_label(&a.fund, &lines);
                FundBalance {
                    fund: fund_spec(&a.fund),
                    label_zh: zh,
                    label_en: en,
                    account: a.code.clone(),
                    balance_fen: a.kind.normal(l.balance(&a.code).unwrap_or(0)),
                }
            })
            .collect()
    })
    .await
}

/// One account with its balance.
#[derive(Debug, Clone, Serialize)]
pub struct AccountBalance {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: String,
    pub fund: String,
    pub community_code: Option<String>,
    pub district_code: String,
    /// Signed, debit positive.
    pub balance_fen: i64,
}

/// All accounts in scope (community, district or all).
pub async fn accounts(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<AccountBalance>> {
    read(db, |l| {
        l.accounts()
            .filter(|a| community.is_none_or(|c| a.community_code.as_deref() == Some(c)))
            .filter(|a| district.is_none_or(|d| a.district_code == d))
            .map(|a| AccountBalance {
                code: a.code.clone(),
                name_zh: a.name.zh.clone(),
                name_en: a.name.en.clone(),
                kind: kind_text(a.kind),
                fund: fund_spec(&a.fund),
                community_code: a.community_code.clone(),
                district_code: a.district_code.clone(),
                balance_fen: l.balance(&a.code).unwrap_or(0),
            })
            .collect()
    })
    .await
}

/// Recent transactions touching a community (or a district's books and all its communities).
pub async fn transactions(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
    limit: usize,
) -> Result<Vec<Transaction>> {
    read(db, |l| {
        l.transactions()
            .iter()
            .rev()
            .filter(|t| {
                t.postings.iter().any(|p| {
                    community.is_none_or(|c| p.community_code.as_deref() == Some(c))
                        && district.is_none_or(|d| p.district_code == d)
                })
            })
            .take(limit)
            .cloned()
            .collect()
    })
    .await
}

// ----- disclosure (居务公开) -----------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct FundRow {
    pub fund: String,
    pub label_zh: String,
    pub label_en: String,
    /// Money in the fund's bank account at the start and end of the quarter.
    pub opening_fen: i64,
    pub income_fen: i64,
    pub expense_fen: i64,
    pub closing_fen: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LargePayment {
    pub claim_id: i64,
    pub paid_on: String,
    pub payee: String,
    pub purpose: String,
    pub amount_fen: i64,
    pub fund_zh: String,
    pub fund_en: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Disclosure {
    pub community_code: String,
    pub community_name: String,
    pub district_code: String,
    pub year: i32,
    pub quarter: u8,
    pub from: String,
    pub to: String,
    pub rows: Vec<FundRow>,
    pub income_fen: i64,
    pub expense_fen: i64,
    pub opening_fen: i64,
    pub closing_fen: i64,
    /// Payments at or above this amount are listed one by one.
    pub large_from_fen: i64,
    pub large: Vec<LargePayment>,
}

/// The first and last day of a quarter.
pub fn quarter_range(year: i32, quarter: u8) -> Result<(ledger::Date, ledger::Date)> {
    let err = || bad("quarter", "年份或季度无效", "invalid year or quarter");
    if !(1..=4).contains(&quarter) {
        return Err(err());
    }
    let first = ledger::Date::from_ymd(year, quarter * 3 - 2, 1).ok_or_else(err)?;
    let last = Period::Month { year, month: quarter * 3 }.last_day().ok_or_else(err)?;
    Ok((first, last))
}

/// The current year and quarter (China Standard Time).
pub fn current_quarter() -> (i32, u8) {
    let t = today();
    (t.year(), (t.month() - 1) / 3 + 1)
}

/// Income and expenditure of a community by fund for one quarter, with the
/// large payments listed (rules §1.14: accounts must be published).
pub async fn disclosure(db: &Db, community: &str, year: i32, quarter: u8) -> Result<Disclosure> {
    let c = crate::structure::community(db, community).await?;
    let (from, to) = quarter_range(year, quarter)?;
    let lines = line_titles(db, &c.code).await?;
    let entity = Entity::community(&c.district_code, &c.code);
    let mut per_fund: BTreeMap<String, FundRow> = BTreeMap::new();
    let statements = read(db, |l| l.entity_statement(&entity, from, to)).await?.map_err(refusal)?;
    for s in statements {
        let spec = fund_spec(&s.fund);
        let (zh, en) = fund_label(&s.fund, &lines);
        let row = per_fund.entry(spec.clone()).or_insert_with(|| FundRow {
            fund: spec,
            label_zh: zh,
            label_en: en,
            opening_fen: 0,
            income_fen: 0,
            expense_fen: 0,
            closing_fen: 0,
        });
        match s.kind {
            AccountKind::Income => row.income_fen += s.credits - s.debits,
            AccountKind::Expense => row.expense_fen += s.debits - s.credits,
            AccountKind::Asset if s.account.starts_with(&format!("{}.", ledger::chart::codes::BANK)) => {
                row.opening_fen += s.opening;
                row.closing_fen += s.closing;
            }
            _ => {}
        }
    }
    let rows: Vec<FundRow> = per_fund.into_values().collect();
    let large_from_fen = second_approval_fen(db, &c.district_code).await?;
    let paid: Vec<Claim> = sqlx::query_as(
        "SELECT * FROM fin_claims WHERE community_code = $1 AND status = 'paid' AND paid_on >= $2 AND paid_on <= $3 AND amount_fen >= $4 ORDER BY paid_on, id",
    )
    .bind(&c.code)
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(large_from_fen)
    .fetch_all(&db.pool)
    .await?;
    let large = paid
        .into_iter()
        .map(|p| {
            let (zh, en) = p.fund_class().map(|f| fund_label(&f, &lines)).unwrap_or_default();
            LargePayment {
                claim_id: p.id,
                paid_on: p.paid_on.unwrap_or_default(),
                // Published: an individual payee's name masked, ID and phone numbers redacted (rules §6.4).
                payee: rules::redact::payee(&p.payee),
                purpose: rules::redact::text(&p.purpose),
                amount_fen: p.amount_fen,
                fund_zh: zh,
                fund_en: en,
            }
        })
        .collect();
    Ok(Disclosure {
        community_code: c.code.clone(),
        community_name: c.name.clone(),
        district_code: c.district_code.clone(),
        year,
        quarter,
        from: from.to_string(),
        to: to.to_string(),
        income_fen: rows.iter().map(|r| r.income_fen).sum(),
        expense_fen: rows.iter().map(|r| r.expense_fen).sum(),
        opening_fen: rows.iter().map(|r| r.opening_fen).sum(),
        closing_fen: rows.iter().map(|r| r.closing_fen).sum(),
        rows,
        large_from_fen,
        large,
    })
}

/// Every community of a district side by side for one quarter.
pub async fn district_overview(db: &Db, district: &str, year: i32, quarter: u8) -> Result<Vec<Disclosure>> {
    let mut out = Vec::new();
    for c in crate::structure::communities(db, Some(district)).await? {
        out.push(disclosure(db, &c.code, year, quarter).await?);
    }
    Ok(out)
}

/// The disclosure as an XLSX workbook: income and expenditure by fund, then the large payments.
pub fn disclosure_xlsx(d: &Disclosure) -> Result<Vec<u8>, String> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let money = |fen: i64| fen as f64 / 100.0;
    let ws = wb.add_worksheet();
    ws.set_name("收支公开").map_err(e)?;
    ws.write_string(
        0,
        0,
        format!("{} {}年第{}季度 收支情况（{}至{}）", d.community_name, d.year, d.quarter, d.from, d.to),
    )
    .map_err(e)?;
    let header = ["资金", "期初余额（元）", "收入（元）", "支出（元）", "期末余额（元）"];
    for (i, h) in header.iter().enumerate() {
        ws.write_string(2, i as u16, *h).map_err(e)?;
    }
    let mut r = 3u32;
    for row in &d.rows {
        ws.write_string(r, 0, &row.label_zh).map_err(e)?;
        for (i, v) in [row.opening_fen, row.income_fen, row.expense_fen, row.closing_fen].into_iter().enumerate() {
            ws.write_number(r, i as u16 + 1, money(v)).map_err(e)?;
        }
        r += 1;
    }
    ws.write_string(r, 0, "合计").map_err(e)?;
    for (i, v) in [d.opening_fen, d.income_fen, d.expense_fen, d.closing_fen].into_iter().enumerate() {
        ws.write_number(r, i as u16 + 1, money(v)).map_err(e)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("大额支出").map_err(e)?;
    for (i, h) in ["报账号", "支付日期", "收款方", "用途", "资金", "金额（元）"].iter().enumerate() {
        ws.write_string(0, i as u16, *h).map_err(e)?;
    }
    for (i, p) in d.large.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, p.claim_id as f64).map_err(e)?;
        ws.write_string(r, 1, &p.paid_on).map_err(e)?;
        ws.write_string(r, 2, &p.payee).map_err(e)?;
        ws.write_string(r, 3, &p.purpose).map_err(e)?;
        ws.write_string(r, 4, &p.fund_zh).map_err(e)?;
        ws.write_number(r, 5, money(p.amount_fen)).map_err(e)?;
    }
    wb.save_to_buffer().map_err(e)
}
