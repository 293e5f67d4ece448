mod common;

use common::*;
use ledger::chart::codes;
use ledger::flows::{self, Settlement};
use ledger::{
    AccountKind, ChartEntry, Check, Entity, FundClass, Ledger, LedgerError, LedgerSnapshot, Msg, NewAccount,
    NewPosting, NewTransaction, Period, Scope, TxId,
};

fn tx(key: &str, on: ledger::Date, postings: Vec<NewPosting>) -> NewTransaction {
    NewTransaction { key: key.into(), date: on, memo: "manual".into(), reference: None, reverses: None, postings }
}

fn open(l: &mut Ledger, chart: &str, c: &str, fund: &FundClass) -> String {
    let a = flows::community_account(chart, D, c, None, fund);
    let code = a.code.clone();
    l.ensure_account(a).unwrap();
    code
}

fn funded() -> Ledger {
    let mut l = Ledger::default();
    allocate(&mut l, "a1", date(2024, 1, 10), C1, 100_000).unwrap();
    l
}

#[test]
fn allocation_balances_each_entity() {
    let l = funded();
    let op = FundClass::Operating;
    assert_eq!(l.balance(&bank(C1, &op)).unwrap(), 100_000);
    assert_eq!(l.balance(&format!("4001.{C1}")).unwrap(), -100_000);
    assert_eq!(l.balance("1001.340705.czj").unwrap(), -100_000);
    assert_eq!(l.balance("5101.340705.czj").unwrap(), 100_000);
    let tx = l.transaction(TxId(1)).unwrap();
    assert_eq!(tx.postings.len(), 4);
    assert!(tx.postings.iter().all(|p| p.district_code == D));
    assert_eq!(tx.postings[2].community_code.as_deref(), Some(C1));
    assert_eq!(tx.postings[0].community_code, None);
    for scope in [Scope::All, Scope::District(D.into()), Scope::Entity(Entity::community(D, C1))] {
        let tb = l.trial_balance(&scope, date(2024, 12, 31));
        assert_eq!(tb.total_debit, tb.total_credit, "{scope:?}");
    }
    assert_eq!(l.trial_balance(&Scope::Entity(Entity::community(D, C1)), date(2024, 12, 31)).total_debit, 100_000);
    l.audit().unwrap();
}

#[test]
fn structural_refusals() {
    let mut l = funded();
    let b = bank(C1, &FundClass::Operating);
    let inc = format!("4001.{C1}");
    let on = date(2024, 2, 1);
    let cases: Vec<(NewTransaction, &str)> = vec![
        (tx("x1", on, vec![NewPosting::debit(&b, 5), NewPosting::credit(&inc, 4)]), "unbalanced"),
        (tx("x2", on, vec![NewPosting::debit(&b, 0), NewPosting::credit(&inc, 0)]), "zero_amount"),
        (tx("x3", on, vec![NewPosting::debit(&b, 5)]), "too_few_postings"),
        (tx("x4", on, vec![]), "too_few_postings"),
        (tx("x5", on, vec![NewPosting::debit("1001.nowhere", 5), NewPosting::credit(&inc, 5)]), "unknown_account"),
        (
            tx("x6", on, vec![NewPosting::debit(&b, i64::MIN), NewPosting::credit(&inc, i64::MIN)]),
            "amount_out_of_range",
        ),
        (tx("", on, vec![NewPosting::debit(&b, 5), NewPosting::credit(&inc, 5)]), "empty_key"),
    ];
    allocate(&mut l, "a2", date(2024, 1, 10), C2, 1).unwrap();
    for (t, code) in cases {
        let err = l.validate(&t).unwrap_err();
        assert_eq!(err.code(), code, "{t:?}: {err}");
        assert!(!err.msg().zh.is_empty() && !err.msg().en.is_empty());
        assert_eq!(l.post(t).unwrap_err().code(), code);
    }
    // money may not jump from one community's books to another's
    let across = tx("x8", on, vec![NewPosting::debit(&b, 5), NewPosting::credit(format!("4001.{C2}"), 5)]);
    assert!(matches!(l.post(across), Err(LedgerError::EntityUnbalanced { .. })));
    assert_eq!(l.transactions().len(), 2);
    l.audit().unwrap();
}

