//! Refusals. Every refusal names its reason and can be shown in Chinese and
//! English ([`LedgerError::msg`]); [`LedgerError::code`] is a stable
//! machine-readable name for API clients and translation keys.

use crate::date::Date;
use crate::model::{Entity, Fen, FundClass, Msg, Period, TxId};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum LedgerError {
    /// The idempotency key is empty.
    EmptyKey,
    /// The key was already used for a different request.
    IdempotencyConflict {
        key: String,
        original: TxId,
    },
    /// Fewer than two postings.
    TooFewPostings {
        count: usize,
    },
    /// A posting of zero fen.
    ZeroAmount {
        account: String,
    },
    /// A posting larger than [`crate::MAX_AMOUNT`], or a flow amount that is not positive.
    AmountOutOfRange {
        account: String,
        amount: Fen,
    },
    /// The account would exceed [`crate::MAX_BALANCE`].
    BalanceOutOfRange {
        account: String,
    },
    UnknownAccount {
        account: String,
    },
    /// Debits and credits differ (`sum` = debits − credits).
    Unbalanced {
        sum: Fen,
    },
    /// The postings of one entity (a community or the district) do not balance.
    EntityUnbalanced {
        entity: Entity,
        sum: Fen,
    },
    /// Restricted money left its fund for something else.
    RestrictedFundMisuse {
        fund: FundClass,
        account: String,
        amount: Fen,
    },
    /// A floored account would go below zero.
    Overdraw {
        account: String,
        available: Fen,
        needed: Fen,
    },
    /// The date lies in a closed period of an entity the transaction touches.
    PeriodClosed {
        entity: Entity,
        date: Date,
        closed_through: Date,
    },
    UnknownTransaction {
        id: TxId,
    },
    AlreadyReversed {
        id: TxId,
        by: TxId,
    },
    /// Reversals are not themselves reversed; post a new transaction instead.
    ReversalOfReversal {
        id: TxId,
    },
    /// A reversal's postings must be exactly the negation of the original's.
    NotExactReversal {
        id: TxId,
    },
    ReversalBeforeOriginal {
        id: TxId,
        original_date: Date,
    },
    InvalidCode {
        code: String,
    },
    UnknownChartCode {
        code: String,
    },
    DuplicateChartCode {
        code: String,
    },
    ChartKindMismatch {
        code: String,
        parent: String,
    },
    /// An account with this code exists with different content.
    AccountConflict {
        account: String,
    },
    /// District or community code empty, or a task/project id empty.
    InvalidAccount {
        account: String,
    },
    InvalidPeriod {
        period: Period,
    },
    PeriodAlreadyClosed {
        entity: Entity,
        closed_through: Date,
    },
    /// The period has not ended yet (its last day is today or later): only ended periods close.
    PeriodNotEnded {
        period: Period,
    },
    /// A period reopened that is not closed.
    PeriodNotClosed {
        entity: Entity,
        period: Period,
    },
    /// `from` after `to`.
    InvalidRange {
        from: Date,
        to: Date,
    },
    /// A snapshot that does not replay to a valid ledger.
    Corrupt {
        reason: String,
    },
}

