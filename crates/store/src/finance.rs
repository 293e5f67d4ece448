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
//! transaction (`BEGIN IMMEDIATE` on SQLite), reloads the ledger if the
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

use crate::audit::{self, Entry};
use crate::budgeting::{BudgetLine, parse_yuan, yuan};
use crate::error::bad;
use crate::{Db, Result, StoreError, Tx, clock};
use ledger::flows::{self, Meta, Payer, ProjectSource, Settlement};
use ledger::{
    Account, AccountKind, Chart, Check, Closing, Entity, Flow, FundClass, Ledger, LedgerError, LedgerSnapshot,
    NewPosting, NewTransaction, Period, Posting, Transaction, TxId,
};
use rules::Msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyConnection;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

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
    let m = e.msg();
    StoreError::invalid(field, Msg::new(m.zh, m.en))
}

// ----- text forms of the engine's types ------------------------------------------

fn fund_text(f: &FundClass) -> (&'static str, String) {
    match f {
        FundClass::Operating => ("operating", String::new()),
        FundClass::Assistance { task } => ("assistance", task.clone()),
        FundClass::Project { project } => ("project", project.clone()),
        FundClass::ServicePurchase => ("service_purchase", String::new()),
    }
}

fn fund_of(kind: &str, r: &str) -> Result<FundClass> {
    Ok(match kind {
        "operating" => FundClass::Operating,
        "assistance" => FundClass::assistance(r),
        "project" => FundClass::project(r),
        "service_purchase" => FundClass::ServicePurchase,
        other => return Err(StoreError::Config(format!("ledger: unknown fund {other}"))),
    })
}

