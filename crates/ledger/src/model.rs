//! Plain data: what a storage layer persists and an API serializes.
//!
//! Amounts are **signed integer fen**: a positive amount is a debit, a
//! negative amount a credit. An account's balance is the sum of its postings
//! (so a debit balance is positive). Each [`AccountKind`] has a *normal side*;
//! [`AccountKind::normal`] turns a signed balance into "how much the account
//! holds on its normal side".

use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Money in fen (分, 1/100 yuan). Signed: debit positive, credit negative.
pub type Fen = i64;

/// Largest absolute amount of a single posting: 10¹⁴ fen (one trillion yuan).
pub const MAX_AMOUNT: Fen = 100_000_000_000_000;
/// Largest absolute balance an account may reach: 10¹⁵ fen. Keeps every sum
/// the ledger forms far inside `i64`.
pub const MAX_BALANCE: Fen = 1_000_000_000_000_000;

/// A message in both of shequ's languages (the one type of every engine).
pub use rules::Msg;

/// Transaction id: dense, assigned by the ledger in posting order, starting at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TxId(pub u64);

impl fmt::Display for TxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Debit or credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Debit,
    Credit,
}

/// What an account is. The normal side and the floor follow from the kind:
///
/// | kind | normal side | may a community's account go below zero (on its normal side)? |
/// |---|---|---|
/// | `Asset` (bank, cash) | debit | no |
/// | `Receivable` | debit | no |
/// | `Expense` | debit | no (refunds cannot exceed spending) |
/// | `Fund` (equity, 净资产/基金) | credit | no |
/// | `Liability` (payable) | credit | yes: a debit balance is an advance to the payee |
/// | `Income` | credit | yes: a refund of income can exceed this period's income |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Asset,
    Receivable,
    Liability,
    Fund,
    Income,
    Expense,
}

impl AccountKind {
    pub const ALL: [AccountKind; 6] = [
        AccountKind::Asset,
        AccountKind::Receivable,
        AccountKind::Liability,
        AccountKind::Fund,
        AccountKind::Income,
        AccountKind::Expense,
    ];

    pub fn normal_side(self) -> Side {
        match self {
            AccountKind::Asset | AccountKind::Receivable | AccountKind::Expense => Side::Debit,
            AccountKind::Liability | AccountKind::Fund | AccountKind::Income => Side::Credit,
        }
    }

    /// +1 for debit-normal kinds, −1 for credit-normal kinds.
    pub fn normal_sign(self) -> i64 {
        match self.normal_side() {
            Side::Debit => 1,
            Side::Credit => -1,
        }
    }

    /// A signed (debit-positive) balance seen from this kind's normal side.
    pub fn normal(self, balance: Fen) -> Fen {
        balance * self.normal_sign()
    }

    /// Whether a community's account of this kind may hold less than zero on its normal side.
    pub fn may_go_below_zero(self) -> bool {
        matches!(self, AccountKind::Liability | AccountKind::Income)
    }

    pub fn label(self) -> Msg {
        match self {
            AccountKind::Asset => Msg::new("资产", "asset"),
            AccountKind::Receivable => Msg::new("应收款项", "receivable"),
            AccountKind::Liability => Msg::new("负债", "liability"),
            AccountKind::Fund => Msg::new("基金(净资产)", "fund (equity)"),
            AccountKind::Income => Msg::new("收入", "income"),
            AccountKind::Expense => Msg::new("支出", "expense"),
        }
    }
}

/// The fund an account belongs to. Assistance and project funds are
/// *restricted*: money in them may only be spent on their own task/project.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundClass {
    /// 公用经费: the community's operating money from the district allocation.
    Operating,
    /// 协助事项经费 for one task a department assigned (费随事转).
    Assistance { task: String },
    /// 项目经费 for one project.
    Project { project: String },
    /// 政府购买服务资金: service-purchase money (reported separately, not purpose-locked).
    ServicePurchase,
}

impl FundClass {
    pub fn assistance(task: impl Into<String>) -> FundClass {
        FundClass::Assistance { task: task.into() }
    }

    pub fn project(project: impl Into<String>) -> FundClass {
        FundClass::Project { project: project.into() }
    }

    /// Restricted funds may only be spent on their own task or project.
    pub fn is_restricted(&self) -> bool {
        matches!(self, FundClass::Assistance { .. } | FundClass::Project { .. })
    }

    pub fn label(&self) -> Msg {
        match self {
            FundClass::Operating => Msg::new("公用经费", "operating funds"),
            FundClass::Assistance { task } => {
                Msg::new(format!("协助事项经费(任务 {task})"), format!("assistance funds (task {task})"))
            }
            FundClass::Project { project } => {
                Msg::new(format!("项目经费(项目 {project})"), format!("project funds (project {project})"))
            }
            FundClass::ServicePurchase => Msg::new("购买服务资金", "service-purchase funds"),
        }
    }
}

/// Whose books an account is in: a community (社区), or the district itself
/// (区财政局 and the district's departments) when `community_code` is `None`.
/// Each entity's books balance on their own, and periods close per entity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entity {
    pub district_code: String,
    pub community_code: Option<String>,
}

impl Entity {
    pub fn community(district_code: impl Into<String>, community_code: impl Into<String>) -> Entity {
        Entity { district_code: district_code.into(), community_code: Some(community_code.into()) }
    }

    pub fn district(district_code: impl Into<String>) -> Entity {
        Entity { district_code: district_code.into(), community_code: None }
    }