#[test]
fn overdraw_is_refused_at_every_date() {
    let mut l = funded();
    let op = FundClass::Operating;
    let err = claim(&mut l, "c1", date(2024, 2, 1), C1, op.clone(), 100_001, Settlement::Bank).unwrap_err();
    assert_eq!(err, LedgerError::Overdraw { account: bank(C1, &op), available: 100_000, needed: 100_001 });
    claim(&mut l, "c2", date(2024, 2, 1), C1, op.clone(), 60_000, Settlement::Bank).unwrap();
    // backdated before the money arrived: the balance on Jan 5 was zero
    let err = claim(&mut l, "c3", date(2024, 1, 5), C1, op.clone(), 10, Settlement::Bank).unwrap_err();
    assert!(matches!(err, LedgerError::Overdraw { available: 0, .. }), "{err}");
    // backdated between allocation and the Feb claim: only 40 000 may still go without breaking Feb 1
    let err = claim(&mut l, "c4", date(2024, 1, 20), C1, op.clone(), 40_001, Settlement::Bank).unwrap_err();
    assert!(matches!(err, LedgerError::Overdraw { available: 40_000, .. }), "{err}");
    claim(&mut l, "c5", date(2024, 1, 20), C1, op.clone(), 40_000, Settlement::Bank).unwrap();
    assert_eq!(l.balance(&bank(C1, &op)).unwrap(), 0);
    // a payable may carry a debit balance (an advance), since it is a liability
    let pay = flows::payable_payment(&flows::PayablePayment {
        meta: meta("p1", date(2024, 2, 2)),
        district_code: D.into(),
        community_code: C2.into(),
        fund: op.clone(),
        payee: "shop1".into(),
        amount: 50,
    })
    .unwrap();
    allocate(&mut l, "a2", date(2024, 2, 1), C2, 100).unwrap();
    l.post_flow(pay).unwrap();
    assert_eq!(l.balance(&format!("2001.{C2}.shop1")).unwrap(), 50);
    // district-level accounts are not floored: the bureau's bank is negative
    assert!(l.balance("1001.340705.czj").unwrap() < 0);
    l.audit().unwrap();
}

#[test]
fn restricted_money_stays_on_its_task() {
    let mut l = funded();
    let t1 = FundClass::assistance("T1");
    let t2 = FundClass::assistance("T2");
    fund_task(&mut l, "f1", date(2024, 1, 11), C1, "T1", 5_000).unwrap();
    fund_task(&mut l, "f2", date(2024, 1, 11), C1, "T2", 5_000).unwrap();
    claim(&mut l, "c1", date(2024, 1, 12), C1, t1.clone(), 1_000, Settlement::Bank).unwrap();
    assert_eq!(l.balance(&bank(C1, &t1)).unwrap(), 4_000);
    assert_eq!(l.balance(&format!("5002.{C1}.A-T1")).unwrap(), 1_000);

    let on = date(2024, 1, 13);
    let op_exp = open(&mut l, codes::EXPENSE_OPERATING, C1, &FundClass::Operating);
    let t2_exp = open(&mut l, codes::EXPENSE_ASSISTANCE, C1, &t2);
    let t1_exp = format!("5002.{C1}.A-T1");
    let op_bank = bank(C1, &FundClass::Operating);
    // task money spent on operating costs, or on another task: refused
    for (k, exp) in [("m1", &op_exp), ("m2", &t2_exp)] {
        let err =
            l.post(tx(k, on, vec![NewPosting::debit(exp, 100), NewPosting::credit(bank(C1, &t1), 100)])).unwrap_err();
        assert_eq!(err, LedgerError::RestrictedFundMisuse { fund: t1.clone(), account: bank(C1, &t1), amount: 100 });
        assert!(err.msg().zh.contains("费随事转"));
    }
    // moving T1 money back to operating: refused
    let back = tx("m3", on, vec![NewPosting::debit(&op_bank, 100), NewPosting::credit(bank(C1, &t1), 100)]);
    assert_eq!(l.validate(&back).unwrap_err().code(), "restricted_fund_misuse");
    // the community topping up task T1 from operating money: allowed
    l.post(tx("m4", on, vec![NewPosting::debit(&t1_exp, 100), NewPosting::credit(&op_bank, 100)])).unwrap();

    // project budget earmarked from operating money, then spent on the project only
    let p = flows::project_budget(&flows::ProjectBudget {
        meta: meta("pb1", on),
        district_code: D.into(),
        community_code: C1.into(),
        project: "P7".into(),
        amount: 2_000,
        source: flows::ProjectSource::CommunityOperating,
    })
    .unwrap();
    l.post_flow(p).unwrap();
    let p7 = FundClass::project("P7");
    assert_eq!(l.balance(&bank(C1, &p7)).unwrap(), 2_000);
    let err =
        l.post(tx("m5", on, vec![NewPosting::debit(&op_exp, 10), NewPosting::credit(bank(C1, &p7), 10)])).unwrap_err();
    assert_eq!(err.code(), "restricted_fund_misuse");
    claim(&mut l, "c2", on, C1, p7.clone(), 2_000, Settlement::Payable).unwrap();
    assert_eq!(l.balance(&format!("2001.{C1}.shop1.P-P7")).unwrap(), -2_000);
    l.audit().unwrap();
}

