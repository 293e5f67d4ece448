//! Read side: balances, account statements and trial balances at any date.
//! All amounts are signed fen, debit positive (see [`crate::model`]).

use crate::date::Date;
use crate::error::LedgerError;
use crate::ledger::{AccountState, Ledger};
use crate::model::{AccountKind, Entity, Fen, FundClass, TxId};
use serde::{Deserialize, Serialize};

/// One posting in a statement, with the running balance after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub date: Date,
    pub tx: TxId,
    pub amount: Fen,
    pub balance: Fen,
}

/// An account's statement for `from..=to`: `closing = opening + debits − credits`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub account: String,
    pub kind: AccountKind,
    pub fund: FundClass,
    pub from: Date,
    pub to: Date,
    /// Balance at the end of the day before `from`.
    pub opening: Fen,
    pub lines: Vec<StatementLine>,
    /// Sum of debit postings in range (≥ 0).
    pub debits: Fen,
    /// Sum of credit postings in range, as a positive number.
    pub credits: Fen,
    /// Balance at the end of `to`.
    pub closing: Fen,
}

/// Which accounts a trial balance covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    All,
    /// The district's own books and those of all its communities.
    District(String),
    /// One community's or the district's own books.
    Entity(Entity),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialBalanceRow {
    pub account: String,
    pub kind: AccountKind,
    pub fund: FundClass,
    pub district_code: String,
    pub community_code: Option<String>,
    /// The balance if it is a debit balance, else 0.
    pub debit: Fen,
    /// The balance as a positive number if it is a credit balance, else 0.
    pub credit: Fen,
}

/// Balances of all accounts in scope at the end of `as_of`, by account code.
/// `total_debit == total_credit` whenever every entity's books balance, which the ledger enforces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialBalance {
    pub as_of: Date,
    pub rows: Vec<TrialBalanceRow>,
    pub total_debit: Fen,
    pub total_credit: Fen,
}

impl AccountState {
    /// Balance at the end of `date`; sums whichever side of the date is shorter.
    fn balance_at(&self, date: Date) -> Fen {
        let cut = self.entries.partition_point(|e| e.date <= date);
        if cut * 2 >= self.entries.len() {
            self.balance - self.entries[cut..].iter().map(|e| e.amount).sum::<Fen>()
        } else {
            self.entries[..cut].iter().map(|e| e.amount).sum()
        }
    }
}

impl Ledger {
    fn state(&self, code: &str) -> Result<&AccountState, LedgerError> {
        self.by_code
            .get(code)
            .map(|&i| &self.accounts[i])
            .ok_or_else(|| LedgerError::UnknownAccount { account: code.into() })
    }

    /// Current balance (all postings, whatever their date).
    pub fn balance(&self, code: &str) -> Result<Fen, LedgerError> {
        Ok(self.state(code)?.balance)
    }

    /// Balance at the end of `date`.
    pub fn balance_at(&self, code: &str, date: Date) -> Result<Fen, LedgerError> {
        Ok(self.state(code)?.balance_at(date))
    }

    /// Statement of one account for `from..=to`.
    pub fn statement(&self, code: &str, from: Date, to: Date) -> Result<Statement, LedgerError> {
        if from > to {
            return Err(LedgerError::InvalidRange { from, to });
        }
        Ok(statement_of(self.state(code)?, from, to))
    }

    /// Statements of all accounts of an entity (e.g. a community's year), by account code.
    pub fn entity_statement(&self, entity: &Entity, from: Date, to: Date) -> Result<Vec<Statement>, LedgerError> {
        if from > to {
            return Err(LedgerError::InvalidRange { from, to });
        }
        let Some(&e) = self.entity_idx.get(entity) else { return Ok(Vec::new()) };
        let mut out: Vec<Statement> =
            self.entities[e].accounts.iter().map(|&i| statement_of(&self.accounts[i], from, to)).collect();
        out.sort_by(|a, b| a.account.cmp(&b.account));
        Ok(out)
    }

    /// Trial balance of the accounts in `scope` at the end of `as_of`.
    pub fn trial_balance(&self, scope: &Scope, as_of: Date) -> TrialBalance {
        let in_scope = |e: &Entity| match scope {
            Scope::All => true,
            Scope::District(d) => e.district_code == *d,
            Scope::Entity(x) => e == x,
        };
        let mut rows = Vec::new();
        let (mut total_debit, mut total_credit) = (0, 0);
        for ent in self.entities.iter().filter(|e| in_scope(&e.entity)) {
            for &i in &ent.accounts {
                let s = &self.accounts[i];
                let b = s.balance_at(as_of);
                let (debit, credit) = if b >= 0 { (b, 0) } else { (0, -b) };
                total_debit += debit;
                total_credit += credit;
                let a = &s.account;
                rows.push(TrialBalanceRow {
                    account: a.code.clone(),
                    kind: a.kind,
                    fund: a.fund.clone(),
                    district_code: a.district_code.clone(),
                    community_code: a.community_code.clone(),
                    debit,
                    credit,
                });
            }
        }
        rows.sort_by(|a, b| a.account.cmp(&b.account));
        TrialBalance { as_of, rows, total_debit, total_credit }
    }
}

fn statement_of(s: &AccountState, from: Date, to: Date) -> Statement {
    let start = s.entries.partition_point(|e| e.date < from);
    let end = start + s.entries[start..].partition_point(|e| e.date <= to);
    let opening = if start * 2 >= s.entries.len() {
        s.balance - s.entries[start..].iter().map(|e| e.amount).sum::<Fen>()
    } else {
        s.entries[..start].iter().map(|e| e.amount).sum()
    };
    let (mut balance, mut debits, mut credits) = (opening, 0, 0);
    let lines = s.entries[start..end]
        .iter()
        .map(|e| {
            balance += e.amount;
            if e.amount > 0 {
                debits += e.amount;
            } else {
                credits -= e.amount;
            }
            StatementLine { date: e.date, tx: e.tx, amount: e.amount, balance }
        })
        .collect();
    Statement {
        account: s.account.code.clone(),
        kind: s.account.kind,
        fund: s.account.fund.clone(),
        from,
        to,
        opening,
        lines,
        debits,
        credits,
        closing: balance,
    }
}
