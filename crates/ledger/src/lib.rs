//! # ledger — double-entry books for Tongling's communities
//!
//! A pure engine (no I/O, no async): an in-memory [`Ledger`] that a storage
//! layer loads, checks against and persists.
//!
//! ## Why
//!
//! * 居组法 Art 16–17 (rules §1.14–1.15): a residents' committee must publish
//!   its income and expenditure accounts, and allowances and working funds
//!   must have a recorded source. Hence every transaction is kept for good,
//!   carries a memo and an optional `reference` (voucher, approval record), and
//!   statements and trial balances can be produced for any date.
//! * The 2010 Tongling reform (seed): each community has its own account, the
//!   district finance bureau funds it directly and spending goes through
//!   报账制 (reimbursement against vouchers); work handed down by a department
//!   brings its money (财随事走、费随事转). Hence per-community books, the
//!   [`flows`] (allocation, assistance funding per task, project budget lines,
//!   reimbursement, a resident unit's co-building money 共驻共建) and restricted funds that can only be spent on their task
//!   or project.
//!
//! ## Conventions
//!
//! * Money is integer fen ([`Fen`] = `i64`), **signed: debit positive, credit
//!   negative**; [`Yuan`] parses it from and prints it as yuan text.
//!   A balance is the sum of postings; [`AccountKind::normal`] views it from
//!   the account's normal side (debit for asset, receivable and expense;
//!   credit for liability, fund and income).
//! * Every account and posting carries `district_code` and `community_code`
//!   (`None` = the district's own books). An [`Entity`] is one such set of books.
//! * Dates are [`Date`] (days since 1970-01-01, serialized `YYYY-MM-DD`).
//!
//! ## Invariants (enforced by [`Ledger::post`], re-checked by [`Ledger::audit`])
//!
//! 1. Every transaction has ≥ 2 non-zero postings that sum to zero, and the
//!    postings of each entity in it sum to zero too; so the whole ledger, each
//!    district and each community always sum to zero.
//! 2. Nothing is edited or deleted. A correction is a reversal
//!    ([`Ledger::reverse`]): the exact negation, pointing at the original;
//!    a transaction is reversed at most once and reversals are not reversed.
//! 3. Idempotency: a request whose key was used before returns the first
//!    transaction's id and posts nothing; the same key with a different
//!    request is refused.
//! 4. Restricted money (assistance funds of a task, project funds of a
//!    project) can only leave its fund towards accounts of the same fund:
//!    an expense drawing on task X's money is an expense of task X.
//! 5. No floored account of a community (asset, receivable, fund, expense)
//!    is ever below zero on its normal side, at any date. Liabilities and income
//!    may be (an advance to a payee, a refund). District-level accounts are not floored.
//! 6. A balance equals the sum of its postings; per-account postings are date-ordered.
//! 7. Once an entity's period is closed (month or year, in order), nothing
//!    is posted on or before its last day for that entity.
//!
//! ## Storage
//!
//! Source data is [`LedgerSnapshot`]: chart, accounts, transactions (with
//! their postings) and closings; all plain serde data. Persist each item as
//! it is created (after [`Ledger::post`] returns an id, store
//! [`Ledger::transaction`]`(id)`; after [`Ledger::close_period`], the last of
//! [`Ledger::closings`]), and reload with [`Ledger::restore`], which replays
//! everything through the live checks.
#![forbid(unsafe_code)]

pub mod chart;
pub mod date;
pub mod error;
pub mod flows;
mod ledger;
pub mod model;
pub mod money;
mod snapshot;
pub mod statement;
mod validate;

pub use chart::{Chart, ChartEntry};
pub use date::Date;
pub use error::LedgerError;
pub use flows::Flow;
pub use ledger::{Check, Ledger};
pub use model::{
    Account, AccountKind, Closing, Entity, Fen, FundClass, MAX_AMOUNT, MAX_BALANCE, Msg, NewAccount, NewPosting,
    NewTransaction, Period, Posting, Side, Transaction, TxId,
};
pub use money::{MoneyError, Yuan};
pub use snapshot::LedgerSnapshot;
pub use statement::{Scope, Statement, StatementLine, TrialBalance, TrialBalanceRow};