#[test]
fn retries_return_the_original_and_conflicts_are_refused() {
    let mut l = funded();
    let first = claim(&mut l, "c1", date(2024, 2, 1), C1, FundClass::Operating, 500, Settlement::Bank).unwrap();
    let req = l.transaction(first).unwrap().request();
    let n = l.transactions().len();
    assert_eq!(l.check(&req).unwrap(), Check::AlreadyPosted(first));
    l.validate(&req).unwrap();
    assert_eq!(l.post(req.clone()).unwrap(), first);
    assert_eq!(claim(&mut l, "c1", date(2024, 2, 1), C1, FundClass::Operating, 500, Settlement::Bank).unwrap(), first);
    assert_eq!(l.transactions().len(), n);
    assert_eq!(l.balance(&bank(C1, &FundClass::Operating)).unwrap(), 99_500);
    let err = claim(&mut l, "c1", date(2024, 2, 1), C1, FundClass::Operating, 501, Settlement::Bank).unwrap_err();
    assert_eq!(err, LedgerError::IdempotencyConflict { key: "c1".into(), original: first });
    let mut memo_changed = req;
    memo_changed.memo.push('!');
    assert_eq!(l.post(memo_changed).unwrap_err().code(), "idempotency_conflict");
    assert_eq!(l.tx_for_key("c1"), Some(first));
}

#[test]
fn reversal_is_exact_and_happens_once() {
    let mut l = funded();
    let op = FundClass::Operating;
    let c = claim(&mut l, "c1", date(2024, 2, 1), C1, op.clone(), 700, Settlement::Bank).unwrap();
    let rev = l.reverse(c, "r1", date(2024, 2, 3), "wrong voucher").unwrap();
    assert_eq!(rev.reverses, Some(c));
    assert_eq!(rev.postings[0].amount, -700);
    let r = l.post(rev.clone()).unwrap();
    assert_eq!(l.post(rev).unwrap(), r, "retrying a reversal is idempotent");
    assert_eq!(l.balance(&bank(C1, &op)).unwrap(), 100_000);
    assert_eq!(l.reversed_by(c), Some(r));
    assert_eq!(
        l.reverse(c, "r2", date(2024, 2, 3), "again").unwrap_err(),
        LedgerError::AlreadyReversed { id: c, by: r }
    );
    assert_eq!(l.reverse(r, "r3", date(2024, 2, 3), "undo").unwrap_err(), LedgerError::ReversalOfReversal { id: r });
    assert_eq!(l.reverse(TxId(99), "r4", date(2024, 2, 3), "?").unwrap_err().code(), "unknown_transaction");
    // a hand-built second reversal is refused by validate as well
    let mut again = l.transaction(r).unwrap().request();
    again.key = "r5".into();
    assert_eq!(l.validate(&again).unwrap_err(), LedgerError::AlreadyReversed { id: c, by: r });

    let c2 = claim(&mut l, "c2", date(2024, 2, 5), C1, op.clone(), 300, Settlement::Bank).unwrap();
    let mut partial = l.reverse(c2, "r6", date(2024, 2, 6), "half").unwrap();
    partial.postings[0].amount /= 2;
    partial.postings[1].amount /= 2;
    assert_eq!(l.validate(&partial).unwrap_err(), LedgerError::NotExactReversal { id: c2 });
    let early = l.reverse(c2, "r7", date(2024, 2, 4), "early").unwrap();
    assert_eq!(l.validate(&early).unwrap_err().code(), "reversal_before_original");
    // reversing an allocation whose money was spent would overdraw
    claim(&mut l, "c3", date(2024, 2, 7), C1, op.clone(), 99_000, Settlement::Bank).unwrap();
    let undo_alloc = l.reverse(TxId(1), "r8", date(2024, 2, 8), "allocation in error").unwrap();
    assert_eq!(l.validate(&undo_alloc).unwrap_err().code(), "overdraw");
    l.audit().unwrap();
}

