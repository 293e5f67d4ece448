//! The in-memory ledger state and the operations that change it.

use crate::chart::{Chart, ChartEntry, check_code};
use crate::date::Date;
use crate::error::LedgerError;
use crate::model::{
    Account, Closing, Entity, Fen, FundClass, Msg, NewAccount, NewPosting, NewTransaction, Period, Posting,
    Transaction, TxId,
};
// foldhash, not SipHash: every posting looks its account up, and a restore
// inserts every idempotency key (seeded per process, so keys sent by users
// cannot be chosen to collide).
use foldhash::HashMap;

/// One posting as seen from its account, kept in (date, tx) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub date: Date,
    pub tx: TxId,
    pub amount: Fen,
}

#[derive(Debug, Clone)]
pub(crate) struct AccountState {
    pub account: Account,
    pub entity: usize,
    /// Sum of all entries (debit positive).
    pub balance: Fen,
    /// Date-ordered postings; ties in posting order.
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
pub(crate) struct EntityState {
    pub entity: Entity,
    pub accounts: Vec<usize>,
    pub closed_through: Option<Date>,
}

/// What posting a request would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The request is valid and new: `post` will record it.
    WillPost,
    /// The same request was already posted under this key: `post` returns its id and records nothing.
    AlreadyPosted(TxId),
}

/// The ledger: chart, accounts, transactions, closings, and the indexes
/// derived from them (running balances, date-ordered postings per account,
/// idempotency keys, reversal links). Only the first four are source data; see
/// [`crate::LedgerSnapshot`].
#[derive(Debug, Clone)]
pub struct Ledger {
    pub(crate) chart: Chart,
    pub(crate) accounts: Vec<AccountState>,
    pub(crate) by_code: HashMap<String, usize>,
    pub(crate) entities: Vec<EntityState>,
    pub(crate) entity_idx: HashMap<Entity, usize>,
    pub(crate) txs: Vec<Transaction>,
    pub(crate) keys: HashMap<String, TxId>,
    pub(crate) reversed_by: HashMap<TxId, TxId>,
    pub(crate) closings: Vec<Closing>,
}

impl Default for Ledger {
    /// An empty ledger on the standard chart.
    fn default() -> Ledger {
        Ledger::new(Chart::standard())
    }
}

/// What a posting carries of its account: fund and entity.
pub(crate) struct Stamp {
    pub fund: crate::model::FundClass,
    pub district_code: String,
    pub community_code: Option<String>,
}

impl Ledger {
    pub fn new(chart: Chart) -> Ledger {
        Ledger {
            chart,
            accounts: Vec::new(),
            by_code: HashMap::default(),
            entities: Vec::new(),
            entity_idx: HashMap::default(),
            txs: Vec::new(),
            keys: HashMap::default(),
            reversed_by: HashMap::default(),
            closings: Vec::new(),
        }
    }

    // ----- chart and accounts -------------------------------------------------

    pub fn chart(&self) -> &Chart {
        &self.chart
    }

    /// Add a (city-specific) chart entry.
    pub fn extend_chart(&mut self, entry: ChartEntry) -> Result<(), LedgerError> {
        self.chart.add(entry)
    }

    /// The account a request would open (pure).
    pub fn account_for(&self, new: &NewAccount) -> Result<Account, LedgerError> {
        check_code(&new.code)?;
        let entry =
            self.chart.entry_for(&new.code).ok_or_else(|| LedgerError::UnknownChartCode { code: new.code.clone() })?;
        let fund_ok = match &new.fund {
            FundClass::Assistance { task: id } | FundClass::Project { project: id } => !id.trim().is_empty(),
            FundClass::Operating | FundClass::ServicePurchase => true,
        };
        let codes_ok =
            !new.district_code.trim().is_empty() && new.community_code.as_deref().is_none_or(|c| !c.trim().is_empty());
        if !fund_ok || !codes_ok {
            return Err(LedgerError::InvalidAccount { account: new.code.clone() });
        }
        let name = new.name.clone().unwrap_or_else(|| {
            let f = new.fund.label();
            Msg::new(format!("{}({})", entry.name.zh, f.zh), format!("{} ({})", entry.name.en, f.en))
        });
        Ok(Account {
            code: new.code.clone(),
            name,
            chart: entry.code.clone(),
            kind: entry.kind,
            fund: new.fund.clone(),
            district_code: new.district_code.clone(),
            community_code: new.community_code.clone(),
        })
    }

