//! The pure check behind `validate`/`post`. Checks run in this order, and the
//! first failure is reported:
//!
//! 1. idempotency key: empty → refused; already used → `AlreadyPosted` if the
//!    request is identical, `IdempotencyConflict` otherwise;
//! 2. shape: ≥ 2 postings, each to a known account, non-zero, |amount| ≤ `MAX_AMOUNT`;
//! 3. balance: the postings sum to zero, and so do the postings of each entity;
//! 4. closed periods of every entity touched;
//! 5. a reversal must target an existing, unreversed, non-reversal transaction,
//!    be its exact negation and not predate it; any other transaction must
//!    keep restricted money on purpose (see below);
//! 6. floors: no floored account goes below zero at any point from the date on,
//!    and no balance leaves ±`MAX_BALANCE`.
//!
//! **Restricted-money rule.** Within one transaction and one entity, the
//! postings on accounts of a restricted fund F (an assistance task or a
//! project) must not net to a credit. Whatever leaves F's bank account must
//! land on an account of F: an expense *for that task/project*, a payable for
//! it, or another F account. Putting unrestricted money *into* F (a community
//! topping up a task) is allowed. Reversals are exempt: they restore what an
//! accepted transaction changed, and the floors still apply to them.

use crate::error::LedgerError;
use crate::ledger::{AccountState, Check, Ledger};
use crate::model::{Account, Entity, FundClass, MAX_AMOUNT, MAX_BALANCE, NewTransaction};

/// An account a request touches: open already, or about to be opened by a flow.
#[derive(Clone, Copy)]
enum Acct<'a> {
    Open(&'a AccountState),
    New(&'a Account),
}

impl<'a> Acct<'a> {
    fn account(self) -> &'a Account {
        match self {
            Acct::Open(s) => &s.account,
            Acct::New(a) => a,
        }
    }
}

type EntityKey<'a> = (&'a str, Option<&'a str>);

fn entity_key(a: &Account) -> EntityKey<'_> {
    (&a.district_code, a.community_code.as_deref())
}

fn entity_of(k: EntityKey<'_>) -> Entity {
    Entity { district_code: k.0.to_string(), community_code: k.1.map(str::to_string) }
}

impl Ledger {
    /// Check `tx` as if the accounts in `extra` (not yet open) were open and empty.
    pub(crate) fn check_with(&self, tx: &NewTransaction, extra: &[Account]) -> Result<Check, LedgerError> {
        // 1. idempotency
        if tx.key.trim().is_empty() {
            return Err(LedgerError::EmptyKey);
        }
        if let Some(&id) = self.keys.get(&tx.key) {
            let orig = self.transaction(id).expect("keys point at transactions");
            return if orig.same_request(tx) {
                Ok(Check::AlreadyPosted(id))
            } else {
                Err(LedgerError::IdempotencyConflict { key: tx.key.clone(), original: id })
            };
        }

        // 2. shape
        if tx.postings.len() < 2 {
            return Err(LedgerError::TooFewPostings { count: tx.postings.len() });
        }
        let mut accts = Vec::with_capacity(tx.postings.len());
        for p in &tx.postings {
            let acct = match self.by_code.get(&p.account) {
                Some(&i) => Acct::Open(&self.accounts[i]),
                None => match extra.iter().find(|a| a.code == p.account) {
                    Some(a) => Acct::New(a),
                    None => return Err(LedgerError::UnknownAccount { account: p.account.clone() }),
                },
            };
            if p.amount == 0 {
                return Err(LedgerError::ZeroAmount { account: p.account.clone() });
            }
            if p.amount.unsigned_abs() > MAX_AMOUNT as u64 {
                return Err(LedgerError::AmountOutOfRange { account: p.account.clone(), amount: p.amount });
            }
            accts.push(acct);
        }

        // 3. balance, overall and per entity
        let sum: i128 = tx.postings.iter().map(|p| i128::from(p.amount)).sum();
        if sum != 0 {
            return Err(LedgerError::Unbalanced { sum: clamp(sum) });
        }
        let mut per_entity: Vec<(EntityKey, i128)> = Vec::new();
        for (p, a) in tx.postings.iter().zip(&accts) {
            let k = entity_key(a.account());
            match per_entity.iter_mut().find(|(e, _)| *e == k) {
                Some((_, s)) => *s += i128::from(p.amount),
                None => per_entity.push((k, i128::from(p.amount))),
            }
        }
        if let Some((k, s)) = per_entity.iter().find(|(_, s)| *s != 0) {
            return Err(LedgerError::EntityUnbalanced { entity: entity_of(*k), sum: clamp(*s) });
        }

        // 4. closed periods
        for (k, _) in &per_entity {
            let closed = match self.entity_idx.get(&entity_of(*k)) {
                Some(&e) => self.entities[e].closed_through,
                None => None,
            };
            if let Some(c) = closed.filter(|&c| tx.date <= c) {
                return Err(LedgerError::PeriodClosed { entity: entity_of(*k), date: tx.date, closed_through: c });
            }
        }

        // 5. reversal, or restricted money
        match tx.reverses {
            Some(id) => self.check_reversal(tx, id)?,
            None => check_restricted(tx, &accts)?,
        }

        // 6. floors and balance range, per distinct account
        let mut deltas: Vec<(Acct, i128)> = Vec::new();
        for (p, a) in tx.postings.iter().zip(&accts) {
            match deltas.iter_mut().find(|(b, _)| b.account().code == a.account().code) {
                Some((_, d)) => *d += i128::from(p.amount),
                None => deltas.push((*a, i128::from(p.amount))),
            }
        }
        for (acct, delta) in deltas {
            let account = acct.account();
            let current = match acct {
                Acct::Open(s) => i128::from(s.balance),
                Acct::New(_) => 0,
            };
            if (current + delta).abs() > i128::from(MAX_BALANCE) {
                return Err(LedgerError::BalanceOutOfRange { account: account.code.clone() });
            }
            let sign = i128::from(account.kind.normal_sign());
            if !account.floored() || delta * sign >= 0 {
                continue;
            }
            let available = match acct {
                Acct::Open(s) => min_normal_balance_from(s, tx.date),
                Acct::New(_) => 0,
            };
            if available + delta * sign < 0 {
                return Err(LedgerError::Overdraw {
                    account: account.code.clone(),
                    available: clamp(available),
                    needed: clamp(-delta * sign),
                });
            }
        }
        Ok(Check::WillPost)
    }

