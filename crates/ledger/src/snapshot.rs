//! Persistence boundary. A ledger's source data is its chart, accounts,
//! transactions and closings; everything else (balances, per-account
//! postings, key and reversal indexes) is derived and rebuilt on restore.

use crate::chart::Chart;
use crate::error::LedgerError;
use crate::ledger::{Check, Ledger, Stamp};
use crate::model::{Account, Closing, NewAccount, NewPosting, NewTransaction, Transaction, TxId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Everything a storage layer must keep. Transactions are in id order;
/// closings in the order they were made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerSnapshot {
    pub chart: Chart,
    pub accounts: Vec<Account>,
    pub transactions: Vec<Transaction>,
    pub closings: Vec<Closing>,
}

fn corrupt(reason: impl Into<String>) -> LedgerError {
    LedgerError::Corrupt { reason: reason.into() }
}

impl Ledger {
    /// A copy of the source data.
    pub fn snapshot(&self) -> LedgerSnapshot {
        LedgerSnapshot {
            chart: self.chart.clone(),
            accounts: self.accounts().cloned().collect(),
            transactions: self.txs.clone(),
            closings: self.closings.clone(),
        }
    }

    /// Rebuild a ledger by replaying the snapshot through the same checks as
    /// live posting (closings re-applied at the point they were made). Any
    /// record that would not have been accepted is reported as `Corrupt`.
    pub fn restore(snap: LedgerSnapshot) -> Result<Ledger, LedgerError> {
        let mut chart = Chart::empty();
        for e in snap.chart.entries() {
            chart.add(e.clone()).map_err(|e| corrupt(format!("chart: {}", e.msg().en)))?;
        }
        let mut ledger = Ledger::new(chart);
        for a in snap.accounts {
            let new = NewAccount {
                code: a.code.clone(),
                name: Some(a.name.clone()),
                district_code: a.district_code.clone(),
                community_code: a.community_code.clone(),
                fund: a.fund.clone(),
            };
            let built = ledger.account_for(&new).map_err(|e| corrupt(format!("account {}: {}", a.code, e.msg().en)))?;
            if built != a || ledger.by_code.contains_key(&a.code) {
                return Err(corrupt(format!("account {} is duplicated or inconsistent with the chart", a.code)));
            }
            ledger.insert_account(a);
        }
        let mut closings = snap.closings.into_iter().peekable();
        let total = snap.transactions.len() as u64;
        ledger.txs.reserve_exact(snap.transactions.len());
        ledger.keys.reserve(snap.transactions.len());
        for (i, tx) in snap.transactions.into_iter().enumerate() {
            while let Some(c) = closings.next_if(|c| c.after_tx == i as u64) {
                ledger.replay_closing(c)?;
            }
            if tx.id != TxId(i as u64 + 1) {
                return Err(corrupt(format!("transaction {} found at position {}", tx.id, i + 1)));
            }
            // The stored transaction is taken apart, not copied: its request
            // goes through the live checks, and its postings' fund and entity
            // are moved in once they are found equal to their accounts'.
            let Transaction { id, key, date, memo, reference, reverses, postings } = tx;
            let (accounts, stamps): (Vec<NewPosting>, Vec<Stamp>) = postings
                .into_iter()
                .map(|p| {
                    let stamp =
                        Stamp { fund: p.fund, district_code: p.district_code, community_code: p.community_code };
                    (NewPosting { account: p.account, amount: p.amount }, stamp)
                })
                .unzip();
            let request = NewTransaction { key, date, memo, reference, reverses, postings: accounts };
            match ledger.check(&request) {
                Ok(Check::WillPost) => {}
                Ok(Check::AlreadyPosted(first)) => {
                    return Err(corrupt(format!("transaction {id} repeats the key of {first}")));
                }
                Err(e) => return Err(corrupt(format!("transaction {id}: {}", e.msg().en))),
            }
            let mut differs = false;
            let mut stamps = stamps.into_iter();
            ledger.apply_with(request, |_, a| {
                let s = stamps.next().expect("one stamp a posting");
                differs |=
                    s.fund != a.fund || s.district_code != a.district_code || s.community_code != a.community_code;
                s
            });
            if differs {
                return Err(corrupt(format!("transaction {id}: stored fund or entity codes differ from its accounts")));
            }
        }
        for c in closings {
            if c.after_tx != total {
                return Err(corrupt(format!("closing of {} {} is out of order", c.entity, c.period)));
            }
            ledger.replay_closing(c)?;
        }
        Ok(ledger)
    }

    fn replay_closing(&mut self, c: Closing) -> Result<(), LedgerError> {
        let replayed = if c.reopened {
            self.reopen_period(c.entity.clone(), c.period)
        } else {
            self.close_period(c.entity.clone(), c.period)
        };
        let through = replayed.map_err(|e| corrupt(format!("closing {} {}: {}", c.entity, c.period, e.msg().en)))?;
        if through != c.through || self.closings.last() != Some(&c) {
            return Err(corrupt(format!("closing {} {} does not match its period", c.entity, c.period)));
        }
        Ok(())
    }

    /// Recompute every derived figure from the transactions and check the
    /// invariants: each account's balance is the sum of its postings and its
    /// postings are date-ordered; the books of every entity sum to zero; no
    /// floored account is below zero after any transaction in date order.
    pub fn audit(&self) -> Result<(), LedgerError> {
        let mut sums: HashMap<&str, i128> = HashMap::new();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for tx in &self.txs {
            for p in &tx.postings {
                *sums.entry(&p.account).or_default() += i128::from(p.amount);
                *counts.entry(&p.account).or_default() += 1;
            }
        }
        let mut per_entity: HashMap<usize, i128> = HashMap::new();
        for s in &self.accounts {
            let code = s.account.code.as_str();
            let sum = sums.get(code).copied().unwrap_or(0);
            let entry_sum: i128 = s.entries.iter().map(|e| i128::from(e.amount)).sum();
            if sum != i128::from(s.balance)
                || entry_sum != sum
                || counts.get(code).copied().unwrap_or(0) != s.entries.len()
            {
                return Err(corrupt(format!("balance of {code} is not the sum of its postings")));
            }
            if s.entries.windows(2).any(|w| (w[0].date, w[0].tx) > (w[1].date, w[1].tx)) {
                return Err(corrupt(format!("postings of {code} are out of date order")));
            }
            *per_entity.entry(s.entity).or_default() += sum;
            if s.account.floored() {
                let sign = i128::from(s.account.kind.normal_sign());
                let mut run = 0i128;
                for (i, e) in s.entries.iter().enumerate() {
                    run += i128::from(e.amount);
                    let group_end = s.entries.get(i + 1).is_none_or(|n| n.tx != e.tx);
                    if group_end && run * sign < 0 {
                        return Err(corrupt(format!("{code} is below zero after {} on {}", e.tx, e.date)));
                    }
                }
            }
        }
        if let Some((&e, _)) = per_entity.iter().find(|&(_, s)| *s != 0) {
            return Err(corrupt(format!("the books of {} do not balance", self.entities[e].entity)));
        }
        Ok(())
    }
}
