//! Property test: random sequences of allocations, task funding, budget lines,
//! claims, misuse attempts, reversals, retries and period closes. After every
//! step the invariants are recomputed from the transactions alone.

mod common;

use common::*;
use ledger::flows::{self, Flow, ProjectSource, Settlement};
use ledger::{Date, Entity, FundClass, Ledger, LedgerError, NewPosting, NewTransaction, Period, TxId};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};

const COMMUNITIES: [&str; 3] = [C1, C2, C3];

#[derive(Debug, Clone)]
enum Op {
    Allocate {
        c: usize,
        amount: i64,
        day: i32,
    },
    FundTask {
        c: usize,
        task: usize,
        amount: i64,
        day: i32,
    },
    Budget {
        c: usize,
        project: usize,
        amount: i64,
        day: i32,
        from_operating: bool,
    },
    Claim {
        c: usize,
        fund: usize,
        amount: i64,
        day: i32,
        payable: bool,
    },
    PayPayable {
        c: usize,
        fund: usize,
        amount: i64,
        day: i32,
    },
    /// Spend restricted money of `from` on an expense of another fund.
    Misuse {
        c: usize,
        from: usize,
        to: usize,
        amount: i64,
        day: i32,
    },
    Reverse {
        pick: usize,
        day: i32,
    },
    Retry {
        pick: usize,
        mutate: bool,
    },
    Close {
        entity: usize,
        month: u8,
    },
}

fn fund(i: usize) -> FundClass {
    match i % 5 {
        0 => FundClass::Operating,
        1 => FundClass::assistance("T0"),
        2 => FundClass::assistance("T1"),
        3 => FundClass::project("P0"),
        _ => FundClass::project("P1"),
    }
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..3usize;
    let day = 0..366i32;
    prop_oneof![
        3 => (c.clone(), 1..50_000i64, day.clone()).prop_map(|(c, amount, day)| Op::Allocate { c, amount, day }),
        2 => (c.clone(), 0..2usize, 1..20_000i64, day.clone())
            .prop_map(|(c, task, amount, day)| Op::FundTask { c, task, amount, day }),
        2 => (c.clone(), 0..2usize, 1..20_000i64, day.clone(), any::<bool>())
            .prop_map(|(c, project, amount, day, from_operating)| Op::Budget { c, project, amount, day, from_operating }),
        5 => (c.clone(), 0..5usize, 1..30_000i64, day.clone(), any::<bool>())
            .prop_map(|(c, fund, amount, day, payable)| Op::Claim { c, fund, amount, day, payable }),
        1 => (c.clone(), 0..5usize, 1..10_000i64, day.clone())
            .prop_map(|(c, fund, amount, day)| Op::PayPayable { c, fund, amount, day }),
        2 => (c.clone(), 1..5usize, 0..4usize, 1..5_000i64, day.clone())
            .prop_map(|(c, from, to, amount, day)| Op::Misuse { c, from, to, amount, day }),
        2 => (any::<usize>(), day.clone()).prop_map(|(pick, day)| Op::Reverse { pick, day }),
        3 => (any::<usize>(), any::<bool>()).prop_map(|(pick, mutate)| Op::Retry { pick, mutate }),
        1 => (0..4usize, 1..13u8).prop_map(|(entity, month)| Op::Close { entity, month }),
    ]
}

fn on(day: i32) -> Date {
    date(2024, 1, 1).add_days(day)
}

/// What was sent and accepted, to retry it later.
#[derive(Clone)]
enum Sent {
    Flow(Flow),
    Tx(NewTransaction),
}

impl Sent {
    fn post(&self, l: &mut Ledger) -> Result<TxId, LedgerError> {
        match self.clone() {
            Sent::Flow(f) => l.post_flow(f),
            Sent::Tx(t) => l.post(t),
        }
    }

    fn mutated(&self) -> Sent {
        let bump = |t: &mut NewTransaction| {
            t.postings[0].amount += 1;
            t.postings[1].amount -= 1;
        };
        match self.clone() {
            Sent::Flow(mut f) => {
                bump(&mut f.tx);
                Sent::Flow(f)
            }
            Sent::Tx(mut t) => {
                bump(&mut t);
                Sent::Tx(t)
            }
        }
    }
}

fn closed(l: &Ledger, entities: &[Entity], d: Date) -> bool {
    entities.iter().any(|e| l.closed_through(e).is_some_and(|c| d <= c))
}

