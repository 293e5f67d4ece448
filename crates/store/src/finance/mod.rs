//! Community finance (社区财务): the `ledger` engine's books persisted, the
//! money flows of the 2010 reform (district allocation 核拨, reimbursement
//! 报账 with its approval chain, project funds from resident-chosen budget
//! lines) and the quarterly disclosure (居务公开, rules §1.14–1.15).
//!
//! The engine is the only judge of a posting. The store keeps its source data
//! (`fin_accounts`, `fin_transactions` + `fin_postings`, `fin_closings`) and
//! rebuilds the in-memory [`Ledger`] from them with [`Ledger::restore`], which
//! replays every row through the live checks. The ledger lives in [`Books`],
//! one per [`Db`] (shared by its clones) behind a `tokio::sync::Mutex`.
//!
//! A write ([`Writer`]) takes the mutex, opens the database write
//! transaction (`BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL,
//! so that writers in several processes take turns), reloads the ledger if the
//! database holds rows it has not seen (another process wrote), checks the
//! request with the engine, inserts the rows, appends the audit entry,
//! commits, and only then applies the request to the in-memory ledger. A
//! refusal writes nothing. Nothing is edited or deleted: a correction is a
//! reversal, and idempotency keys make a retried request post once.
//!
//! Project funds: a budget line (`budget_lines`, opened when a call of
//! resident-chosen projects closes) is funded by a district allocation into
//! the community's restricted account `P-BL<line id>`; a claim against the
//! line draws on that account and, when paid, adds to `budget_lines.spent_fen`
//! in the same transaction (and, for a resident-chosen project, records a
//! `pb_spending` row), so the line can never be overspent either.

