//! The money flows of a Tongling community, as transaction builders.
//!
//! After the 2010 reform the district finance bureau funds each community
//! directly into its own account and the community spends by 报账制
//! (reimbursement against vouchers); work a department hands down brings its
//! money with it (财随事走、费随事转). Each builder returns a [`Flow`]: the
//! accounts it needs (opened on demand by [`Ledger::post_flow`]) and a
//! [`NewTransaction`] in which the district's and the community's books each
//! balance on their own.
//!
//! Account codes follow `chart.entity[.unit-or-payee][.fund]`, where the fund
//! suffix is empty for operating money, `A-<task>`, `P-<project>` or `S`
//! (see [`account_code`]). Task, project, unit and payee ids must be valid code
//! segments (ASCII letters, digits, '-' and '_').

use crate::chart::codes;
use crate::date::Date;
use crate::error::LedgerError;
use crate::ledger::{Check, Ledger};
use crate::model::{Account, Fen, FundClass, MAX_AMOUNT, NewAccount, NewPosting, NewTransaction, TxId};
use serde::{Deserialize, Serialize};

/// Accounts a transaction needs, and the transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    pub accounts: Vec<NewAccount>,
    pub tx: NewTransaction,
}

/// Who pays on the district side: the district's code and the paying unit
/// (e.g. `"czj"` for the finance bureau 财政局, `"mzj"` for civil affairs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    pub district_code: String,
    pub unit: String,
}

/// Fields every flow carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub key: String,
    pub date: Date,
    pub memo: String,
    pub reference: Option<String>,
}

/// District → community operating account (区财政核拨公用经费).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub meta: Meta,
    pub payer: Payer,
    pub community_code: String,
    pub amount: Fen,
    /// `Operating` or `ServicePurchase`; restricted money goes through
    /// [`assistance_funding`] or [`project_budget`].
    pub fund: FundClass,
}

/// Paying department → the community's restricted account for one task (费随事转).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistanceFunding {
    pub meta: Meta,
    pub payer: Payer,
    pub community_code: String,
    pub task: String,
    pub amount: Fen,
}

/// Where a project budget line's money comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectSource {
    District(Payer),
    /// Earmarked from the community's own operating money.
    CommunityOperating,
}

/// A project budget line into the community's restricted project account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectBudget {
    pub meta: Meta,
    pub district_code: String,
    pub community_code: String,
    pub project: String,
    pub amount: Fen,
    pub source: ProjectSource,
}

/// How a reimbursement is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    /// Paid from the fund's bank account now.
    Bank,
    /// Booked as owed to the payee, paid later by [`payable_payment`].
    Payable,
}

/// 报账: an approved claim charged to one fund of the community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reimbursement {
    pub meta: Meta,
    pub district_code: String,
    pub community_code: String,
    /// The fund drawn on; the expense is booked to the same fund, so a claim
    /// on a task's money is by construction an expense of that task.
    pub fund: FundClass,
    pub payee: String,
    pub amount: Fen,
    pub settlement: Settlement,
    /// Expense chart code; `None`: the standard one for the fund.
    pub expense_chart: Option<String>,
}

/// Pay what a community owes a payee from the fund's bank account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayablePayment {
    pub meta: Meta,
    pub district_code: String,
    pub community_code: String,
    pub fund: FundClass,
    pub payee: String,
    pub amount: Fen,
}

/// 共驻共建: a resident unit's money for the community under its signed
/// co-building agreement, into one of the community's funds. Only the
/// community's books move (the unit keeps no books here): Dr the fund's bank,
/// Cr the fund's 共建单位资金收入.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitContribution {
    pub meta: Meta,
    pub district_code: String,
    pub community_code: String,
    pub fund: FundClass,
    pub amount: Fen,
}

/// The fund's suffix in account codes.
pub fn fund_suffix(fund: &FundClass) -> Option<String> {
    match fund {
        FundClass::Operating => None,
        FundClass::Assistance { task } => Some(format!("A-{task}")),
        FundClass::Project { project } => Some(format!("P-{project}")),
        FundClass::ServicePurchase => Some("S".into()),
    }
}

/// `chart.entity[.middle][.fund]`.
pub fn account_code(chart: &str, entity_code: &str, middle: Option<&str>, fund: &FundClass) -> String {
    let mut code = format!("{chart}.{entity_code}");
    for part in [middle.map(str::to_string), fund_suffix(fund)].into_iter().flatten() {
        code.push('.');
        code.push_str(&part);
    }
    code
}