fn kind_text(k: AccountKind) -> String {
    serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn kind_of(s: &str) -> Result<AccountKind> {
    serde_json::from_value(json!(s)).map_err(|_| StoreError::Config(format!("ledger: unknown account kind {s}")))
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
type PostingRow = (i64, String, i64, String, String, Option<String>, String);
type TxRow = (i64, String, String, String, Option<String>, Option<i64>);

/// Read the source data and rebuild the ledger through the engine's checks.
async fn load(conn: &mut AnyConnection) -> Result<Ledger> {
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
            fund: fund_of(&fund, &fund_ref)?,
            district_code,
            community_code,
        });
    }
    let txs: Vec<TxRow> =
        sqlx::query_as("SELECT id, idem_key, tx_date, memo, reference, reverses FROM fin_transactions ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let postings: Vec<PostingRow> = sqlx::query_as(
        "SELECT tx_id, account_code, amount_fen, fund, fund_ref, community_code, district_code FROM fin_postings ORDER BY tx_id, line",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_tx: BTreeMap<i64, Vec<Posting>> = BTreeMap::new();
    for (tx, account, amount, fund, fund_ref, community_code, district_code) in postings {
        by_tx.entry(tx).or_default().push(Posting {
            account,
            amount,
            fund: fund_of(&fund, &fund_ref)?,
            district_code,
            community_code,
        });
    }
    let mut transactions = Vec::with_capacity(txs.len());
    for (id, key, date, memo, reference, reverses) in txs {
        transactions.push(Transaction {
            id: TxId(id as u64),
            key,
            date: ldate(&date)?,
            memo,
            reference,
            reverses: reverses.map(|r| TxId(r as u64)),
            postings: by_tx.remove(&id).unwrap_or_default(),
        });
    }
    let closing_rows: Vec<(Option<String>, String, String, String, i64)> =
        sqlx::query_as("SELECT community_code, district_code, period, through, after_tx FROM fin_closings ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let mut closings = Vec::with_capacity(closing_rows.len());
    for (community_code, district_code, period, through, after_tx) in closing_rows {
        closings.push(Closing {
            entity: Entity { district_code, community_code },
            period: parse_period(&period).ok_or_else(|| StoreError::Config(format!("ledger: bad period {period}")))?,
            through: ldate(&through)?,
            after_tx: after_tx as u64,
        });
    }
    Ledger::restore(LedgerSnapshot { chart: Chart::standard(), accounts, transactions, closings })
        .map_err(|e| StoreError::Config(format!("ledger: {}", e.msg().en)))
}

/// Make sure the cached ledger holds exactly what the database holds.
async fn fresh(slot: &mut Option<Ledger>, conn: &mut AnyConnection) -> Result<()> {
    let (a, t, c) = counts(conn).await?;
    let current = slot.as_ref().is_some_and(|l| {
        l.transactions().len() as i64 == t && l.closings().len() as i64 == c && l.accounts().count() as i64 == a
    });
    if !current {
        *slot = Some(load(conn).await?);
    }
    Ok(())
}

/// Run a read-only function on the current ledger.
pub async fn read<T>(db: &Db, f: impl FnOnce(&Ledger) -> T) -> Result<T> {
    let mut guard = db.finance.0.lock().await;
    let mut conn = db.pool.acquire().await?;
    fresh(&mut guard, &mut conn).await?;
    drop(conn);
    Ok(f(guard.as_ref().expect("loaded")))
}

// ----- writing ---------------------------------------------------------------------

enum Pending {
    Flow(Flow),
    Close(Entity, Period),
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
        let mut tx = db.begin().await?;
        fresh(&mut guard, &mut tx).await?;
        Ok(Writer { guard, tx, pending: None })
    }

    pub fn ledger(&self) -> &Ledger {
        self.guard.as_ref().expect("loaded")
    }

    /// Check a flow with the engine and insert its rows. Returns the
    /// transaction id and whether it is new (a retry returns the first id).
    pub async fn post(&mut self, actor: &str, flow: Flow) -> Result<(TxId, bool)> {
        let l = self.guard.as_ref().expect("loaded");
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
            .bind(fund)
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
        sqlx::query(
            "INSERT INTO fin_transactions (id, idem_key, tx_date, memo, reference, reverses, community_code, district_code, actor, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
        .execute(&mut *self.tx)
        .await?;
        for (line, p) in t.postings.iter().enumerate() {
            let a = account(&p.account)
                .ok_or_else(|| refusal(LedgerError::UnknownAccount { account: p.account.clone() }))?;
            let (fund, fund_ref) = fund_text(&a.fund);
            sqlx::query(
                "INSERT INTO fin_postings (tx_id, line, account_code, amount_fen, fund, fund_ref, tx_date, community_code, district_code) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(line as i64)
            .bind(&p.account)
            .bind(p.amount)
            .bind(fund)
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

    /// Close a period of an entity's books (checked like the engine does).
    pub async fn close(&mut self, actor: &str, entity: Entity, period: Period) -> Result<ledger::Date> {
        if self.pending.is_some() {
            return Err(StoreError::Config("one change per write".into()));
        }
        let mut probe = Ledger::default();
        let through = period.last_day().ok_or_else(|| refusal(LedgerError::InvalidPeriod { period }))?;
        let l = self.guard.as_ref().expect("loaded");
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
        let l = guard.as_mut().expect("loaded");
        let applied = match pending {
            None => Ok(()),
            Some(Pending::Flow(f)) => l.post_flow(f).map(|_| ()),
            Some(Pending::Close(e, p)) => l.close_period(e, p).map(|_| ()),
        };
        if applied.is_err() {
            // Cannot happen (the same checks passed under the same lock); reload next time.
            *guard = None;
        }
        Ok(())
    }
}

async fn audit_write(
    tx: &mut Tx,
    actor: &str,
    action: &str,
    entity: &str,
    id: i64,
    c: (Option<&str>, &str),
    change: serde_json::Value,
) -> Result<()> {
    audit::append(
        tx,
        Entry {
            actor,
            action,
            entity,
            entity_id: &id.to_string(),
            community_code: c.0,
            district_code: Some(c.1),
            change,
        },
    )
    .await?;
    Ok(())
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

// ----- funds -----------------------------------------------------------------------

/// A fund of a community, named in requests as `operating`, `service_purchase`,
/// `project:<budget line id>` or `assistance:<task id>`.
#[derive(Debug, Clone)]
pub struct FundSpec {
    pub fund: FundClass,
    pub line: Option<BudgetLine>,
}

fn valid_segment(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// The text form of a fund (inverse of [`resolve_fund`]).
pub fn fund_spec(f: &FundClass) -> String {
    match f {
        FundClass::Operating => "operating".into(),
        FundClass::ServicePurchase => "service_purchase".into(),
        FundClass::Assistance { task } => format!("assistance:{task}"),
        FundClass::Project { project } => match project.strip_prefix("BL") {
            Some(id) => format!("project:{id}"),
            None => format!("project:{project}"),
        },
    }
}

pub async fn resolve_fund(db: &Db, field: &str, community: &str, spec: &str) -> Result<FundSpec> {
    let spec = spec.trim();
    let (kind, rest) = spec.split_once(':').unwrap_or((spec, ""));
    match kind {
        "" | "operating" => Ok(FundSpec { fund: FundClass::Operating, line: None }),
        "service_purchase" => Ok(FundSpec { fund: FundClass::ServicePurchase, line: None }),
        "assistance" if valid_segment(rest.trim()) => {
            Ok(FundSpec { fund: FundClass::assistance(rest.trim()), line: None })
        }
        "assistance" => {
            Err(bad(field, "协助事项编号无效（字母、数字、-、_）", "invalid task id (letters, digits, '-', '_')"))
        }
        "project" => {
            let id: i64 =
                rest.trim().parse().map_err(|_| bad(field, "请选择项目预算科目", "choose a project budget line"))?;
            let line: Option<BudgetLine> =
                sqlx::query_as("SELECT * FROM budget_lines WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
            match line {
                Some(l) if l.community_code == community => {
                    Ok(FundSpec { fund: FundClass::project(format!("BL{}", l.id)), line: Some(l) })
                }
                _ => Err(bad(field, "本社区没有该项目预算科目", "no such budget line in this community")),
            }
        }
        _ => Err(bad(
            field,
            "资金类别应为公用经费、购买服务、项目或协助事项",
            "fund is operating, service_purchase, project:<line> or assistance:<task>",
        )),
    }
}

fn payer(district: &str) -> Payer {
    Payer { district_code: district.into(), unit: FINANCE_UNIT.into() }
}

// ----- allocation (核拨) -------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewAllocation {
    pub community: String,
    /// `operating` (default), `service_purchase`, `project:<line>`, `assistance:<task>`.
    #[serde(default)]
    pub fund: String,
    /// Yuan.
    pub amount: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub reference: String,
    /// Idempotency key: the same key posts once.
    #[serde(default)]
    pub key: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Posted {
    pub tx_id: u64,
    /// False when the key was used before and nothing new was posted.
    pub created: bool,
}

/// The district finance bureau funds a community (operating money, service
/// purchase, a project's budget line, or a department's task).
pub async fn allocate(db: &Db, actor: &str, n: NewAllocation) -> Result<Posted> {
    let c = crate::structure::community(db, n.community.trim()).await.map_err(|e| match e {
        StoreError::NotFound => bad("community", "社区不存在", "no such community"),
        e => e,
    })?;
    let amount = parse_yuan("amount", &n.amount)?;
    let date = date_or_today("date", &n.date)?;
    let spec = resolve_fund(db, "fund", &c.code, &n.fund).await?;
    let key = new_key("alloc", &n.key)?;
    let label = spec.fund.label();
    let memo = match n.memo.trim() {
        "" => format!("区财政核拨{}", spec.line.as_ref().map(|l| l.title.clone()).unwrap_or(label.zh)),
        m => m.to_string(),
    };
    let meta =
        Meta { key, date, memo, reference: Some(n.reference.trim()).filter(|r| !r.is_empty()).map(str::to_string) };
    let p = payer(&c.district_code);
    let flow = match &spec.fund {
        FundClass::Operating | FundClass::ServicePurchase => flows::allocation(&flows::Allocation {
            meta,
            payer: p,
            community_code: c.code.clone(),
            amount,
            fund: spec.fund.clone(),
        }),
        FundClass::Assistance { task } => flows::assistance_funding(&flows::AssistanceFunding {
            meta,
            payer: p,
            community_code: c.code.clone(),
            task: task.clone(),
            amount,
        }),
        FundClass::Project { project } => flows::project_budget(&flows::ProjectBudget {
            meta,
            district_code: c.district_code.clone(),
            community_code: c.code.clone(),
            project: project.clone(),
            amount,
            source: ProjectSource::District(p),
        }),
    }
    .map_err(refusal)?;
    let mut w = Writer::begin(db).await?;
    if let Some(line) = &spec.line
        && w.ledger().tx_for_key(&flow.tx.key).is_none()
    {
        let income = flows::account_code(flows::standard_charts(&spec.fund).0, &c.code, None, &spec.fund);
        let funded = w.ledger().balance(&income).map(|b| -b).unwrap_or(0);
        if funded + amount > line.amount_fen {
            return Err(bad(
                "amount",
                format!("超出项目预算：预算{}元，已拨付{}元", yuan(line.amount_fen), yuan(funded)),
                format!("over the budget line: {} yuan, {} already funded", yuan(line.amount_fen), yuan(funded)),
            ));
        }
    }
    let request = flow.tx.clone();
    let (id, created) = w.post(actor, flow).await?;
    if created {
        audit_write(
            &mut w.tx,
            actor,
            "finance.allocate",
            "fin_transaction",
            id.0 as i64,
            (Some(&c.code), &c.district_code),
            json!(request),
        )
        .await?;
    }
    w.commit().await?;
    Ok(Posted { tx_id: id.0, created })
}

// ----- transfers between a community's funds ------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewTransfer {
    pub from: String,
    pub to: String,
    /// Yuan.
    pub amount: String,
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub key: String,
}

/// Move money between two funds of a community (e.g. earmark operating money
/// for a project). Restricted money cannot leave its task or project: the
/// engine refuses it.
pub async fn transfer(db: &Db, actor: &str, community: &str, n: NewTransfer) -> Result<Posted> {
    let c = crate::structure::community(db, community).await?;
    let amount = parse_yuan("amount", &n.amount)?;
    let from = resolve_fund(db, "from", &c.code, &n.from).await?;
    let to = resolve_fund(db, "to", &c.code, &n.to).await?;
    if from.fund == to.fund {
        return Err(bad("to", "转出与转入资金相同", "the two funds are the same"));
    }
    let bank = |f: &FundClass| flows::community_account(ledger::chart::codes::BANK, &c.district_code, &c.code, None, f);
    let (a_to, a_from) = (bank(&to.fund), bank(&from.fund));
    let flow = Flow {
        tx: NewTransaction {
            key: new_key("transfer", &n.key)?,
            date: today(),
            memo: match n.memo.trim() {
                "" => format!("资金划转：{} → {}", from.fund.label().zh, to.fund.label().zh),
                m => m.to_string(),
            },
            reference: None,
            reverses: None,
            postings: vec![NewPosting::debit(&a_to.code, amount), NewPosting::credit(&a_from.code, amount)],
        },
        accounts: vec![a_to, a_from],
    };
    let request = flow.tx.clone();
    let mut w = Writer::begin(db).await?;
    let (id, created) = w.post(actor, flow).await?;
    if created {
        audit_write(
            &mut w.tx,
            actor,
            "finance.transfer",
            "fin_transaction",
            id.0 as i64,
            (Some(&c.code), &c.district_code),
            json!(request),
        )
        .await?;
    }
    w.commit().await?;
    Ok(Posted { tx_id: id.0, created })
}

// ----- period closing and reversals ---------------------------------------------------

/// Close a month (`2026-03`) or year (`2026`) of a community's books, or of
/// the district's own books when `community` is `None`.
pub async fn close_period(
    db: &Db,
    actor: &str,
    district: &str,
    community: Option<&str>,
    period: &str,
) -> Result<String> {
    let p =
        parse_period(period).ok_or_else(|| bad("period", "期间格式应为YYYY-MM或YYYY", "period is YYYY-MM or YYYY"))?;
    if let Some(code) = community {
        let c = crate::structure::community(db, code).await?;
        if c.district_code != district {
            return Err(StoreError::NotFound);
        }
    }
    let entity = Entity { district_code: district.into(), community_code: community.map(str::to_string) };
    let mut w = Writer::begin(db).await?;
    let through = w.close(actor, entity, p).await?;
    audit_write(
        &mut w.tx,
        actor,
        "finance.close",
        "fin_closing",
        0,
        (community, district),
        json!({ "period": p.to_string(), "through": through.to_string() }),
    )
    .await?;
    w.commit().await?;
    Ok(through.to_string())
}

/// Reverse a transaction exactly (the only correction there is).
pub async fn reverse(db: &Db, actor: &str, tx_id: i64, memo: &str) -> Result<Posted> {
    let mut w = Writer::begin(db).await?;
    let id = TxId(tx_id.max(0) as u64);
    let orig = w.ledger().transaction(id).cloned().ok_or(StoreError::NotFound)?;
    let memo = if memo.trim().is_empty() { format!("冲销 {id}") } else { memo.trim().to_string() };
    let date = today().max(orig.date);
    let tx = w.ledger().reverse(id, format!("reverse-{}", id.0), date, memo).map_err(refusal)?;
    let (id2, created) = w.post(actor, Flow { accounts: vec![], tx: tx.clone() }).await?;
    let community = orig.postings.iter().find_map(|p| p.community_code.clone());
    let district = orig.postings.first().map(|p| p.district_code.clone()).unwrap_or_default();
    if created {
        audit_write(
            &mut w.tx,
            actor,
            "finance.reverse",
            "fin_transaction",
            id2.0 as i64,
            (community.as_deref(), &district),
            json!(tx),
        )
        .await?;
    }
    w.commit().await?;
    Ok(Posted { tx_id: id2.0, created })
}

/// The district and community codes a transaction touches.
pub async fn transaction_scope(db: &Db, tx_id: i64) -> Result<(Option<String>, String)> {
    sqlx::query_as("SELECT community_code, district_code FROM fin_transactions WHERE id = $1")
        .bind(tx_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

// ----- claims (报账) ------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Claim {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub payee: String,
    pub amount_fen: i64,
    pub purpose: String,
    pub fund: String,
    pub fund_ref: String,
    pub budget_line_id: Option<i64>,
    /// pending → (head_approved →) paid, or rejected.
    pub status: String,
    pub needs_district: i64,
    pub filed_by: i64,
    pub filed_by_name: String,
    pub head_by: Option<i64>,
    pub head_at: Option<String>,
    pub district_by: Option<i64>,
    pub district_at: Option<String>,
    pub rejected_by: Option<i64>,
    pub rejected_at: Option<String>,
    pub reject_reason: String,
    pub tx_id: Option<i64>,
    pub paid_on: Option<String>,
    pub idem_key: Option<String>,
    pub created_at: String,
}

impl Claim {
    pub fn fund_class(&self) -> Result<FundClass> {
        fund_of(&self.fund, &self.fund_ref)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewClaim {
    pub payee: String,
    /// Yuan.
    pub amount: String,
    pub purpose: String,
    /// `operating` (default), `service_purchase`, `project:<line>`, `assistance:<task>`.
    #[serde(default)]
    pub fund: String,
    #[serde(default)]
    pub key: String,
}

/// A voucher (receipt, invoice scan) attached to a claim.
#[derive(Debug, Clone)]
pub struct Voucher {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub const MAX_VOUCHER_BYTES: usize = 10 << 20;

/// The amount above which a claim of this district needs the district's approval.
pub async fn second_approval_fen(db: &Db, district: &str) -> Result<i64> {
    let v: Option<i64> = sqlx::query_scalar("SELECT second_approval_fen FROM fin_settings WHERE district_code = $1")
        .bind(district)
        .fetch_optional(&db.pool)
        .await?;
    Ok(v.unwrap_or(DEFAULT_SECOND_APPROVAL_FEN))
}

pub async fn set_second_approval(db: &Db, actor: &str, district: &str, yuan_text: &str) -> Result<i64> {
    let fen = parse_yuan("second_approval", yuan_text)?;
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM fin_settings WHERE district_code = $1").bind(district).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO fin_settings (district_code, second_approval_fen) VALUES ($1, $2)")
        .bind(district)
        .bind(fen)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "finance.settings",
        "fin_settings",
        0,
        (None, district),
        json!({ "second_approval_fen": fen }),
    )
    .await?;
    tx.commit().await?;
    Ok(fen)
}

fn reimbursement(c: &Claim, fund: &FundClass, key: String, date: ledger::Date) -> Result<Flow> {
    flows::reimbursement(&flows::Reimbursement {
        meta: Meta {
            key,
            date,
            memo: format!("报账 #{}：{}（{}）", c.id, c.purpose, c.payee),
            reference: Some(format!("claim:{}", c.id)),
        },
        district_code: c.district_code.clone(),
        community_code: c.community_code.clone(),
        fund: fund.clone(),
        payee: c.payee.clone(),
        amount: c.amount_fen,
        settlement: Settlement::Bank,
        expense_chart: None,
    })
    .map_err(refusal)
}

/// File a claim. Refused at once if the fund could not pay it now.
pub async fn file_claim(
    db: &Db,
    actor: &str,
    user_id: i64,
    filer_name: &str,
    community: &str,
    n: NewClaim,
    voucher: Option<Voucher>,
) -> Result<Claim> {
    let c = crate::structure::community(db, community).await?;
    let key = n.key.trim();
    if !key.is_empty() {
        let prior: Option<Claim> =
            sqlx::query_as("SELECT * FROM fin_claims WHERE idem_key = $1").bind(key).fetch_optional(&db.pool).await?;
        if let Some(p) = prior.filter(|p| p.community_code == c.code) {
            return Ok(p);
        }
    }
    if n.payee.trim().is_empty() {
        return Err(bad("payee", "请填写收款方", "the payee is required"));
    }
    let amount = parse_yuan("amount", &n.amount)?;
    if n.purpose.trim().is_empty() {
        return Err(bad("purpose", "请填写用途", "the purpose is required"));
    }
    let spec = resolve_fund(db, "fund", &c.code, &n.fund).await?;
    if let Some(l) = &spec.line
        && l.spent_fen + amount > l.amount_fen
    {
        return Err(bad(
            "amount",
            format!("超出项目预算：预算{}元，已支出{}元", yuan(l.amount_fen), yuan(l.spent_fen)),
            format!("over the budget line: {} yuan, {} spent", yuan(l.amount_fen), yuan(l.spent_fen)),
        ));
    }
    if let Some(v) = &voucher
        && v.bytes.len() > MAX_VOUCHER_BYTES
    {
        return Err(bad("voucher", "凭证文件不能超过10MB", "a voucher may be at most 10 MB"));
    }
    let (fund, fund_ref) = fund_text(&spec.fund);
    let threshold = second_approval_fen(db, &c.district_code).await?;
    let mut probe = Claim {
        id: 0,
        community_code: c.code.clone(),
        district_code: c.district_code.clone(),
        payee: n.payee.trim().into(),
        amount_fen: amount,
        purpose: n.purpose.trim().into(),
        fund: fund.into(),
        fund_ref: fund_ref.clone(),
        budget_line_id: spec.line.as_ref().map(|l| l.id),
        status: "pending".into(),
        needs_district: i64::from(amount > threshold),
        filed_by: user_id,
        filed_by_name: filer_name.into(),
        head_by: None,
        head_at: None,
        district_by: None,
        district_at: None,
        rejected_by: None,
        rejected_at: None,
        reject_reason: String::new(),
        tx_id: None,
        paid_on: None,
        idem_key: Some(key.to_string()).filter(|k| !k.is_empty()),
        created_at: clock::now_text(),
    };
    // Would the fund pay this now? (Checked again, under the lock, at payment.)
    let flow = reimbursement(&probe, &spec.fund, "claim-check".into(), today())?;
    read(db, |l| l.check_flow(&flow).map(|_| ())).await?.map_err(refusal)?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO fin_claims (community_code, district_code, payee, amount_fen, purpose, fund, fund_ref, budget_line_id, status, needs_district, \
         filed_by, filed_by_name, idem_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(&probe.community_code)
    .bind(&probe.district_code)
    .bind(&probe.payee)
    .bind(amount)
    .bind(&probe.purpose)
    .bind(&probe.fund)
    .bind(&probe.fund_ref)
    .bind(probe.budget_line_id)
    .bind(probe.needs_district)
    .bind(user_id)
    .bind(filer_name)
    .bind(probe.idem_key.clone())
    .bind(&probe.created_at)
    .fetch_one(&mut *tx)
    .await?;
    probe.id = id;
    let mut change = json!(probe);
    if let Some(v) = voucher.filter(|v| !v.bytes.is_empty()) {
        let sha = attach(&mut tx, &probe, &v).await?;
        change["voucher_sha256"] = json!(sha);
    }
    audit_write(&mut tx, actor, "finance.claim.file", "fin_claim", id, (Some(&c.code), &c.district_code), change)
        .await?;
    tx.commit().await?;
    claim(db, id).await
}

async fn attach(tx: &mut Tx, c: &Claim, v: &Voucher) -> Result<String> {
    use sha2::{Digest, Sha256};
    let sha = hex::encode(Sha256::digest(&v.bytes));
    let name: String = v.filename.chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').take(120).collect();
    sqlx::query(
        "INSERT INTO fin_vouchers (claim_id, community_code, district_code, filename, content_type, size_bytes, sha256, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.id)
    .bind(&c.community_code)
    .bind(&c.district_code)
    .bind(if name.is_empty() { "voucher".to_string() } else { name })
    .bind(if v.content_type.is_empty() { "application/octet-stream".to_string() } else { v.content_type.clone() })
    .bind(v.bytes.len() as i64)
    .bind(&sha)
    .bind(v.bytes.clone())
    .bind(clock::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(sha)
}

/// Attach a voucher to a claim that is not settled yet.
pub async fn add_voucher(db: &Db, actor: &str, claim_id: i64, v: Voucher) -> Result<VoucherInfo> {
    let c = claim(db, claim_id).await?;
    if v.bytes.is_empty() {
        return Err(bad("voucher", "请选择凭证文件", "choose a voucher file"));
    }
    if v.bytes.len() > MAX_VOUCHER_BYTES {
        return Err(bad("voucher", "凭证文件不能超过10MB", "a voucher may be at most 10 MB"));
    }
    let mut tx = db.begin().await?;
    let sha = attach(&mut tx, &c, &v).await?;
    audit_write(
        &mut tx,
        actor,
        "finance.claim.voucher",
        "fin_claim",
        c.id,
        (Some(&c.community_code), &c.district_code),
        json!({ "sha256": sha, "bytes": v.bytes.len() }),
    )
    .await?;
    tx.commit().await?;
    vouchers(db, claim_id).await?.into_iter().last().ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VoucherInfo {
    pub id: i64,
    pub claim_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: String,
}

pub async fn vouchers(db: &Db, claim_id: i64) -> Result<Vec<VoucherInfo>> {
    Ok(sqlx::query_as(
        "SELECT id, claim_id, filename, content_type, size_bytes, sha256, created_at FROM fin_vouchers WHERE claim_id = $1 ORDER BY id",
    )
    .bind(claim_id)
    .fetch_all(&db.pool)
    .await?)
}

/// A voucher's content, checked against its stored SHA-256.
pub async fn voucher_content(db: &Db, voucher_id: i64) -> Result<(VoucherInfo, Vec<u8>)> {
    let info: VoucherInfo = sqlx::query_as(
        "SELECT id, claim_id, filename, content_type, size_bytes, sha256, created_at FROM fin_vouchers WHERE id = $1",
    )
    .bind(voucher_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)?;
    let bytes: Vec<u8> = sqlx::query_scalar("SELECT content FROM fin_vouchers WHERE id = $1")
        .bind(voucher_id)
        .fetch_one(&db.pool)
        .await?;
    use sha2::{Digest, Sha256};
    if hex::encode(Sha256::digest(&bytes)) != info.sha256 {
        return Err(StoreError::Config(format!("voucher {voucher_id} does not match its checksum")));
    }
    Ok((info, bytes))
}

pub async fn claim(db: &Db, id: i64) -> Result<Claim> {
    sqlx::query_as("SELECT * FROM fin_claims WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn claims(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<Claim>> {
    Ok(sqlx::query_as(
        "SELECT * FROM fin_claims WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) \
         ORDER BY id DESC LIMIT 500",
    )
    .bind(community.map(str::to_string))
    .bind(district.map(str::to_string))
    .fetch_all(&db.pool)
    .await?)
}

/// Who approves: the community head (社区负责人) first, then district finance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Head,
    District,
}

fn status_error(c: &Claim, stage: Stage) -> StoreError {
    match (c.status.as_str(), stage) {
        ("pending", Stage::District) => bad("status", "须先经社区负责人审批", "the community head must approve first"),
        ("head_approved", Stage::Head) => {
            bad("status", "您已审批过该报账", "this claim was already approved at this step")
        }
        ("paid", _) => bad("status", "该报账已支付", "this claim is already paid"),
        ("rejected", _) => bad("status", "该报账已被退回", "this claim was rejected"),
        _ => bad("status", "该报账已被他人处理，请刷新", "this claim was handled meanwhile; reload"),
    }
}

/// Approve a claim at a stage. The final approval pays it: the reimbursement
/// posts through the engine in the same transaction as the status change.
pub async fn approve(db: &Db, actor: &str, user_id: i64, stage: Stage, claim_id: i64) -> Result<Claim> {
    let c = claim(db, claim_id).await?;
    if c.filed_by == user_id {
        return Err(bad("approver", "不能审批自己提交的报账", "you cannot approve a claim you filed"));
    }
    let from = match stage {
        Stage::Head => "pending",
        Stage::District => "head_approved",
    };
    if c.status != from {
        return Err(status_error(&c, stage));
    }
    let now = clock::now_text();
    let is_final = stage == Stage::District || c.needs_district == 0;
    let set_who = match stage {
        Stage::Head => "head_by = $1, head_at = $2",
        Stage::District => "district_by = $1, district_at = $2",
    };
    if !is_final {
        let mut tx = db.begin().await?;
        let sql =
            format!("UPDATE fin_claims SET status = 'head_approved', {set_who} WHERE id = $3 AND status = 'pending'");
        let moved =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(&now).bind(claim_id).execute(&mut *tx).await?;
        if moved.rows_affected() != 1 {
            return Err(status_error(&claim(db, claim_id).await?, stage));
        }
        audit_write(
            &mut tx,
            actor,
            "finance.claim.approve",
            "fin_claim",
            claim_id,
            (Some(&c.community_code), &c.district_code),
            json!({ "stage": "head", "amount_fen": c.amount_fen }),
        )
        .await?;
        tx.commit().await?;
        return claim(db, claim_id).await;
    }
    let fund = c.fund_class()?;
    let date = today();
    let flow = reimbursement(&c, &fund, format!("claim-{}", c.id), date)?;
    let mut w = Writer::begin(db).await?;
    let (id, _) = w.post(actor, flow).await?;
    let sql = format!(
        "UPDATE fin_claims SET status = 'paid', {set_who}, tx_id = $4, paid_on = $5 WHERE id = $3 AND status = '{from}'"
    );
    let moved = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(&now)
        .bind(claim_id)
        .bind(id.0 as i64)
        .bind(date.to_string())
        .execute(&mut *w.tx)
        .await?;
    if moved.rows_affected() != 1 {
        drop(w);
        return Err(status_error(&claim(db, claim_id).await?, stage));
    }
    if let Some(line_id) = c.budget_line_id {
        let spent = sqlx::query(
            "UPDATE budget_lines SET spent_fen = spent_fen + $1 WHERE id = $2 AND spent_fen + $1 <= amount_fen",
        )
        .bind(c.amount_fen)
        .bind(line_id)
        .execute(&mut *w.tx)
        .await?;
        if spent.rows_affected() != 1 {
            return Err(bad("amount", "超出项目预算科目的余额", "over what is left of the budget line"));
        }
        let (source, source_id): (String, i64) =
            sqlx::query_as("SELECT source, source_id FROM budget_lines WHERE id = $1")
                .bind(line_id)
                .fetch_one(&mut *w.tx)
                .await?;
        if source == "pb_project" {
            sqlx::query(
                "INSERT INTO pb_spending (project_id, community_code, district_code, amount_fen, payee, purpose, spent_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(source_id)
            .bind(&c.community_code)
            .bind(&c.district_code)
            .bind(c.amount_fen)
            .bind(&c.payee)
            .bind(format!("{}（报账 #{}）", c.purpose, c.id))
            .bind(date.to_string())
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
        }
    }
    audit_write(
        &mut w.tx,
        actor,
        "finance.claim.pay",
        "fin_claim",
        claim_id,
        (Some(&c.community_code), &c.district_code),
        json!({ "stage": if stage == Stage::Head { "head" } else { "district" }, "tx": id.0, "amount_fen": c.amount_fen }),
    )
    .await?;
    w.commit().await?;
    claim(db, claim_id).await
}

/// Send a claim back with a reason.
pub async fn reject(db: &Db, actor: &str, user_id: i64, stage: Stage, claim_id: i64, reason: &str) -> Result<Claim> {
    let c = claim(db, claim_id).await?;
    if reason.trim().is_empty() {
        return Err(bad("reason", "退回须说明理由", "a rejection needs a reason"));
    }
    let from = match stage {
        Stage::Head => "pending",
        Stage::District => "head_approved",
    };
    if c.status != from {
        return Err(status_error(&c, stage));
    }
    let mut tx = db.begin().await?;
    let moved = sqlx::query(
        "UPDATE fin_claims SET status = 'rejected', rejected_by = $1, rejected_at = $2, reject_reason = $3 WHERE id = $4 AND status = $5",
    )
    .bind(user_id)
    .bind(clock::now_text())
    .bind(reason.trim())
    .bind(claim_id)
    .bind(from)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(status_error(&claim(db, claim_id).await?, stage));
    }
    audit_write(
        &mut tx,
        actor,
        "finance.claim.reject",
        "fin_claim",
        claim_id,
        (Some(&c.community_code), &c.district_code),
        json!({ "reason": reason.trim() }),
    )
    .await?;
    tx.commit().await?;
    claim(db, claim_id).await
}

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
                payee: p.payee,
                purpose: p.purpose,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_round_trip() {
        for f in
            [FundClass::Operating, FundClass::ServicePurchase, FundClass::assistance("T1"), FundClass::project("BL3")]
        {
            let (k, r) = fund_text(&f);
            assert_eq!(fund_of(k, &r).unwrap(), f);
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