use crate::audit;
use crate::budgeting::{BudgetLine, parse_yuan, yuan};
use crate::error::bad;
use crate::typed::Word;
use crate::{Db, Result, StoreError, Tx, clock};
use futures_util::TryStreamExt;
use ledger::flows::{self, Meta, Payer, ProjectSource, Settlement};
use ledger::{
    Account, AccountKind, Chart, Check, Closing, Entity, Flow, FundClass, Ledger, LedgerError, LedgerSnapshot,
    NewPosting, NewTransaction, Period, Posting, Transaction, TxId,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyConnection;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

mod books;
mod claims;
mod funds;

pub use books::*;
pub use claims::*;
pub use funds::*;

/// Claims strictly above this amount (fen) need the district's approval too.
pub const DEFAULT_SECOND_APPROVAL_FEN: i64 = 500_000;
/// The paying unit of a district allocation: the district finance bureau (区财政局).
pub const FINANCE_UNIT: &str = "czj";

/// The in-memory ledger of one database, loaded lazily.
#[derive(Clone, Default)]
pub struct Books(Arc<Mutex<Option<Ledger>>>);

/// An engine refusal as a field error (nothing was written).
pub fn refusal(e: LedgerError) -> StoreError {
    use LedgerError::*;
    if let Overdraw { account, available, needed } = &e {
        return bad(
            "amount",
            format!("余额不足：账户 {account} 可用 {} 元，本次需要 {} 元", yuan(*available), yuan(*needed)),
            format!("not enough money: account {account} has {} yuan, {} yuan needed", yuan(*available), yuan(*needed)),
        );
    }
    let field = match &e {
        AmountOutOfRange { .. } | ZeroAmount { .. } | BalanceOutOfRange { .. } | Unbalanced { .. } => "amount",
        RestrictedFundMisuse { .. } => "fund",
        PeriodClosed { .. } | ReversalBeforeOriginal { .. } => "date",
        PeriodAlreadyClosed { .. } | InvalidPeriod { .. } => "period",
        IdempotencyConflict { .. } | EmptyKey => "key",
        UnknownTransaction { .. } | AlreadyReversed { .. } | ReversalOfReversal { .. } | NotExactReversal { .. } => {
            "transaction"
        }
        Corrupt { .. } => return StoreError::Config(format!("ledger: {}", e.msg().en)),
        _ => "ledger",
    };
    StoreError::invalid(field, e.msg())
}

// ----- text forms of the engine's types ------------------------------------------

crate::typed::words! {
    /// The kind of a fund, as its `fund` column says; `fund_ref` names which
    /// assistance task or project for those kinds (the engine's `FundClass`).
    pub enum FundKind, "fund kind" {
        Operating => "operating",
        Assistance => "assistance",
        Project => "project",
        ServicePurchase => "service_purchase",
    }
}

fn fund_text(f: &FundClass) -> (FundKind, String) {
    match f {
        FundClass::Operating => (FundKind::Operating, String::new()),
        FundClass::Assistance { task } => (FundKind::Assistance, task.clone()),
        FundClass::Project { project } => (FundKind::Project, project.clone()),
        FundClass::ServicePurchase => (FundKind::ServicePurchase, String::new()),
    }
}

fn fund_of(kind: FundKind, r: &str) -> FundClass {
    match kind {
        FundKind::Operating => FundClass::Operating,
        FundKind::Assistance => FundClass::assistance(r),
        FundKind::Project => FundClass::project(r),
        FundKind::ServicePurchase => FundClass::ServicePurchase,
    }
}

fn kind_text(k: AccountKind) -> String {
    crate::typed::Word::word(k).to_string()
}

fn kind_of(s: &str) -> Result<AccountKind> {
    Ok(<AccountKind as crate::typed::Word>::from_word(s)?)
}

fn ldate(s: &str) -> Result<ledger::Date> {
    s.parse().map_err(|_| StoreError::Config(format!("ledger: bad date {s}")))
}

/// Today (China Standard Time) as a ledger date.
pub fn today() -> ledger::Date {
    let t = clock::today();
    ledger::Date::from_ymd(t.year(), t.month() as u8, t.day()).expect("today is a valid date")
}

fn parse_period(s: &str) -> Option<Period> {
    let s = s.trim();
    match s.split_once('-') {
        Some((y, m)) => {
            let (year, month) = (y.parse().ok()?, m.parse().ok()?);
            (1..=12).contains(&month).then_some(Period::Month { year, month })
        }
        None => s.parse().ok().map(|year| Period::Year { year }),
    }
}

fn date_or_today(field: &str, s: &str) -> Result<ledger::Date> {
    match s.trim() {
        "" => Ok(today()),
        d => d.parse().map_err(|_| bad(field, "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD")),
    }
}

// ----- loading ---------------------------------------------------------------------

async fn counts(conn: &mut AnyConnection) -> Result<(i64, i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM fin_accounts), (SELECT CAST(COUNT(*) AS BIGINT) FROM fin_transactions), \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM fin_closings)",
    )
    .fetch_one(conn)
    .await?)
}

type AccountRow = (String, String, String, String, String, String, String, Option<String>, String);
type TxRow = (i64, String, String, String, Option<String>, Option<i64>, Option<String>);

/// Between the fields of one posting, and between postings, in [`TRANSACTIONS`]:
/// control characters no code, reference or name contains.
const FIELD: char = '\u{1f}';
const POSTING: char = '\u{1e}';

/// A transaction's postings folded into one text, in line order, as
/// `fin_transactions.postings` keeps it (migration 0043): written with the
/// postings in the same transaction, so that a start-up reads one column per
/// transaction and neither joins nor folds a million postings. A NULL
/// community is '' and a community `c` is '=c'.
pub fn pack<'a>(
    postings: impl IntoIterator<Item = (&'a str, i64, &'a str, &'a str, Option<&'a str>, &'a str)>,
) -> String {
    let mut out = String::new();
    for (i, (account, amount, fund, fund_ref, community, district)) in postings.into_iter().enumerate() {
        if i > 0 {
            out.push(POSTING);
        }
        let community = community.map(|c| format!("={c}")).unwrap_or_default();
        for (j, field) in [account, &amount.to_string(), fund, fund_ref, &community, district].into_iter().enumerate() {
            if j > 0 {
                out.push(FIELD);
            }
            out.push_str(field);
        }
    }
    out
}