    fn check_reversal(&self, tx: &NewTransaction, id: crate::TxId) -> Result<(), LedgerError> {
        let orig = self.transaction(id).ok_or(LedgerError::UnknownTransaction { id })?;
        if orig.reverses.is_some() {
            return Err(LedgerError::ReversalOfReversal { id });
        }
        if let Some(by) = self.reversed_by(id) {
            return Err(LedgerError::AlreadyReversed { id, by });
        }
        let exact = orig.postings.len() == tx.postings.len()
            && orig.postings.iter().zip(&tx.postings).all(|(o, n)| o.account == n.account && o.amount == -n.amount);
        if !exact {
            return Err(LedgerError::NotExactReversal { id });
        }
        if tx.date < orig.date {
            return Err(LedgerError::ReversalBeforeOriginal { id, original_date: orig.date });
        }
        Ok(())
    }
}

/// Restricted funds must not net to a credit within an entity.
fn check_restricted(tx: &NewTransaction, accts: &[Acct]) -> Result<(), LedgerError> {
    let mut nets: Vec<(EntityKey, &FundClass, i128)> = Vec::new();
    for (p, a) in tx.postings.iter().zip(accts) {
        let account = a.account();
        if !account.fund.is_restricted() {
            continue;
        }
        let k = entity_key(account);
        match nets.iter_mut().find(|(e, f, _)| *e == k && **f == account.fund) {
            Some((_, _, s)) => *s += i128::from(p.amount),
            None => nets.push((k, &account.fund, i128::from(p.amount))),
        }
    }
    if let Some((k, fund, net)) = nets.into_iter().find(|(_, _, net)| *net < 0) {
        // name the first account that released the money
        let (p, _) = tx
            .postings
            .iter()
            .zip(accts)
            .find(|(p, a)| p.amount < 0 && entity_key(a.account()) == k && a.account().fund == *fund)
            .expect("a negative net has a credit");
        return Err(LedgerError::RestrictedFundMisuse {
            fund: fund.clone(),
            account: p.account.clone(),
            amount: clamp(-net),
        });
    }
    Ok(())
}

/// The lowest normal-side balance of the account at the end of `date` and after
/// every later posting: how much may still be taken out on `date`.
pub(crate) fn min_normal_balance_from(s: &AccountState, date: crate::Date) -> i128 {
    let sign = i128::from(s.account.kind.normal_sign());
    let later = &s.entries[s.entries.partition_point(|e| e.date <= date)..];
    let mut run = i128::from(s.balance) - later.iter().map(|e| i128::from(e.amount)).sum::<i128>();
    let mut min = run * sign;
    for (i, e) in later.iter().enumerate() {
        run += i128::from(e.amount);
        // a transaction is atomic: look at the balance after all its postings
        if later.get(i + 1).is_none_or(|next| next.tx != e.tx) {
            min = min.min(run * sign);
        }
    }
    min
}

fn clamp(x: i128) -> i64 {
    x.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}