/// A community account under `chart` for `fund` (payee accounts pass `middle`).
pub fn community_account(
    chart: &str,
    district_code: &str,
    community_code: &str,
    middle: Option<&str>,
    fund: &FundClass,
) -> NewAccount {
    NewAccount {
        code: account_code(chart, community_code, middle, fund),
        name: None,
        district_code: district_code.into(),
        community_code: Some(community_code.into()),
        fund: fund.clone(),
    }
}

/// A district-level operating account of a paying unit.
pub fn district_account(chart: &str, payer: &Payer) -> NewAccount {
    NewAccount {
        code: account_code(chart, &payer.district_code, Some(&payer.unit), &FundClass::Operating),
        name: None,
        district_code: payer.district_code.clone(),
        community_code: None,
        fund: FundClass::Operating,
    }
}

/// The standard income and expense chart codes for a fund.
pub fn standard_charts(fund: &FundClass) -> (&'static str, &'static str) {
    match fund {
        FundClass::Operating => (codes::INCOME_ALLOCATION, codes::EXPENSE_OPERATING),
        FundClass::Assistance { .. } => (codes::INCOME_ASSISTANCE, codes::EXPENSE_ASSISTANCE),
        FundClass::Project { .. } => (codes::INCOME_PROJECT, codes::EXPENSE_PROJECT),
        FundClass::ServicePurchase => (codes::INCOME_SERVICE, codes::EXPENSE_SERVICE),
    }
}

fn positive(amount: Fen, what: &str) -> Result<(), LedgerError> {
    if amount > 0 && amount <= MAX_AMOUNT {
        Ok(())
    } else {
        Err(LedgerError::AmountOutOfRange { account: what.into(), amount })
    }
}

/// Debit `to`, credit `from`.
fn transfer(to: &NewAccount, from: &NewAccount, amount: Fen) -> Vec<NewPosting> {
    vec![NewPosting::debit(&to.code, amount), NewPosting::credit(&from.code, amount)]
}

fn new_tx(meta: &Meta, postings: Vec<NewPosting>) -> NewTransaction {
    NewTransaction {
        key: meta.key.clone(),
        date: meta.date,
        memo: meta.memo.clone(),
        reference: meta.reference.clone(),
        reverses: None,
        postings,
    }
}

/// District pays a community into the community's `fund` bank account:
/// district books Dr transfers / Cr the unit's bank; community books Dr bank / Cr income.
fn district_to_community(
    meta: &Meta,
    payer: &Payer,
    community_code: &str,
    fund: &FundClass,
    amount: Fen,
) -> Result<Flow, LedgerError> {
    let d = &payer.district_code;
    let d_exp = district_account(codes::DISTRICT_TRANSFERS, payer);
    let d_bank = district_account(codes::BANK, payer);
    positive(amount, &d_bank.code)?;
    let c_bank = community_account(codes::BANK, d, community_code, None, fund);
    let c_income = community_account(standard_charts(fund).0, d, community_code, None, fund);
    let mut postings = transfer(&d_exp, &d_bank, amount);
    postings.extend(transfer(&c_bank, &c_income, amount));
    Ok(Flow { accounts: vec![d_exp, d_bank, c_bank, c_income], tx: new_tx(meta, postings) })
}

/// District finance bureau → community operating (or service-purchase) account.
pub fn allocation(a: &Allocation) -> Result<Flow, LedgerError> {
    if a.fund.is_restricted() {
        return Err(LedgerError::InvalidAccount { account: a.fund.label().en });
    }
    district_to_community(&a.meta, &a.payer, &a.community_code, &a.fund, a.amount)
}

/// Paying department → community's restricted assistance account for the task.
pub fn assistance_funding(a: &AssistanceFunding) -> Result<Flow, LedgerError> {
    district_to_community(&a.meta, &a.payer, &a.community_code, &FundClass::assistance(&a.task), a.amount)
}

/// A project budget line into the community's restricted project account.
pub fn project_budget(p: &ProjectBudget) -> Result<Flow, LedgerError> {
    let fund = FundClass::project(&p.project);
    match &p.source {
        ProjectSource::District(payer) => {
            if payer.district_code != p.district_code {
                return Err(LedgerError::InvalidAccount { account: payer.district_code.clone() });
            }
            district_to_community(&p.meta, payer, &p.community_code, &fund, p.amount)
        }
        ProjectSource::CommunityOperating => {
            let to = community_account(codes::BANK, &p.district_code, &p.community_code, None, &fund);
            let from = community_account(codes::BANK, &p.district_code, &p.community_code, None, &FundClass::Operating);
            positive(p.amount, &from.code)?;
            let postings = transfer(&to, &from, p.amount);
            Ok(Flow { accounts: vec![to, from], tx: new_tx(&p.meta, postings) })
        }
    }
}