    /// Open a new account; refused if the code is taken.
    pub fn open_account(&mut self, new: NewAccount) -> Result<&Account, LedgerError> {
        let account = self.account_for(&new)?;
        if self.by_code.contains_key(&account.code) {
            return Err(LedgerError::AccountConflict { account: account.code });
        }
        let i = self.insert_account(account);
        Ok(&self.accounts[i].account)
    }

    /// Open the account unless an equal one exists (a `None` name matches any name).
    /// Returns whether it was opened now.
    pub fn ensure_account(&mut self, new: NewAccount) -> Result<bool, LedgerError> {
        let account = self.account_for(&new)?;
        match self.by_code.get(&account.code) {
            Some(&i) if same_account(&self.accounts[i].account, &account, new.name.is_some()) => Ok(false),
            Some(_) => Err(LedgerError::AccountConflict { account: account.code }),
            None => {
                self.insert_account(account);
                Ok(true)
            }
        }
    }

    pub(crate) fn insert_account(&mut self, account: Account) -> usize {
        let i = self.accounts.len();
        let entity = self.intern_entity(account.entity());
        self.entities[entity].accounts.push(i);
        self.by_code.insert(account.code.clone(), i);
        self.accounts.push(AccountState { account, entity, balance: 0, entries: Vec::new() });
        i
    }

    pub(crate) fn intern_entity(&mut self, entity: Entity) -> usize {
        if let Some(&i) = self.entity_idx.get(&entity) {
            return i;
        }
        let i = self.entities.len();
        self.entity_idx.insert(entity.clone(), i);
        self.entities.push(EntityState { entity, accounts: Vec::new(), closed_through: None });
        i
    }

    pub fn account(&self, code: &str) -> Option<&Account> {
        self.by_code.get(code).map(|&i| &self.accounts[i].account)
    }