/// The same fold done by the database from `fin_postings` (the table every
/// query reads): for rows written before migration 0043 filled the column,
/// and for the test that the two agree.
pub static FOLD: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let f = FIELD;
    format!(
        "(SELECT string_agg(p.account_code || '{f}' || CAST(p.amount_fen AS TEXT) || '{f}' || p.fund || '{f}' || \
          p.fund_ref || '{f}' || COALESCE('=' || p.community_code, '') || '{f}' || p.district_code, '{POSTING}' ORDER BY p.line) \
          FROM fin_postings p WHERE p.tx_id = t.id)"
    )
});

/// Every transaction with its folded postings.
static TRANSACTIONS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT t.id, t.idem_key, t.tx_date, t.memo, t.reference, t.reverses, COALESCE(t.postings, {}) \
         FROM fin_transactions t WHERE t.id BETWEEN $1 AND $2 ORDER BY t.id",
        FOLD.as_str()
    )
});

/// The postings [`TRANSACTIONS`] folded into one text.
fn postings_of(tx: i64, folded: Option<&str>) -> Result<Vec<Posting>> {
    let Some(folded) = folded else { return Ok(Vec::new()) };
    let bad = || StoreError::Config(format!("ledger: transaction {tx} has an unreadable posting"));
    folded
        .split(POSTING)
        .map(|p| {
            let mut f = p.split(FIELD);
            let mut next = || f.next().ok_or_else(bad);
            let (account, amount, fund, fund_ref, community, district) =
                (next()?, next()?, next()?, next()?, next()?, next()?);
            Ok(Posting {
                account: account.to_string(),
                amount: amount.parse().map_err(|_| bad())?,
                fund: fund_of(FundKind::from_word(fund)?, fund_ref),
                district_code: district.to_string(),
                community_code: community.strip_prefix('=').map(str::to_string),
            })
        })
        .collect()
}

/// The transactions with ids from `first` to `last`, in id order.
async fn transactions_between(conn: &mut AnyConnection, first: i64, last: i64) -> Result<Vec<Transaction>> {
    let mut out = Vec::with_capacity((last - first + 1).max(0) as usize);
    let mut rows =
        sqlx::query_as::<_, TxRow>(sqlx::AssertSqlSafe(TRANSACTIONS.as_str())).bind(first).bind(last).fetch(&mut *conn);
    while let Some((id, key, date, memo, reference, reverses, postings)) = rows.try_next().await? {
        out.push(Transaction {
            id: TxId(id as u64),
            key,
            date: ldate(&date)?,
            memo,
            reference,
            reverses: reverses.map(|r| TxId(r as u64)),
            postings: postings_of(id, postings.as_deref())?,
        });
    }
    Ok(out)
}