#[test]
fn closed_periods_are_locked() {
    let mut l = funded();
    let e1 = Entity::community(D, C1);
    assert_eq!(l.close_period(e1.clone(), Period::Month { year: 2024, month: 1 }).unwrap(), date(2024, 1, 31));
    assert_eq!(l.closed_through(&e1), Some(date(2024, 1, 31)));
    let op = FundClass::Operating;
    let err = claim(&mut l, "c1", date(2024, 1, 31), C1, op.clone(), 1, Settlement::Bank).unwrap_err();
    assert_eq!(
        err,
        LedgerError::PeriodClosed { entity: e1.clone(), date: date(2024, 1, 31), closed_through: date(2024, 1, 31) }
    );
    // closing in order: earlier periods are locked too
    assert_eq!(allocate(&mut l, "a0", date(2023, 12, 1), C1, 5).unwrap_err().code(), "period_closed");
    // the allocation touches the district and C1: refused; C2 is still open
    assert_eq!(allocate(&mut l, "a2", date(2024, 1, 20), C1, 5).unwrap_err().code(), "period_closed");
    allocate(&mut l, "a3", date(2024, 1, 20), C2, 5).unwrap();
    claim(&mut l, "c2", date(2024, 2, 1), C1, op.clone(), 1, Settlement::Bank).unwrap();
    // a transaction in a closed period is corrected in an open one
    let rev = l.reverse(TxId(1), "r1", date(2024, 1, 31), "late fix").unwrap();
    assert_eq!(l.validate(&rev).unwrap_err().code(), "period_closed");
    let rev = l.reverse(TxId(1), "r1", date(2024, 2, 2), "fix").unwrap();
    assert_eq!(l.validate(&rev).unwrap_err().code(), "overdraw", "c2 spent 1 fen of it");
    let err = l.close_period(e1.clone(), Period::Month { year: 2024, month: 1 }).unwrap_err();
    assert_eq!(err.code(), "period_already_closed");
    assert_eq!(
        l.close_period(e1.clone(), Period::Month { year: 2024, month: 13 }).unwrap_err().code(),
        "invalid_period"
    );
    l.close_period(e1.clone(), Period::Year { year: 2024 }).unwrap();
    assert_eq!(
        claim(&mut l, "c3", date(2024, 12, 31), C1, op, 1, Settlement::Bank).unwrap_err().code(),
        "period_closed"
    );
    // a retry of something posted before the close still answers with its id
    assert_eq!(claim(&mut l, "c2", date(2024, 2, 1), C1, FundClass::Operating, 1, Settlement::Bank).unwrap(), TxId(3));
    assert_eq!(l.closings().len(), 2);
}