/// Invariants recomputed from the transactions, independently of the ledger's indexes.
fn check_invariants(l: &Ledger) {
    let mut per_account: HashMap<&str, Vec<(Date, u64, i64)>> = HashMap::new();
    let mut total: i128 = 0;
    let mut keys = HashSet::new();
    let mut reversed = HashSet::new();
    for t in l.transactions() {
        assert!(keys.insert(t.key.as_str()), "key {} posted twice", t.key);
        if let Some(orig) = t.reverses {
            assert!(reversed.insert(orig), "{orig} reversed twice");
            assert!(l.transaction(orig).unwrap().reverses.is_none(), "reversal of a reversal");
        }
        assert!(t.postings.len() >= 2);
        let mut per_entity: HashMap<(&str, Option<&str>), i64> = HashMap::new();
        for p in &t.postings {
            assert_ne!(p.amount, 0);
            total += i128::from(p.amount);
            *per_entity.entry((&p.district_code, p.community_code.as_deref())).or_default() += p.amount;
            per_account.entry(&p.account).or_default().push((t.date, t.id.0, p.amount));
        }
        assert!(per_entity.values().all(|&s| s == 0), "{t:?} unbalanced per entity");
    }
    assert_eq!(total, 0, "sum over all accounts");
    for a in l.accounts() {
        let mut rows = per_account.remove(a.code.as_str()).unwrap_or_default();
        assert_eq!(l.balance(&a.code).unwrap(), rows.iter().map(|r| r.2).sum::<i64>(), "{}", a.code);
        if a.floored() {
            rows.sort();
            let mut run = 0;
            for (i, r) in rows.iter().enumerate() {
                run += r.2;
                if rows.get(i + 1).is_none_or(|n| n.1 != r.1) {
                    assert!(a.kind.normal(run) >= 0, "{} below zero on {}", a.code, r.0);
                }
            }
        }
    }
    assert!(per_account.is_empty(), "postings to unknown accounts");
    l.audit().unwrap();
}

