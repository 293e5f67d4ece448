//! Builds a ledger of ~1,000,000 postings across 23 communities of one
//! district (three years of allocations, task funding, project budget lines
//! and daily reimbursements), then times a community's statement for a year
//! and the district's trial balance (median of several runs).
//!
//! `CARGO_TARGET_DIR=/work/main/target-ledger cargo run -p ledger --release --example ledger_bench`

use ledger::flows::{self, Meta, Payer, ProjectSource, Settlement};
use ledger::{Date, Entity, FundClass, Ledger, Scope};
use std::time::{Duration, Instant};

const DISTRICT: &str = "340705";
const COMMUNITIES: usize = 23;
const TARGET_POSTINGS: usize = 1_000_000;
const RUNS: usize = 9;

/// xorshift64: a small deterministic generator, good enough for amounts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo) as u64) as i64
    }
}

fn community(i: usize) -> String {
    format!("340705{:03}001", i + 1)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn time<T>(f: impl Fn() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut out = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        out = Some(std::hint::black_box(f()));
        times.push(t.elapsed());
    }
    (median(times), out.expect("RUNS > 0"))
}

fn main() {
    let mut l = Ledger::default();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let bureau = Payer { district_code: DISTRICT.into(), unit: "czj".into() };
    let civil = Payer { district_code: DISTRICT.into(), unit: "mzj".into() };
    let mut postings = 0usize;
    let mut n = 0u64;
    let mut key = || {
        n += 1;
        format!("k{n}")
    };
    let meta = |key: String, date: Date| Meta { key, date, memo: "bench".into(), reference: None };

    let start = Date::from_ymd(2022, 1, 1).unwrap();
    let build = Instant::now();
    let mut day = start;
    while postings < TARGET_POSTINGS {
        let (_, month, dom) = day.ymd();
        let task = format!("T{}-{month:02}", day.year());
        for c in 0..COMMUNITIES {
            let code = community(c);
            if dom == 1 {
                let alloc = flows::allocation(&flows::Allocation {
                    meta: meta(key(), day),
                    payer: bureau.clone(),
                    community_code: code.clone(),
                    amount: 20_000_000,
                    fund: FundClass::Operating,
                })
                .unwrap();
                postings += alloc.tx.postings.len();
                l.post_flow(alloc).unwrap();
                let assist = flows::assistance_funding(&flows::AssistanceFunding {
                    meta: meta(key(), day),
                    payer: civil.clone(),
                    community_code: code.clone(),
                    task: task.clone(),
                    amount: 2_000_000,
                })
                .unwrap();
                postings += assist.tx.postings.len();
                l.post_flow(assist).unwrap();
                if month % 3 == 1 {
                    let budget = flows::project_budget(&flows::ProjectBudget {
                        meta: meta(key(), day),
                        district_code: DISTRICT.into(),
                        community_code: code.clone(),
                        project: format!("P{}-{month:02}", day.year()),
                        amount: 1_000_000,
                        source: ProjectSource::CommunityOperating,
                    })
                    .unwrap();
                    postings += budget.tx.postings.len();
                    l.post_flow(budget).unwrap();
                }
            }
            for i in 0..18 {
                let fund = if i == 0 { FundClass::assistance(&task) } else { FundClass::Operating };
                let claim = flows::reimbursement(&flows::Reimbursement {
                    meta: meta(key(), day),
                    district_code: DISTRICT.into(),
                    community_code: code.clone(),
                    fund,
                    payee: format!("payee{}", rng.range(0, 50)),
                    amount: rng.range(100, 50_000),
                    settlement: Settlement::Bank,
                    expense_chart: None,
                })
                .unwrap();
                postings += claim.tx.postings.len();
                l.post_flow(claim).unwrap();
            }
        }
        day = day.add_days(1);
    }
    let build = build.elapsed();
    let last = day.add_days(-1);
    println!(
        "built {} postings in {} transactions, {} accounts, {} .. {} in {:.2?}",
        postings,
        l.transactions().len(),
        l.accounts().count(),
        start,
        last,
        build
    );

    let entity = Entity::community(DISTRICT, community(6));
    let (from, to) = (Date::from_ymd(2023, 1, 1).unwrap(), Date::from_ymd(2023, 12, 31).unwrap());
    let (t_stmt, stmt) = time(|| l.entity_statement(&entity, from, to).unwrap());
    let lines: usize = stmt.iter().map(|s| s.lines.len()).sum();
    println!(
        "community {} statement for 2023: {} accounts, {} lines, median {:.3?} over {RUNS} runs",
        entity.code(),
        stmt.len(),
        lines,
        t_stmt
    );

    let bank = flows::account_code(ledger::chart::codes::BANK, entity.code(), None, &FundClass::Operating);
    let (t_bank, s) = time(|| l.statement(&bank, from, to).unwrap());
    println!("  its operating bank account alone: {} lines, median {:.3?}", s.lines.len(), t_bank);

    let scope = Scope::District(DISTRICT.into());
    let mut worst = t_stmt;
    for as_of in [Date::from_ymd(2023, 6, 30).unwrap(), last] {
        let (t_tb, tb) = time(|| l.trial_balance(&scope, as_of));
        assert_eq!(tb.total_debit, tb.total_credit);
        println!(
            "district {DISTRICT} trial balance as of {as_of}: {} rows, debits = credits = {} fen, median {:.3?}",
            tb.rows.len(),
            tb.total_debit,
            t_tb
        );
        worst = worst.max(t_tb);
    }
    let verdict = if worst < Duration::from_millis(100) { "PASS" } else { "FAIL" };
    println!("{verdict}: slowest median {worst:.3?} (budget 100 ms)");
}