/// 报账: Dr the fund's expense, Cr the fund's bank (or the payee's payable).
pub fn reimbursement(r: &Reimbursement) -> Result<Flow, LedgerError> {
    let (d, c) = (&r.district_code, &r.community_code);
    let chart = r.expense_chart.as_deref().unwrap_or(standard_charts(&r.fund).1);
    let expense = community_account(chart, d, c, None, &r.fund);
    let from = match r.settlement {
        Settlement::Bank => community_account(codes::BANK, d, c, None, &r.fund),
        Settlement::Payable => community_account(codes::PAYABLE, d, c, Some(&r.payee), &r.fund),
    };
    positive(r.amount, &from.code)?;
    let postings = transfer(&expense, &from, r.amount);
    Ok(Flow { accounts: vec![expense, from], tx: new_tx(&r.meta, postings) })
}

/// Dr the payee's payable, Cr the fund's bank.
pub fn payable_payment(p: &PayablePayment) -> Result<Flow, LedgerError> {
    let (d, c) = (&p.district_code, &p.community_code);
    let payable = community_account(codes::PAYABLE, d, c, Some(&p.payee), &p.fund);
    let bank = community_account(codes::BANK, d, c, None, &p.fund);
    positive(p.amount, &bank.code)?;
    let postings = transfer(&payable, &bank, p.amount);
    Ok(Flow { accounts: vec![payable, bank], tx: new_tx(&p.meta, postings) })
}

/// A unit's co-building money: Dr the fund's bank, Cr its co-building income.
pub fn unit_contribution(u: &UnitContribution) -> Result<Flow, LedgerError> {
    let (d, c) = (&u.district_code, &u.community_code);
    let bank = community_account(codes::BANK, d, c, None, &u.fund);
    let income = community_account(codes::INCOME_CO_BUILDING, d, c, None, &u.fund);
    positive(u.amount, &bank.code)?;
    let postings = transfer(&bank, &income, u.amount);
    Ok(Flow { accounts: vec![bank, income], tx: new_tx(&u.meta, postings) })
}

impl Ledger {
    /// Pure check of a flow: its accounts can be opened (or already exist
    /// unchanged) and its transaction would post.
    pub fn check_flow(&self, flow: &Flow) -> Result<Check, LedgerError> {
        let mut extra: Vec<Account> = Vec::new();
        for new in &flow.accounts {
            let account = self.account_for(new)?;
            match self.account(&account.code) {
                Some(existing) => {
                    let same = existing.fund == account.fund
                        && existing.kind == account.kind
                        && existing.district_code == account.district_code
                        && existing.community_code == account.community_code;
                    if !same {
                        return Err(LedgerError::AccountConflict { account: account.code });
                    }
                }
                None if extra.iter().any(|a| a.code == account.code) => {}
                None => extra.push(account),
            }
        }
        self.check_with(&flow.tx, &extra)
    }

    /// Open the flow's missing accounts and post its transaction; nothing
    /// changes if the check fails. A retry returns the original id.
    pub fn post_flow(&mut self, flow: Flow) -> Result<TxId, LedgerError> {
        match self.check_flow(&flow)? {
            Check::AlreadyPosted(id) => Ok(id),
            Check::WillPost => {
                for new in flow.accounts {
                    self.ensure_account(new)?;
                }
                Ok(self.apply(flow.tx))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Chart;

    fn contribution(amount: Fen) -> UnitContribution {
        UnitContribution {
            meta: Meta {
                key: "cb-1".into(),
                date: "2026-03-01".parse().unwrap(),
                memo: "共建".into(),
                reference: None,
            },
            district_code: "340705".into(),
            community_code: "340705402".into(),
            fund: FundClass::Operating,
            amount,
        }
    }

    #[test]
    fn a_units_contribution_is_income_of_the_communitys_fund() {
        let mut l = Ledger::new(Chart::standard());
        l.post_flow(unit_contribution(&contribution(500_000)).unwrap()).unwrap();
        assert_eq!(l.balance("1001.340705402").unwrap(), 500_000);
        assert_eq!(l.balance("4005.340705402").unwrap(), -500_000);
    }

    #[test]
    fn a_units_contribution_of_nothing_is_refused() {
        assert!(matches!(unit_contribution(&contribution(0)), Err(LedgerError::AmountOutOfRange { .. })));
        assert!(matches!(unit_contribution(&contribution(-1)), Err(LedgerError::AmountOutOfRange { .. })));
    }
}