impl LedgerError {
    /// Stable machine-readable name (also the value of the serde tag `error`).
    pub fn code(&self) -> &'static str {
        use LedgerError::*;
        match self {
            EmptyKey => "empty_key",
            IdempotencyConflict { .. } => "idempotency_conflict",
            TooFewPostings { .. } => "too_few_postings",
            ZeroAmount { .. } => "zero_amount",
            AmountOutOfRange { .. } => "amount_out_of_range",
            BalanceOutOfRange { .. } => "balance_out_of_range",
            UnknownAccount { .. } => "unknown_account",
            Unbalanced { .. } => "unbalanced",
            EntityUnbalanced { .. } => "entity_unbalanced",
            RestrictedFundMisuse { .. } => "restricted_fund_misuse",
            Overdraw { .. } => "overdraw",
            PeriodClosed { .. } => "period_closed",
            UnknownTransaction { .. } => "unknown_transaction",
            AlreadyReversed { .. } => "already_reversed",
            ReversalOfReversal { .. } => "reversal_of_reversal",
            NotExactReversal { .. } => "not_exact_reversal",
            ReversalBeforeOriginal { .. } => "reversal_before_original",
            InvalidCode { .. } => "invalid_code",
            UnknownChartCode { .. } => "unknown_chart_code",
            DuplicateChartCode { .. } => "duplicate_chart_code",
            ChartKindMismatch { .. } => "chart_kind_mismatch",
            AccountConflict { .. } => "account_conflict",
            InvalidAccount { .. } => "invalid_account",
            InvalidPeriod { .. } => "invalid_period",
            PeriodAlreadyClosed { .. } => "period_already_closed",
            PeriodNotEnded { .. } => "period_not_ended",
            PeriodNotClosed { .. } => "period_not_closed",
            InvalidRange { .. } => "invalid_range",
            Corrupt { .. } => "corrupt",
        }
    }

    /// The reason in Chinese and English.
    pub fn msg(&self) -> Msg {
        use LedgerError::*;
        let m = |zh: String, en: String| Msg { zh, en };
        match self {
            EmptyKey => m("缺少幂等键".into(), "the idempotency key is empty".into()),
            IdempotencyConflict { key, original } => m(
                format!("幂等键“{key}”已用于另一笔内容不同的交易 {original}"),
                format!("idempotency key {key:?} was already used for a different transaction {original}"),
            ),
            TooFewPostings { count } => m(
                format!("复式记账至少需要两条分录,本笔只有 {count} 条"),
                format!("double entry needs at least two postings, got {count}"),
            ),
            ZeroAmount { account } => {
                m(format!("账户 {account} 的分录金额为零"), format!("posting to {account} has a zero amount"))
            }
            AmountOutOfRange { account, amount } => m(
                format!("账户 {account} 的金额 {amount} 分超出允许范围"),
                format!("amount {amount} fen for {account} is out of range"),
            ),
            BalanceOutOfRange { account } => m(
                format!("账户 {account} 的余额将超出允许范围"),
                format!("the balance of {account} would be out of range"),
            ),
            UnknownAccount { account } => m(format!("账户 {account} 不存在"), format!("unknown account {account}")),
            Unbalanced { sum } => {
                m(format!("借贷不平衡:借方减贷方为 {sum} 分"), format!("debits and credits differ by {sum} fen"))
            }
            EntityUnbalanced { entity, sum } => m(
                format!("{entity} 的账目借贷不平衡(差 {sum} 分),每个社区和区本级须各自平衡"),
                format!(
                    "the books of {entity} do not balance (off by {sum} fen); each community and the district must balance on its own"
                ),
            ),
            RestrictedFundMisuse { fund, account, amount } => {
                let l = fund.label();
                m(
                    format!(
                        "{}只能用于本事项:从账户 {account} 划出的 {amount} 分未记入同一事项(财随事走、费随事转)",
                        l.zh
                    ),
                    format!(
                        "{} may only be spent on their own purpose: {amount} fen leaving {account} is not booked to the same task/project",
                        l.en
                    ),
                )
            }
            Overdraw { account, available, needed } => m(
                format!("账户 {account} 余额不足:可用 {available} 分,需要 {needed} 分"),
                format!("account {account} would be overdrawn: {available} fen available, {needed} fen needed"),
            ),
            PeriodClosed { entity, date, closed_through } => m(
                format!("{entity} 已结账至 {closed_through},不能记入 {date} 的交易"),
                format!("{entity} is closed through {closed_through}; cannot post on {date}"),
            ),
            UnknownTransaction { id } => m(format!("交易 {id} 不存在"), format!("unknown transaction {id}")),
            AlreadyReversed { id, by } => {
                m(format!("交易 {id} 已由 {by} 冲销"), format!("transaction {id} was already reversed by {by}"))
            }
            ReversalOfReversal { id } => m(
                format!("交易 {id} 本身是冲销,不能再冲销;请另记一笔新交易"),
                format!("transaction {id} is a reversal and cannot be reversed; post a new transaction instead"),
            ),
            NotExactReversal { id } => m(
                format!("冲销必须与交易 {id} 的分录完全相反"),
                format!("a reversal must be the exact negation of transaction {id}"),
            ),
            ReversalBeforeOriginal { id, original_date } => m(
                format!("冲销日期不能早于原交易 {id} 的日期 {original_date}"),
                format!("a reversal cannot be dated before the original {id} ({original_date})"),
            ),
            InvalidCode { code } => m(format!("代码“{code}”格式无效"), format!("invalid code {code:?}")),
            UnknownChartCode { code } => {
                m(format!("会计科目 {code} 不存在"), format!("no chart-of-accounts entry for {code}"))
            }
            DuplicateChartCode { code } => {
                m(format!("会计科目 {code} 已存在"), format!("chart code {code} already exists"))
            }
            ChartKindMismatch { code, parent } => m(
                format!("科目 {code} 的类别必须与上级科目 {parent} 相同"),
                format!("chart code {code} must have the same kind as its parent {parent}"),
            ),
            AccountConflict { account } => m(
                format!("账户 {account} 已存在且内容不同"),
                format!("account {account} already exists with different content"),
            ),
            InvalidAccount { account } => m(
                format!("账户 {account} 的区、社区代码或事项编号无效"),
                format!("account {account} has an empty district, community, task or project code"),
            ),
            InvalidPeriod { period } => m(format!("会计期间 {period} 无效"), format!("invalid period {period}")),
            PeriodAlreadyClosed { entity, closed_through } => m(
                format!("{entity} 已结账至 {closed_through}"),
                format!("{entity} is already closed through {closed_through}"),
            ),
            PeriodNotEnded { period } => m(
                format!("会计期间 {period} 尚未结束，只能结已结束的期间"),
                format!("period {period} has not ended; only ended periods close"),
            ),
            PeriodNotClosed { entity, period } => {
                m(format!("{entity} 的 {period} 尚未结账，无需重开"), format!("{entity} {period} is not closed"))
            }
            InvalidRange { from, to } => {
                m(format!("起始日期 {from} 晚于截止日期 {to}"), format!("start date {from} is after end date {to}"))
            }
            Corrupt { reason } => m(format!("账簿数据损坏:{reason}"), format!("corrupt ledger data: {reason}")),
        }
    }
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.msg(), f)
    }
}

impl std::error::Error for LedgerError {}
