//! Actions: finance. Every write of community finance — claims (报账) and
//! their approval chain, allocations (核拨), vouchers, transfers between a
//! community's funds, period closing and reversals — decided once for the
//! page and the API: scope (`scope::load`), policy (`policy::stage_of`,
//! `policy::finance_bureau`), then the store.
//!
//! A command's fields all have defaults unless the store's input type says
//! otherwise: a missing value is the store's 422 naming its field, checked
//! after scope and policy, so a record out of reach answers 404 whatever the
//! body held.

use crate::AppState;
use crate::error::ApiError;
use crate::policy::own_community;
use crate::policy::{Principal, finance_bureau, stage_of};
use crate::scope::{Transaction, load, named_community, view_district};
use serde::Deserialize;
use store::finance::{self as fin, Claim, Disclosure, Posted, VoucherInfo};

pub use store::finance::{NewAllocation, NewClaim, NewTransfer, Voucher};

/// Reject a claim: the reason is required (the store says so, naming `reason`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Reject {
    #[serde(default)]
    pub reason: String,
}

/// Close a month (`2026-03`) or a year (`2026`) of the books.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Close {
    /// A community of the district; absent or empty: the district's own books.
    #[serde(default)]
    pub community: Option<String>,
    #[serde(default)]
    pub period: String,
}

/// Reopen a closed month or year of a district's or a community's books, with the reason.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Reopen {
    #[serde(default)]
    pub district: String,
    /// A community of the district; absent or empty: the district's own books.
    #[serde(default)]
    pub community: Option<String>,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub reason: String,
}

/// Reverse a transaction exactly (the only correction there is).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Reverse {
    #[serde(default)]
    pub memo: String,
}

/// File a claim in the worker's own community, with an optional voucher.
pub async fn file_claim(
    state: &AppState,
    me: &Principal,
    claim: NewClaim,
    voucher: Option<Voucher>,
) -> Result<Claim, ApiError> {
    let community = own_community(me)?;
    Ok(fin::file_claim(&state.db, &me.actor(), me.user_id, &me.display_name, community, claim, voucher).await?)
}

/// Approve a claim at the principal's stage (the community head, then the finance bureau).
pub async fn approve(state: &AppState, me: &Principal, claim_id: i64) -> Result<Claim, ApiError> {
    load::<Claim>(state, me, claim_id).await?;
    Ok(fin::approve(&state.db, &me.actor(), me.user_id, stage_of(me)?, claim_id).await?)
}

/// Send a claim back with a reason.
pub async fn reject(state: &AppState, me: &Principal, claim_id: i64, r: Reject) -> Result<Claim, ApiError> {
    load::<Claim>(state, me, claim_id).await?;
    Ok(fin::reject(&state.db, &me.actor(), me.user_id, stage_of(me)?, claim_id, &r.reason).await?)
}

/// Attach a voucher (receipt, invoice scan) to a claim in reach.
pub async fn add_voucher(state: &AppState, me: &Principal, claim_id: i64, v: Voucher) -> Result<VoucherInfo, ApiError> {
    load::<Claim>(state, me, claim_id).await?;
    Ok(fin::add_voucher(&state.db, &me.actor(), claim_id, v).await?)
}

/// The finance bureau allocates (核拨) money to a community of its district.
pub async fn allocate(state: &AppState, me: &Principal, n: NewAllocation) -> Result<Posted, ApiError> {
    finance_bureau(me)?;
    named_community(state, me, "community", &n.community).await?;
    Ok(fin::allocate(&state.db, &me.actor(), n).await?)
}

/// The community head moves money between the community's own funds.
pub async fn transfer(state: &AppState, me: &Principal, n: NewTransfer) -> Result<Posted, ApiError> {
    let community = own_community(me)?;
    Ok(fin::transfer(&state.db, &me.actor(), community, n).await?)
}

/// The finance bureau closes a period of a community's books or of the district's own;
/// the answer is the date the books are closed through.
pub async fn close(state: &AppState, me: &Principal, c: Close) -> Result<String, ApiError> {
    finance_bureau(me)?;
    let district = me.district.as_deref().ok_or(ApiError::Forbidden)?;
    let community = c.community.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if let Some(code) = community {
        named_community(state, me, "community", code).await?;
    }
    Ok(fin::close_period(&state.db, &me.actor(), district, community, &c.period).await?)
}