#[test]
fn statements_and_trial_balance_at_any_date() {
    let mut l = funded();
    let op = FundClass::Operating;
    let b = bank(C1, &op);
    claim(&mut l, "c1", date(2024, 2, 1), C1, op.clone(), 1_000, Settlement::Bank).unwrap();
    claim(&mut l, "c2", date(2024, 3, 1), C1, op.clone(), 2_000, Settlement::Bank).unwrap();
    claim(&mut l, "c0", date(2024, 1, 15), C1, op.clone(), 500, Settlement::Bank).unwrap(); // backdated
    allocate(&mut l, "a2", date(2024, 2, 15), C1, 10_000).unwrap();

    let s = l.statement(&b, date(2024, 2, 1), date(2024, 2, 29)).unwrap();
    assert_eq!(s.opening, 99_500);
    assert_eq!(s.lines.iter().map(|x| x.amount).collect::<Vec<_>>(), vec![-1_000, 10_000]);
    assert_eq!(s.lines.last().unwrap().balance, s.closing);
    assert_eq!((s.debits, s.credits, s.closing), (10_000, 1_000, 108_500));
    assert_eq!(s.closing, s.opening + s.debits - s.credits);
    assert_eq!(l.balance_at(&b, date(2024, 1, 31)).unwrap(), 99_500);
    assert_eq!(l.balance_at(&b, date(2023, 12, 31)).unwrap(), 0);
    assert_eq!(l.balance(&b).unwrap(), 106_500);

    let year = l.entity_statement(&Entity::community(D, C1), date(2024, 1, 1), date(2024, 12, 31)).unwrap();
    let codes: Vec<&str> = year.iter().map(|s| s.account.as_str()).collect();
    assert_eq!(codes, vec![b.as_str(), &format!("4001.{C1}"), &format!("5001.{C1}")]);
    assert_eq!(year.iter().map(|s| s.closing).sum::<i64>(), 0);

    let tb = l.trial_balance(&Scope::District(D.into()), date(2024, 1, 31));
    assert_eq!(tb.total_debit, tb.total_credit);
    let row = tb.rows.iter().find(|r| r.account == b).unwrap();
    assert_eq!((row.debit, row.credit, row.kind), (99_500, 0, AccountKind::Asset));
    let inc = tb.rows.iter().find(|r| r.account == format!("4001.{C1}")).unwrap();
    assert_eq!((inc.debit, inc.credit), (0, 100_000));
    assert!(l.trial_balance(&Scope::District("340706".into()), date(2024, 1, 31)).rows.is_empty());
    assert_eq!(l.statement(&b, date(2024, 2, 2), date(2024, 2, 1)).unwrap_err().code(), "invalid_range");
    assert_eq!(l.statement("nope", date(2024, 2, 1), date(2024, 2, 1)).unwrap_err().code(), "unknown_account");
}

#[test]
fn city_extends_the_chart() {
    let mut l = Ledger::default();
    let entry = |code: &str, kind| ChartEntry {
        code: code.into(),
        name: Msg::new("网格员补贴", "grid-worker allowance"),
        kind,
    };
    l.extend_chart(entry("5001.07", AccountKind::Expense)).unwrap();
    assert_eq!(l.extend_chart(entry("5001.08", AccountKind::Income)).unwrap_err().code(), "chart_kind_mismatch");
    let a = l.open_account(flows::community_account("5001.07", D, C1, None, &FundClass::Operating)).unwrap().clone();
    assert_eq!((a.chart.as_str(), a.kind), ("5001.07", AccountKind::Expense));
    assert_eq!(a.name.zh, "网格员补贴(公用经费)");
    let mut other = flows::community_account("5001.07", D, C1, None, &FundClass::assistance("T1"));
    other.code = a.code.clone();
    assert_eq!(l.ensure_account(other).unwrap_err().code(), "account_conflict");
    assert!(!l.ensure_account(flows::community_account("5001.07", D, C1, None, &FundClass::Operating)).unwrap());
    let bad = NewAccount {
        code: "9999.x".into(),
        name: None,
        district_code: D.into(),
        community_code: None,
        fund: FundClass::Operating,
    };
    assert_eq!(l.open_account(bad.clone()).unwrap_err().code(), "unknown_chart_code");
    let blank = NewAccount { code: "1001.x".into(), district_code: " ".into(), ..bad };
    assert_eq!(l.open_account(blank).unwrap_err().code(), "invalid_account");
}

#[test]
fn flows_refuse_non_positive_amounts() {
    let mut l = funded();
    for amount in [0, -5] {
        let err = claim(&mut l, "c", date(2024, 2, 1), C1, FundClass::Operating, amount, Settlement::Bank).unwrap_err();
        assert_eq!(err.code(), "amount_out_of_range");
        assert_eq!(allocate(&mut l, "a", date(2024, 2, 1), C1, amount).unwrap_err().code(), "amount_out_of_range");
    }
    // a failed flow opens no accounts
    let before = l.accounts().count();
    assert!(claim(&mut l, "c", date(2024, 2, 1), C3, FundClass::Operating, 5, Settlement::Bank).is_err());
    assert_eq!(l.accounts().count(), before);
}

