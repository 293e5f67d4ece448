//! The chart of accounts. Codes are hierarchical, segments joined by '.'
//! (`"5002"`, `"5002.01"`); a child must have the same kind as its parent.
//! A city extends the standard chart with [`crate::Ledger::extend_chart`].
//! Accounts hang under a chart entry: the account `"1001.340705001001"` is the
//! bank account (chart `"1001"`) of community 340705001001.

use crate::error::LedgerError;
use crate::model::{AccountKind, Msg};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Codes of the standard chart ([`Chart::standard`]).
pub mod codes {
    /// 银行存款: bank deposits (one account per entity and fund).
    pub const BANK: &str = "1001";
    /// 应收款项.
    pub const RECEIVABLE: &str = "1201";
    /// 应付款项: payables (one account per payee and fund).
    pub const PAYABLE: &str = "2001";
    /// 基金(净资产): fund balance.
    pub const FUND_BALANCE: &str = "3001";
    /// 财政拨款收入: district allocation income.
    pub const INCOME_ALLOCATION: &str = "4001";
    /// 协助事项经费收入: assistance-task funding income (费随事转).
    pub const INCOME_ASSISTANCE: &str = "4002";
    /// 项目经费收入: project funding income.
    pub const INCOME_PROJECT: &str = "4003";
    /// 购买服务收入: service-purchase funding income.
    pub const INCOME_SERVICE: &str = "4004";
    /// 共建单位资金收入: money from resident units under co-building agreements (共驻共建).
    pub const INCOME_CO_BUILDING: &str = "4005";
    /// 公用经费支出: operating expenditure.
    pub const EXPENSE_OPERATING: &str = "5001";
    /// 协助事项支出: assistance-task expenditure.
    pub const EXPENSE_ASSISTANCE: &str = "5002";
    /// 项目支出: project expenditure.
    pub const EXPENSE_PROJECT: &str = "5003";
    /// 购买服务支出: service-purchase expenditure.
    pub const EXPENSE_SERVICE: &str = "5004";
    /// 对社区转移支付: district-level transfers to communities.
    pub const DISTRICT_TRANSFERS: &str = "5101";
}

/// One entry of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartEntry {
    pub code: String,
    pub name: Msg,
    pub kind: AccountKind,
}

/// The chart of accounts, keyed by code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Chart {
    entries: BTreeMap<String, ChartEntry>,
}

impl Chart {
    /// An empty chart.
    pub fn empty() -> Chart {
        Chart::default()
    }

    /// The standard chart shequ ships (see [`codes`]).
    pub fn standard() -> Chart {
        use AccountKind::*;
        use codes::*;
        let rows: [(&str, AccountKind, &str, &str); 14] = [
            (BANK, Asset, "银行存款", "Bank deposits"),
            (RECEIVABLE, Receivable, "应收款项", "Receivables"),
            (PAYABLE, Liability, "应付款项", "Payables"),
            (FUND_BALANCE, Fund, "基金(净资产)", "Fund balance"),
            (INCOME_ALLOCATION, Income, "财政拨款收入", "District allocation income"),
            (INCOME_ASSISTANCE, Income, "协助事项经费收入", "Assistance-task funding income"),
            (INCOME_PROJECT, Income, "项目经费收入", "Project funding income"),
            (INCOME_SERVICE, Income, "购买服务收入", "Service-purchase funding income"),
            (INCOME_CO_BUILDING, Income, "共建单位资金收入", "Income from co-building units"),
            (EXPENSE_OPERATING, Expense, "公用经费支出", "Operating expenditure"),
            (EXPENSE_ASSISTANCE, Expense, "协助事项支出", "Assistance-task expenditure"),
            (EXPENSE_PROJECT, Expense, "项目支出", "Project expenditure"),
            (EXPENSE_SERVICE, Expense, "购买服务支出", "Service-purchase expenditure"),
            (DISTRICT_TRANSFERS, Expense, "对社区转移支付", "Transfers to communities"),
        ];
        let mut chart = Chart::empty();
        for (code, kind, zh, en) in rows {
            chart.add(ChartEntry { code: code.into(), name: Msg::new(zh, en), kind }).expect("standard chart is valid");
        }
        chart
    }

    pub fn get(&self, code: &str) -> Option<&ChartEntry> {
        self.entries.get(code)
    }

    /// All entries in code order (parents before children).
    pub fn entries(&self) -> impl Iterator<Item = &ChartEntry> {
        self.entries.values()
    }

    /// Add an entry. A nested code (`"5002.01"`) needs its parent (`"5002"`) with the same kind.
    pub fn add(&mut self, entry: ChartEntry) -> Result<(), LedgerError> {
        check_code(&entry.code)?;
        if self.entries.contains_key(&entry.code) {
            return Err(LedgerError::DuplicateChartCode { code: entry.code });
        }
        if let Some((parent, _)) = entry.code.rsplit_once('.') {
            match self.entries.get(parent) {
                None => return Err(LedgerError::UnknownChartCode { code: parent.to_string() }),
                Some(p) if p.kind != entry.kind => {
                    return Err(LedgerError::ChartKindMismatch { code: entry.code, parent: p.code.clone() });
                }
                Some(_) => {}
            }
        }
        self.entries.insert(entry.code.clone(), entry);
        Ok(())
    }

    /// The longest prefix of `account_code` (cut at '.') that is a chart entry.
    pub fn entry_for(&self, account_code: &str) -> Option<&ChartEntry> {
        let mut prefix = account_code;
        loop {
            if let Some(e) = self.entries.get(prefix) {
                return Some(e);
            }
            prefix = prefix.rsplit_once('.')?.0;
        }
    }
}

/// A code is non-empty segments of ASCII letters, digits, '-' and '_', joined by '.'.
pub(crate) fn check_code(code: &str) -> Result<(), LedgerError> {
    let ok = !code.is_empty()
        && code
            .split('.')
            .all(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    if ok { Ok(()) } else { Err(LedgerError::InvalidCode { code: code.to_string() }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_needs_parent_of_same_kind() {
        let mut chart = Chart::standard();
        let sub = |code: &str, kind| ChartEntry { code: code.into(), name: Msg::new("子目", "sub"), kind };
        chart.add(sub("5001.01", AccountKind::Expense)).unwrap();
        assert!(matches!(chart.add(sub("5001.01", AccountKind::Expense)), Err(LedgerError::DuplicateChartCode { .. })));
        assert!(matches!(chart.add(sub("5001.02", AccountKind::Asset)), Err(LedgerError::ChartKindMismatch { .. })));
        assert!(matches!(chart.add(sub("5009.01", AccountKind::Expense)), Err(LedgerError::UnknownChartCode { .. })));
        assert!(matches!(chart.add(sub("50..1", AccountKind::Expense)), Err(LedgerError::InvalidCode { .. })));
        assert_eq!(chart.entry_for("5001.01.340705001001").unwrap().code, "5001.01");
        assert_eq!(chart.entry_for("5001.340705001001").unwrap().code, "5001");
        assert!(chart.entry_for("9999.1").is_none());
    }
}