    /// All accounts in opening order.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.iter().map(|s| &s.account)
    }

    /// The accounts of one entity, in opening order.
    pub fn entity_accounts(&self, entity: &Entity) -> impl Iterator<Item = &Account> {
        let ids = self.entity_idx.get(entity).map(|&e| self.entities[e].accounts.as_slice()).unwrap_or(&[]);
        ids.iter().map(|&i| &self.accounts[i].account)
    }

    // ----- transactions -------------------------------------------------------

    pub fn transaction(&self, id: TxId) -> Option<&Transaction> {
        id.0.checked_sub(1).and_then(|i| self.txs.get(i as usize))
    }

    /// All transactions in posting order (`transactions()[i].id == TxId(i + 1)`).
    pub fn transactions(&self) -> &[Transaction] {
        &self.txs
    }

    /// The transaction posted under an idempotency key.
    pub fn tx_for_key(&self, key: &str) -> Option<TxId> {
        self.keys.get(key).copied()
    }

    /// The reversal of a transaction, if it has one.
    pub fn reversed_by(&self, id: TxId) -> Option<TxId> {
        self.reversed_by.get(&id).copied()
    }

    /// Pure check: `Ok(())` iff `post` would succeed (including a retry of an
    /// already posted request, which `post` answers with the original id).
    pub fn validate(&self, tx: &NewTransaction) -> Result<(), LedgerError> {
        self.check(tx).map(|_| ())
    }

    /// Pure check that also tells a new request from a retry.
    pub fn check(&self, tx: &NewTransaction) -> Result<Check, LedgerError> {
        self.check_with(tx, &[])
    }

    /// Record a transaction. A retry with the same key and content returns the
    /// original id without posting again.
    pub fn post(&mut self, tx: NewTransaction) -> Result<TxId, LedgerError> {
        match self.check(&tx)? {
            Check::AlreadyPosted(id) => Ok(id),
            Check::WillPost => Ok(self.apply(tx)),
        }
    }

    /// Record a transaction that passed `check`.
    pub(crate) fn apply(&mut self, tx: NewTransaction) -> TxId {
        self.apply_with(tx, |_, a| Stamp {
            fund: a.fund.clone(),
            district_code: a.district_code.clone(),
            community_code: a.community_code.clone(),
        })
    }

    /// [`Ledger::apply`], each posting stamped with its account's fund and
    /// entity by `stamp` (given the posting's line and its account): live
    /// posting copies them from the account; a restore moves in the stored
    /// ones it has compared with the account's, instead of copying three
    /// strings a posting.
    pub(crate) fn apply_with(&mut self, tx: NewTransaction, mut stamp: impl FnMut(usize, &Account) -> Stamp) -> TxId {
        let id = TxId(self.txs.len() as u64 + 1);
        let date = tx.date;
        let postings = tx
            .postings
            .into_iter()
            .enumerate()
            .map(|(line, NewPosting { account, amount })| {
                let st = &mut self.accounts[self.by_code[&account]];
                st.balance += amount;
                let at = st.entries.partition_point(|e| e.date <= date);
                st.entries.insert(at, Entry { date, tx: id, amount });
                let Stamp { fund, district_code, community_code } = stamp(line, &st.account);
                Posting { account, amount, fund, district_code, community_code }
            })
            .collect();
        self.keys.insert(tx.key.clone(), id);
        if let Some(orig) = tx.reverses {
            self.reversed_by.insert(orig, id);
        }
        self.txs.push(Transaction {
            id,
            key: tx.key,
            date,
            memo: tx.memo,
            reference: tx.reference,
            reverses: tx.reverses,
            postings,
        });
        id
    }

    /// Build the reversal of `id`: the exact negation of its postings, dated
    /// `date`, pointing back at it. Refused if `id` is unknown, is itself a
    /// reversal, or was already reversed. Post it with [`Ledger::post`].
    pub fn reverse(
        &self,
        id: TxId,
        key: impl Into<String>,
        date: Date,
        memo: impl Into<String>,
    ) -> Result<NewTransaction, LedgerError> {
        let orig = self.transaction(id).ok_or(LedgerError::UnknownTransaction { id })?;
        if orig.reverses.is_some() {
            return Err(LedgerError::ReversalOfReversal { id });
        }
        if let Some(by) = self.reversed_by(id) {
            return Err(LedgerError::AlreadyReversed { id, by });
        }
        Ok(NewTransaction {
            key: key.into(),
            date,
            memo: memo.into(),
            reference: orig.reference.clone(),
            reverses: Some(id),
            postings: orig
                .postings
                .iter()
                .map(|p| NewPosting { account: p.account.clone(), amount: -p.amount })
                .collect(),
        })
    }

    // ----- periods ------------------------------------------------------------

    /// The last locked day of an entity's books.
    pub fn closed_through(&self, entity: &Entity) -> Option<Date> {
        self.entity_idx.get(entity).and_then(|&i| self.entities[i].closed_through)
    }

    /// All period closes in the order they were made.
    pub fn closings(&self) -> &[Closing] {
        &self.closings
    }

    /// Close a month or year of an entity's books. Books close in order:
    /// closing a period also locks everything before it. Returns the new
    /// closed-through date.
    pub fn close_period(&mut self, entity: Entity, period: Period) -> Result<Date, LedgerError> {
        let through = period.last_day().ok_or(LedgerError::InvalidPeriod { period })?;
        if entity.district_code.trim().is_empty()
            || entity.community_code.as_deref().is_some_and(|c| c.trim().is_empty())
        {
            return Err(LedgerError::InvalidAccount { account: entity.to_string() });
        }
        if let Some(closed) = self.closed_through(&entity).filter(|&c| c >= through) {
            return Err(LedgerError::PeriodAlreadyClosed { entity, closed_through: closed });
        }
        let e = self.intern_entity(entity.clone());
        self.entities[e].closed_through = Some(through);
        self.closings.push(Closing { entity, period, through, after_tx: self.txs.len() as u64, reopened: false });
        Ok(through)
    }

    /// L-REOPEN: open a closed period again, and with it every later one
    /// (books close in order). Who may do it, and why, is the caller's to
    /// record. Returns the new closed-through date: the day before the period.
    pub fn reopen_period(&mut self, entity: Entity, period: Period) -> Result<Date, LedgerError> {
        let first = period.first_day().ok_or(LedgerError::InvalidPeriod { period })?;
        if self.closed_through(&entity).is_none_or(|c| c < first) {
            return Err(LedgerError::PeriodNotClosed { entity, period });
        }
        let through = first.add_days(-1);
        let e = self.intern_entity(entity.clone());
        self.entities[e].closed_through = Some(through);
        self.closings.push(Closing { entity, period, through, after_tx: self.txs.len() as u64, reopened: true });
        Ok(through)
    }
}

fn same_account(existing: &Account, new: &Account, compare_name: bool) -> bool {
    existing.chart == new.chart
        && existing.kind == new.kind
        && existing.fund == new.fund
        && existing.district_code == new.district_code
        && existing.community_code == new.community_code
        && (!compare_name || existing.name == new.name)
}