#[test]
fn snapshot_restores_and_detects_tampering() {
    let mut l = funded();
    fund_task(&mut l, "f1", date(2024, 1, 11), C1, "T1", 5_000).unwrap();
    let c = claim(&mut l, "c1", date(2024, 1, 12), C1, FundClass::assistance("T1"), 1_000, Settlement::Bank).unwrap();
    l.close_period(Entity::community(D, C1), Period::Month { year: 2024, month: 1 }).unwrap();
    let r = l.reverse(c, "r1", date(2024, 2, 1), "fix").unwrap();
    l.post(r).unwrap();
    l.extend_chart(ChartEntry { code: "5002.01".into(), name: Msg::new("a", "b"), kind: AccountKind::Expense })
        .unwrap();

    let snap = l.snapshot();
    let back = Ledger::restore(snap.clone()).unwrap();
    assert_eq!(back.snapshot(), snap);
    back.audit().unwrap();
    for a in l.accounts() {
        assert_eq!(back.balance(&a.code).unwrap(), l.balance(&a.code).unwrap());
    }
    assert_eq!(back.reversed_by(c), l.reversed_by(c));
    assert_eq!(back.closed_through(&Entity::community(D, C1)), Some(date(2024, 1, 31)));

    let tamper = |f: &dyn Fn(&mut LedgerSnapshot)| {
        let mut s = snap.clone();
        f(&mut s);
        Ledger::restore(s).unwrap_err().code()
    };
    assert_eq!(tamper(&|s| s.transactions[0].postings[0].amount += 1), "corrupt");
    assert_eq!(tamper(&|s| s.transactions[1].postings[3].fund = FundClass::Operating), "corrupt");
    assert_eq!(tamper(&|s| s.transactions[1].postings[0].district_code.push('9')), "corrupt");
    assert_eq!(tamper(&|s| s.transactions[0].postings[1].community_code = Some("340705999".into())), "corrupt");
    assert_eq!(tamper(&|s| s.transactions.swap(1, 2)), "corrupt");
    assert_eq!(tamper(&|s| s.closings[0].after_tx = 0), "corrupt", "closing before the Jan claim would lock it");
    assert_eq!(tamper(&|s| s.transactions[2].key = "a1".into()), "corrupt");
    assert_eq!(tamper(&|s| s.accounts[0].kind = AccountKind::Income), "corrupt");
}

#[test]
fn every_error_speaks_both_languages() {
    let e = LedgerError::Overdraw { account: "1001.x".into(), available: 1, needed: 2 };
    assert_eq!(
        e.to_string(),
        "账户 1001.x 余额不足:可用 1 分,需要 2 分 / account 1001.x would be overdrawn: 1 fen available, 2 fen needed"
    );
    assert_eq!(e.code(), "overdraw");
}

#[test]
fn rule_l_ended_only_a_period_that_has_ended_closes() {
    let today = date(2024, 3, 15);
    assert!(Period::Month { year: 2024, month: 2 }.check_ended(today).is_ok());
    assert!(Period::Year { year: 2023 }.check_ended(today).is_ok());
    for unfinished in
        [Period::Month { year: 2024, month: 3 }, Period::Year { year: 2024 }, Period::Month { year: 9999, month: 12 }]
    {
        assert_eq!(unfinished.check_ended(today).unwrap_err().code(), "period_not_ended", "{unfinished}");
    }
}

#[test]
fn rule_l_reopen_a_closed_period_opens_again_and_survives_a_restore() {
    let mut l = funded();
    let e1 = Entity::community(D, C1);
    l.close_period(e1.clone(), Period::Month { year: 2024, month: 2 }).unwrap();
    // Nothing open can be reopened: C2 was never closed, and C1's March is open.
    let c2 = Entity::community(D, C2);
    assert_eq!(l.reopen_period(c2, Period::Month { year: 2024, month: 1 }).unwrap_err().code(), "period_not_closed");
    let march = Period::Month { year: 2024, month: 3 };
    assert_eq!(l.reopen_period(e1.clone(), march).unwrap_err().code(), "period_not_closed");
    // Reopening January opens February with it; December stays closed.
    assert_eq!(l.reopen_period(e1.clone(), Period::Month { year: 2024, month: 1 }).unwrap(), date(2023, 12, 31));
    assert_eq!(l.closed_through(&e1), Some(date(2023, 12, 31)));
    allocate(&mut l, "a-feb", date(2024, 2, 10), C1, 5).unwrap();
    assert_eq!(allocate(&mut l, "a-dec", date(2023, 12, 10), C1, 5).unwrap_err().code(), "period_closed");
    let snap = l.snapshot();
    let back = Ledger::restore(snap.clone()).unwrap();
    assert_eq!(back.closed_through(&e1), Some(date(2023, 12, 31)));
    assert_eq!(back.snapshot(), snap);
}