/// The city reopens a closed period (the route admits only [`crate::policy::FIN_REOPENERS`]);
/// the answer is the date the books are now closed through.
pub async fn reopen(state: &AppState, me: &Principal, r: Reopen) -> Result<String, ApiError> {
    let community = r.community.as_deref().map(str::trim).filter(|c| !c.is_empty());
    Ok(fin::reopen_period(&state.db, &me.actor(), &r.district, community, &r.period, &r.reason).await?)
}

/// The finance bureau reverses a transaction of its district.
pub async fn reverse(state: &AppState, me: &Principal, tx_id: i64, r: Reverse) -> Result<Posted, ApiError> {
    finance_bureau(me)?;
    load::<Transaction>(state, me, tx_id).await?;
    Ok(fin::reverse(&state.db, &me.actor(), tx_id, &r.memo).await?)
}

/// Set the amount above which a claim needs district finance's approval after the community head's.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SecondApproval {
    /// Yuan.
    #[serde(default)]
    pub second_approval: String,
}

/// District finance sets its district's second-approval threshold; the answer is the amount in fen.
pub async fn set_second_approval(state: &AppState, me: &Principal, s: SecondApproval) -> Result<i64, ApiError> {
    finance_bureau(me)?;
    let district = me.district.as_deref().ok_or(ApiError::Forbidden)?;
    Ok(fin::set_second_approval(&state.db, &me.actor(), district, &s.second_approval).await?)
}

// ---- Reads both twins share ----

/// The quarter a report is about (the current one by default) and, for the
/// district's side-by-side view, the district (the city names one).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuarterQuery {
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub year: Option<String>,
    #[serde(default)]
    pub quarter: Option<String>,
}

impl QuarterQuery {
    /// The year and quarter asked for; the current ones by default.
    pub fn year_quarter(&self) -> Result<(i32, u8), ApiError> {
        let (y0, q0) = fin::current_quarter();
        let year = match self.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => y0,
            Some(s) => s
                .parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| ApiError::invalid("year", "年份无效", "invalid year"))?,
        };
        let quarter = match self.quarter.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => q0,
            Some(s) => s
                .parse::<u8>()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(|| ApiError::invalid("quarter", "季度应为1–4", "quarter is 1 to 4"))?,
        };
        // A quarter that has not begun has no accounts to disclose.
        if (year, quarter) > (y0, q0) {
            return Err(ApiError::invalid(
                "quarter",
                "该季度尚未开始，还没有账目",
                "that quarter has not begun: no accounts yet",
            ));
        }
        Ok((year, quarter))
    }
}

/// Every community of a district side by side for a quarter.
pub struct DistrictView {
    pub district: String,
    pub year: i32,
    pub quarter: u8,
    pub communities: Vec<Disclosure>,
}

/// The district's side-by-side view: the principal's own district, or (the city) the one asked for.
pub async fn district_view(state: &AppState, me: &Principal, q: &QuarterQuery) -> Result<DistrictView, ApiError> {
    let district = view_district(state, me, q.district.as_deref()).await?;
    let (year, quarter) = q.year_quarter()?;
    let communities = fin::district_overview(&state.db, &district, year, quarter).await?;
    Ok(DistrictView { district, year, quarter, communities })
}

/// A community's public quarterly accounts (居务公开): public, for anyone.
pub async fn disclosure(state: &AppState, code: &str, q: &QuarterQuery) -> Result<Disclosure, ApiError> {
    let (year, quarter) = q.year_quarter()?;
    Ok(fin::disclosure(&state.db, code, year, quarter).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(year: &str, quarter: &str) -> QuarterQuery {
        QuarterQuery { district: None, year: Some(year.into()), quarter: Some(quarter.into()) }
    }

    #[test]
    fn a_quarter_is_the_one_asked_for_the_current_one_by_default_and_a_bad_one_names_its_field() {
        assert_eq!(q("2025", " 3 ").year_quarter().unwrap(), (2025, 3));
        assert_eq!(q("", "").year_quarter().unwrap(), fin::current_quarter());
        assert_eq!(QuarterQuery::default().year_quarter().unwrap(), fin::current_quarter());
        let (y0, q0) = fin::current_quarter();
        let next = if q0 == 4 { (y0 + 1, 1) } else { (y0, q0 + 1) };
        let (ny, nq) = (next.0.to_string(), next.1.to_string());
        for (bad, field) in
            [(q("1999", "1"), "year"), (q("x", "1"), "year"), (q("2025", "5"), "quarter"), (q(&ny, &nq), "quarter")]
        {
            assert!(matches!(bad.year_quarter(), Err(ApiError::Invalid { field: f, .. }) if f == field));
        }
    }
}
