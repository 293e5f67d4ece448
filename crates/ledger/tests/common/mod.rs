//! Shared fixtures: one district, three communities, helpers for flows.
#![allow(dead_code)]

use ledger::flows::{self, Meta, Payer, Settlement};
use ledger::{Date, Fen, FundClass, Ledger, LedgerError, TxId};

pub const D: &str = "340705";
pub const C1: &str = "340705001001";
pub const C2: &str = "340705001002";
pub const C3: &str = "340705001003";

pub fn date(y: i32, m: u8, d: u8) -> Date {
    Date::from_ymd(y, m, d).unwrap()
}

pub fn meta(key: &str, on: Date) -> Meta {
    Meta { key: key.into(), date: on, memo: format!("memo {key}"), reference: None }
}

pub fn bureau() -> Payer {
    Payer { district_code: D.into(), unit: "czj".into() }
}

pub fn civil_affairs() -> Payer {
    Payer { district_code: D.into(), unit: "mzj".into() }
}

pub fn bank(c: &str, fund: &FundClass) -> String {
    flows::account_code(ledger::chart::codes::BANK, c, None, fund)
}

pub fn allocate(l: &mut Ledger, key: &str, on: Date, c: &str, amount: Fen) -> Result<TxId, LedgerError> {
    let f = flows::allocation(&flows::Allocation {
        meta: meta(key, on),
        payer: bureau(),
        community_code: c.into(),
        amount,
        fund: FundClass::Operating,
    })?;
    l.post_flow(f)
}

pub fn fund_task(l: &mut Ledger, key: &str, on: Date, c: &str, task: &str, amount: Fen) -> Result<TxId, LedgerError> {
    let f = flows::assistance_funding(&flows::AssistanceFunding {
        meta: meta(key, on),
        payer: civil_affairs(),
        community_code: c.into(),
        task: task.into(),
        amount,
    })?;
    l.post_flow(f)
}

pub fn claim(
    l: &mut Ledger,
    key: &str,
    on: Date,
    c: &str,
    fund: FundClass,
    amount: Fen,
    settlement: Settlement,
) -> Result<TxId, LedgerError> {
    let f = flows::reimbursement(&flows::Reimbursement {
        meta: meta(key, on),
        district_code: D.into(),
        community_code: c.into(),
        fund,
        payee: "shop1".into(),
        amount,
        settlement,
        expense_chart: None,
    })?;
    l.post_flow(f)
}