fn run(ops: Vec<Op>) {
    let mut l = Ledger::default();
    let mut sent: Vec<(Sent, TxId)> = Vec::new();
    let district = Entity::district(D);
    for (n, op) in ops.into_iter().enumerate() {
        let key = format!("k{n}");
        let before = l.transactions().len();
        let ent = |c: usize| Entity::community(D, COMMUNITIES[c]);
        // (what was sent, entities it touches, its date, whether it must be refused as misuse)
        let attempt: Option<(Sent, Vec<Entity>, Date, bool)> = match op.clone() {
            Op::Allocate { c, amount, day } => {
                let f = flows::allocation(&flows::Allocation {
                    meta: meta(&key, on(day)),
                    payer: bureau(),
                    community_code: COMMUNITIES[c].into(),
                    amount,
                    fund: FundClass::Operating,
                })
                .unwrap();
                Some((Sent::Flow(f), vec![district.clone(), ent(c)], on(day), false))
            }
            Op::FundTask { c, task, amount, day } => {
                let f = flows::assistance_funding(&flows::AssistanceFunding {
                    meta: meta(&key, on(day)),
                    payer: civil_affairs(),
                    community_code: COMMUNITIES[c].into(),
                    task: format!("T{task}"),
                    amount,
                })
                .unwrap();
                Some((Sent::Flow(f), vec![district.clone(), ent(c)], on(day), false))
            }
            Op::Budget { c, project, amount, day, from_operating } => {
                let source =
                    if from_operating { ProjectSource::CommunityOperating } else { ProjectSource::District(bureau()) };
                let f = flows::project_budget(&flows::ProjectBudget {
                    meta: meta(&key, on(day)),
                    district_code: D.into(),
                    community_code: COMMUNITIES[c].into(),
                    project: format!("P{project}"),
                    amount,
                    source,
                })
                .unwrap();
                let ents = if from_operating { vec![ent(c)] } else { vec![district.clone(), ent(c)] };
                Some((Sent::Flow(f), ents, on(day), false))
            }
            Op::Claim { c, fund: f, amount, day, payable } => {
                let flow = flows::reimbursement(&flows::Reimbursement {
                    meta: meta(&key, on(day)),
                    district_code: D.into(),
                    community_code: COMMUNITIES[c].into(),
                    fund: fund(f),
                    payee: "shop".into(),
                    amount,
                    settlement: if payable { Settlement::Payable } else { Settlement::Bank },
                    expense_chart: None,
                })
                .unwrap();
                Some((Sent::Flow(flow), vec![ent(c)], on(day), false))
            }
            Op::PayPayable { c, fund: f, amount, day } => {
                let flow = flows::payable_payment(&flows::PayablePayment {
                    meta: meta(&key, on(day)),
                    district_code: D.into(),
                    community_code: COMMUNITIES[c].into(),
                    fund: fund(f),
                    payee: "shop".into(),
                    amount,
                })
                .unwrap();
                Some((Sent::Flow(flow), vec![ent(c)], on(day), false))
            }
            Op::Misuse { c, from, to, amount, day } => {
                let to = if to >= from { to + 1 } else { to };
                let (from, to) = (fund(from), fund(to));
                let expense = flows::community_account(flows::standard_charts(&to).1, D, COMMUNITIES[c], None, &to);
                let bank_acct = flows::community_account(ledger::chart::codes::BANK, D, COMMUNITIES[c], None, &from);
                let tx = NewTransaction {
                    key: key.clone(),
                    date: on(day),
                    memo: "misuse".into(),
                    reference: None,
                    reverses: None,
                    postings: vec![
                        NewPosting::debit(&expense.code, amount),
                        NewPosting::credit(&bank_acct.code, amount),
                    ],
                };
                Some((Sent::Flow(Flow { accounts: vec![expense, bank_acct], tx }), vec![ent(c)], on(day), true))
            }
            Op::Reverse { pick, day } => {
                if sent.is_empty() {
                    None
                } else {
                    let id = sent[pick % sent.len()].1;
                    match l.reverse(id, key.clone(), on(day), "fix") {
                        Ok(req) => {
                            let ents = l.transaction(id).unwrap().postings.iter().map(|p| Entity {
                                district_code: p.district_code.clone(),
                                community_code: p.community_code.clone(),
                            });
                            Some((Sent::Tx(req), ents.collect(), on(day), false))
                        }
                        Err(e) => {
                            let code = e.code();
                            assert!(code == "already_reversed" || code == "reversal_of_reversal", "{e}");
                            None
                        }
                    }
                }
            }
            Op::Retry { pick, mutate } => {
                if !sent.is_empty() {
                    let (s, id) = sent[pick % sent.len()].clone();
                    if mutate {
                        let err = s.mutated().post(&mut l).unwrap_err();
                        assert!(matches!(err, LedgerError::IdempotencyConflict { original, .. } if original == id));
                    } else {
                        assert_eq!(s.post(&mut l).unwrap(), id, "a retry answers with the original id");
                    }
                    assert_eq!(l.transactions().len(), before, "a retry never posts");
                }
                None
            }
            Op::Close { entity, month } => {
                let e = if entity == 3 { district.clone() } else { ent(entity) };
                let was = l.closed_through(&e);
                match l.close_period(e.clone(), Period::Month { year: 2024, month }) {
                    Ok(through) => assert!(was.is_none_or(|w| w < through)),
                    Err(err) => assert_eq!(err.code(), "period_already_closed"),
                }
                None
            }
        };
        if let Some((s, ents, d, misuse)) = attempt {
            let was_closed = closed(&l, &ents, d);
            match s.post(&mut l) {
                Ok(id) => {
                    assert!(!misuse, "restricted money was misused");
                    assert!(!was_closed, "posted into a closed period");
                    assert_eq!(id, TxId(before as u64 + 1));
                    sent.push((s, id));
                }
                Err(e) => {
                    assert_eq!(l.transactions().len(), before);
                    if was_closed {
                        assert_eq!(e.code(), "period_closed", "{e}");
                    } else if misuse {
                        assert_eq!(e.code(), "restricted_fund_misuse", "{e}");
                    } else {
                        let code = e.code();
                        assert!(code == "overdraw" || code == "reversal_before_original", "{e}");
                    }
                }
            }
        }
        check_invariants(&l);
    }
    let back = Ledger::restore(l.snapshot()).expect("snapshot replays");
    assert_eq!(back.snapshot(), l.snapshot());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_over_random_operations(ops in prop::collection::vec(op(), 1..80)) {
        run(ops);
    }
}