/// Read the source data and rebuild the ledger through the engine's checks.
async fn load(pool: &sqlx::AnyPool, conn: &mut AnyConnection) -> Result<Ledger> {
    let rows: Vec<AccountRow> = sqlx::query_as(
        "SELECT code, name_zh, name_en, chart, kind, fund, fund_ref, community_code, district_code FROM fin_accounts ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut accounts = Vec::with_capacity(rows.len());
    for (code, zh, en, chart, kind, fund, fund_ref, community_code, district_code) in rows {
        accounts.push(Account {
            code,
            name: ledger::Msg::new(zh, en),
            chart,
            kind: kind_of(&kind)?,
            fund: fund_of(FundKind::from_word(&fund)?, &fund_ref),
            district_code,
            community_code,
        });
    }
    // Ids are given in commit order under the books' lock, so every id up to
    // the highest seen is committed: the two halves are read at once, on this
    // connection and on another from the pool, and both cores decode.
    let last: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM fin_transactions")
        .fetch_one(&mut *conn)
        .await?;
    let mid = last / 2;
    let pool = pool.clone();
    let upper = tokio::spawn(async move {
        let mut other = pool.acquire().await?;
        transactions_between(&mut other, mid + 1, last).await
    });
    let mut transactions = transactions_between(conn, 1, mid).await?;
    transactions.extend(upper.await.map_err(|e| StoreError::Config(format!("ledger: reading stopped: {e}")))??);
    let closing_rows: Vec<(Option<String>, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT community_code, district_code, period, through, after_tx, reopened FROM fin_closings WHERE after_tx <= $1 ORDER BY id",
    )
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    let mut closings = Vec::with_capacity(closing_rows.len());
    for (community_code, district_code, period, through, after_tx, reopened) in closing_rows {
        closings.push(Closing {
            entity: Entity { district_code, community_code },
            period: parse_period(&period).ok_or_else(|| StoreError::Config(format!("ledger: bad period {period}")))?,
            through: ldate(&through)?,
            after_tx: after_tx as u64,
            reopened: reopened != 0,
        });
    }
    Ledger::restore(LedgerSnapshot { chart: Chart::standard(), accounts, transactions, closings })
        .map_err(|e| StoreError::Config(format!("ledger: {}", e.msg().en)))
}

/// Make sure the cached ledger holds exactly what the database holds.
async fn fresh(slot: &mut Option<Ledger>, pool: &sqlx::AnyPool, conn: &mut AnyConnection) -> Result<()> {
    let (a, t, c) = counts(conn).await?;
    let current = slot.as_ref().is_some_and(|l| {
        l.transactions().len() as i64 == t && l.closings().len() as i64 == c && l.accounts().count() as i64 == a
    });
    if !current {
        *slot = Some(load(pool, conn).await?);
    }
    Ok(())
}

/// The ledger [`fresh`] has just loaded into its slot.
fn loaded(slot: &Option<Ledger>) -> Result<&Ledger> {
    slot.as_ref().ok_or_else(|| StoreError::Config("ledger: not loaded".into()))
}

/// Run a read-only function on the current ledger.
pub async fn read<T>(db: &Db, f: impl FnOnce(&Ledger) -> T) -> Result<T> {
    let mut guard = db.finance.0.lock().await;
    let mut conn = db.pool.acquire().await?;
    fresh(&mut guard, &db.pool, &mut conn).await?;
    drop(conn);
    Ok(f(loaded(&guard)?))
}

// ----- writing ---------------------------------------------------------------------

enum Pending {
    Flow(Flow),
    Close(Entity, Period),
    Reopen(Entity, Period),
}

/// One write to the books: holds the ledger's lock and the database write
/// transaction. Check and insert with [`Writer::post`] (or
/// [`Writer::close`]), run any further SQL on [`Writer::tx`], then
/// [`Writer::commit`]; dropping it instead writes nothing.
pub struct Writer {
    guard: OwnedMutexGuard<Option<Ledger>>,
    pub tx: Tx,
    pending: Option<Pending>,
}

impl Writer {
    pub async fn begin(db: &Db) -> Result<Writer> {
        let mut guard = db.finance.0.clone().lock_owned().await;
        // Another process may write the books too: take turns with it, then
        // catch up with what it committed before numbering or checking anything.
        let mut tx = db.begin_locked(crate::WriteLock::Books).await?;
        fresh(&mut guard, &db.pool, &mut tx).await?;
        Ok(Writer { guard, tx, pending: None })
    }

    pub fn ledger(&self) -> Result<&Ledger> {
        loaded(&self.guard)
    }

    /// Check a flow with the engine and insert its rows. Returns the
    /// transaction id and whether it is new (a retry returns the first id).
    pub async fn post(&mut self, actor: &str, flow: Flow) -> Result<(TxId, bool)> {
        let l = loaded(&self.guard)?;
        if let Check::AlreadyPosted(id) = l.check_flow(&flow).map_err(refusal)? {
            return Ok((id, false));
        }
        if self.pending.is_some() {
            return Err(StoreError::Config("one posting per write".into()));
        }
        let mut opened: Vec<Account> = Vec::new();
        for new in &flow.accounts {
            let a = l.account_for(new).map_err(refusal)?;
            if l.account(&a.code).is_none() && !opened.iter().any(|o| o.code == a.code) {
                opened.push(a);
            }
        }
        let now = clock::now_text();
        for a in &opened {
            let (fund, fund_ref) = fund_text(&a.fund);
            sqlx::query(
                "INSERT INTO fin_accounts (code, name_zh, name_en, chart, kind, fund, fund_ref, community_code, district_code, opened_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&a.code)
            .bind(&a.name.zh)
            .bind(&a.name.en)
            .bind(&a.chart)
            .bind(kind_text(a.kind))
            .bind(fund.word())
            .bind(fund_ref)
            .bind(a.community_code.clone())
            .bind(&a.district_code)
            .bind(&now)
            .execute(&mut *self.tx)
            .await?;
        }
        let account = |code: &str| opened.iter().find(|a| a.code == code).or_else(|| l.account(code));
        let first = flow.tx.postings.iter().filter_map(|p| account(&p.account)).collect::<Vec<_>>();
        let community = first.iter().find_map(|a| a.community_code.clone());
        let district = first.first().map(|a| a.district_code.clone()).unwrap_or_default();
        let id = l.transactions().len() as i64 + 1;
        let t = &flow.tx;
        let mut lines = Vec::with_capacity(t.postings.len());
        for p in &t.postings {
            let a = account(&p.account)
                .ok_or_else(|| refusal(LedgerError::UnknownAccount { account: p.account.clone() }))?;
            let (fund, fund_ref) = fund_text(&a.fund);
            lines.push((p, a, fund, fund_ref));
        }
        let packed = pack(lines.iter().map(|(p, a, fund, fund_ref)| {
            (
                p.account.as_str(),
                p.amount,
                fund.word(),
                fund_ref.as_str(),
                a.community_code.as_deref(),
                a.district_code.as_str(),
            )
        }));
        sqlx::query(
            "INSERT INTO fin_transactions (id, idem_key, tx_date, memo, reference, reverses, community_code, district_code, actor, created_at, postings) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(&t.key)
        .bind(t.date.to_string())
        .bind(&t.memo)
        .bind(t.reference.clone())
        .bind(t.reverses.map(|r| r.0 as i64))
        .bind(community)
        .bind(&district)
        .bind(actor)
        .bind(&now)
        .bind(packed)
        .execute(&mut *self.tx)
        .await?;
        for (line, (p, a, fund, fund_ref)) in lines.into_iter().enumerate() {
            sqlx::query(
                "INSERT INTO fin_postings (tx_id, line, account_code, amount_fen, fund, fund_ref, tx_date, community_code, district_code) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(line as i64)
            .bind(&p.account)
            .bind(p.amount)
            .bind(fund.word())
            .bind(fund_ref)
            .bind(t.date.to_string())
            .bind(a.community_code.clone())
            .bind(&a.district_code)
            .execute(&mut *self.tx)
            .await?;
        }
        self.pending = Some(Pending::Flow(flow));
        Ok((TxId(id as u64), true))
    }

    /// Reopen a closed period of an entity's books (L-REOPEN), with the reason.
    pub async fn reopen(&mut self, actor: &str, entity: Entity, period: Period, reason: &str) -> Result<ledger::Date> {
        if self.pending.is_some() {
            return Err(StoreError::Config("one change per write".into()));
        }
        let l = loaded(&self.guard)?;
        let mut probe = Ledger::default();
        if let Some(closed) = l.closed_through(&entity) {
            // The probe holds the entity's closing as it stands, so the engine's check is the real one.
            let p = Period::Month { year: closed.year(), month: closed.month() };
            probe.close_period(entity.clone(), p).map_err(refusal)?;
        }
        let through =
            probe.reopen_period(entity.clone(), period).map_err(|e| StoreError::invalid("period", e.msg()))?;
        sqlx::query(
            "INSERT INTO fin_closings (community_code, district_code, period, through, after_tx, actor, created_at, reopened, reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)",
        )
        .bind(entity.community_code.clone())
        .bind(&entity.district_code)
        .bind(period.to_string())
        .bind(through.to_string())
        .bind(l.transactions().len() as i64)
        .bind(actor)
        .bind(clock::now_text())
        .bind(reason)
        .execute(&mut *self.tx)
        .await?;
        self.pending = Some(Pending::Reopen(entity, period));
        Ok(through)
    }

    /// Close a period of an entity's books (checked like the engine does).
    pub async fn close(&mut self, actor: &str, entity: Entity, period: Period) -> Result<ledger::Date> {
        if self.pending.is_some() {
            return Err(StoreError::Config("one change per write".into()));
        }
        let mut probe = Ledger::default();
        let through = period.last_day().ok_or_else(|| refusal(LedgerError::InvalidPeriod { period }))?;
        let l = loaded(&self.guard)?;
        if let Some(closed) = l.closed_through(&entity).filter(|&c| c >= through) {
            return Err(refusal(LedgerError::PeriodAlreadyClosed { entity, closed_through: closed }));
        }
        probe.close_period(entity.clone(), period).map_err(refusal)?;
        sqlx::query(
            "INSERT INTO fin_closings (community_code, district_code, period, through, after_tx, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(entity.community_code.clone())
        .bind(&entity.district_code)
        .bind(period.to_string())
        .bind(through.to_string())
        .bind(l.transactions().len() as i64)
        .bind(actor)
        .bind(clock::now_text())
        .execute(&mut *self.tx)
        .await?;
        self.pending = Some(Pending::Close(entity, period));
        Ok(through)
    }

    /// Commit the database transaction, then apply the change in memory.
    pub async fn commit(self) -> Result<()> {
        let Writer { mut guard, tx, pending } = self;
        tx.commit().await?;
        let l = guard.as_mut().ok_or_else(|| StoreError::Config("ledger: not loaded".into()))?;
        let applied = match pending {
            None => Ok(()),
            Some(Pending::Flow(f)) => l.post_flow(f).map(|_| ()),
            Some(Pending::Close(e, p)) => l.close_period(e, p).map(|_| ()),
            Some(Pending::Reopen(e, p)) => l.reopen_period(e, p).map(|_| ()),
        };
        if applied.is_err() {
            // Cannot happen (the same checks passed under the same lock); reload next time.
            *guard = None;
        }
        Ok(())
    }
}

/// [`audit::record`] with the finance writes' scope, a community's books or
/// (`None`) its district's own; typed so that `(Some(&code), &district)` coerces.
async fn audit_write(
    tx: &mut Tx,
    actor: &str,
    action: &str,
    entity: &str,
    id: i64,
    c: (Option<&str>, &str),
    change: serde_json::Value,
) -> Result<()> {
    audit::record(tx, actor, action, entity, id, c, change).await
}

fn new_key(prefix: &str, given: &str) -> Result<String> {
    let given = given.trim();
    if given.is_empty() {
        return Ok(format!("{prefix}-{}", hex::encode(rand::random::<[u8; 12]>())));
    }
    if given.len() > 100 {
        return Err(bad("key", "幂等键过长", "the idempotency key is too long"));
    }
    Ok(format!("{prefix}-{given}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_round_trip() {
        for f in
            [FundClass::Operating, FundClass::ServicePurchase, FundClass::assistance("T1"), FundClass::project("BL3")]
        {
            let (k, r) = fund_text(&f);
            assert_eq!(fund_of(k, &r), f);
        }
        for k in AccountKind::ALL {
            assert_eq!(kind_of(&kind_text(k)).unwrap(), k);
        }
        assert_eq!(parse_period("2026-03"), Some(Period::Month { year: 2026, month: 3 }));
        assert_eq!(parse_period("2026"), Some(Period::Year { year: 2026 }));
        assert_eq!(parse_period("2026-13"), None);
        assert_eq!(Period::Month { year: 2026, month: 3 }.to_string(), "2026-03");
        let (a, b) = quarter_range(2026, 2).unwrap();
        assert_eq!((a.to_string(), b.to_string()), ("2026-04-01".into(), "2026-06-30".into()));
    }
}