    /// The community code, or the district code for the district's own books.
    pub fn code(&self) -> &str {
        self.community_code.as_deref().unwrap_or(&self.district_code)
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.community_code {
            Some(c) => write!(f, "{}/{}", self.district_code, c),
            None => write!(f, "{}", self.district_code),
        }
    }
}

/// A request to open an account. The chart entry is the longest prefix of
/// `code` (cut at '.') that is in the chart; the account's kind is that entry's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    /// Hierarchical code, e.g. `"1001.340705001001"` or `"1001.340705001001.A-T42"`.
    pub code: String,
    /// `None`: the chart entry's name followed by the fund's label.
    pub name: Option<Msg>,
    pub district_code: String,
    pub community_code: Option<String>,
    pub fund: FundClass,
}

/// An open account. Never deleted or edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub code: String,
    pub name: Msg,
    /// The chart entry this account sits under.
    pub chart: String,
    pub kind: AccountKind,
    pub fund: FundClass,
    pub district_code: String,
    pub community_code: Option<String>,
}

impl Account {
    pub fn entity(&self) -> Entity {
        Entity { district_code: self.district_code.clone(), community_code: self.community_code.clone() }
    }

    /// Whether the no-below-zero rule applies: a community's account of a kind
    /// that may not go below zero. District-level accounts are not floored.
    pub fn floored(&self) -> bool {
        self.community_code.is_some() && !self.kind.may_go_below_zero()
    }
}

/// One line of a transaction request. `amount` > 0 debits the account, < 0 credits it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NewPosting {
    pub account: String,
    pub amount: Fen,
}

impl NewPosting {
    /// Debit `fen` (pass a positive amount).
    pub fn debit(account: impl Into<String>, fen: Fen) -> NewPosting {
        NewPosting { account: account.into(), amount: fen }
    }

    /// Credit `fen` (pass a positive amount).
    pub fn credit(account: impl Into<String>, fen: Fen) -> NewPosting {
        NewPosting { account: account.into(), amount: fen.saturating_neg() }
    }
}

/// A transaction request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NewTransaction {
    /// Idempotency key: posting the same key again returns the first transaction's id.
    pub key: String,
    pub date: Date,
    pub memo: String,
    /// Voucher or approval reference (报账凭证号, 居民会议 decision, department task approval).
    pub reference: Option<String>,
    /// Set on a reversal: the transaction this one negates.
    pub reverses: Option<TxId>,
    pub postings: Vec<NewPosting>,
}

/// A posted line. Carries its account's fund and entity codes so that each
/// row can be stored and queried on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub account: String,
    pub amount: Fen,
    pub fund: FundClass,
    pub district_code: String,
    pub community_code: Option<String>,
}

/// A posted transaction. Never edited or deleted; corrected by a reversal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    pub id: TxId,
    pub key: String,
    pub date: Date,
    pub memo: String,
    pub reference: Option<String>,
    pub reverses: Option<TxId>,
    pub postings: Vec<Posting>,
}

impl Transaction {
    /// The request this transaction was posted from (e.g. to retry it).
    pub fn request(&self) -> NewTransaction {
        NewTransaction {
            key: self.key.clone(),
            date: self.date,
            memo: self.memo.clone(),
            reference: self.reference.clone(),
            reverses: self.reverses,
            postings: self
                .postings
                .iter()
                .map(|p| NewPosting { account: p.account.clone(), amount: p.amount })
                .collect(),
        }
    }

    /// Whether `req` is the same request (same key and content).
    pub fn same_request(&self, req: &NewTransaction) -> bool {
        self.key == req.key
            && self.date == req.date
            && self.memo == req.memo
            && self.reference == req.reference
            && self.reverses == req.reverses
            && self.postings.len() == req.postings.len()
            && self.postings.iter().zip(&req.postings).all(|(p, q)| p.account == q.account && p.amount == q.amount)
    }
}

/// An accounting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month { year: i32, month: u8 },
    Year { year: i32 },
}

impl Period {
    pub fn first_day(self) -> Option<Date> {
        match self {
            Period::Month { year, month } => Date::from_ymd(year, month, 1),
            Period::Year { year } => Date::from_ymd(year, 1, 1),
        }
    }

    pub fn last_day(self) -> Option<Date> {
        match self {
            Period::Month { year, month } => Date::from_ymd(year, month, crate::date::days_in_month(year, month)),
            Period::Year { year } => Date::from_ymd(year, 12, 31),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Period::Year { year } => write!(f, "{year:04}"),
        }
    }
}

/// A period close: the entity's books are locked through `through`
/// (the period's last day, and everything before it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub entity: Entity,
    pub period: Period,
    pub through: Date,
    /// How many transactions the ledger held when the period was closed.
    pub after_tx: u64,
    /// A reopening (L-REOPEN): the books are open again from the period's first
    /// day, and `through` is the day before it.
    #[serde(default)]
    pub reopened: bool,
}

impl Period {
    /// L-ENDED: a period closes only once it has ended (its last day is before `today`).
    pub fn check_ended(self, today: Date) -> Result<(), crate::LedgerError> {
        match self.last_day() {
            Some(last) if last < today => Ok(()),
            Some(_) => Err(crate::LedgerError::PeriodNotEnded { period: self }),
            None => Err(crate::LedgerError::InvalidPeriod { period: self }),
        }
    }
}
