//! Funding obligation of an approved assistance application (费随事转,
//! rules §3.3), as plain transfers a ledger can post later.
//!
//! * **Per unit**: each community receives `amount × its declared units`,
//!   exactly. Communities with 0 units get no transfer.
//! * **Per community per year**: the yearly amount is pro-rated by the
//!   application's duration on a [`DAYS_PER_YEAR`] = 365-day year. The exact
//!   share `A·d/365` is usually fractional. Rounding rule (never loses a fen):
//!   the **total** is `T = ⌈N·A·d/365⌉` (rounded up, in the communities'
//!   favour); each community first gets `⌊A·d/365⌋`, and the `T − N·⌊A·d/365⌋`
//!   leftover fen go one each to the communities with the largest remainders
//!   (largest-remainder method). All shares have the same remainder here, so
//!   ties go to communities in ascending id order. Thus `Σ = T`, every share
//!   is within 1 fen of the exact share, and `T` is below the exact total by
//!   nothing and above it by less than one fen.
//!
//! Targets `All` use the roster passed in; a list of targets is used as given.
//! Community ids are de-duplicated and sorted.

use crate::model::{Application, Fen, FundingBasis, ItemType, Msg, Targets, Units};
use crate::refuse::Approval;
use serde::{Deserialize, Serialize};

pub const DAYS_PER_YEAR: i128 = 365;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub community: String,
    pub amount_fen: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingPlan {
    pub application_id: String,
    pub approval_number: String,
    pub payer: String,
    pub basis: FundingBasis,
    pub transfers: Vec<Transfer>,
    pub total_fen: Fen,
    /// How the amounts were computed (for the ledger memo).
    pub memo: Msg,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FundingError {
    /// The approval is for another application or has no number.
    ApprovalMismatch,
    /// Not assistance work (assessment, or the community is principal).
    NotAssistance,
    NoFunding,
    NoTargets,
    /// Per-unit funding without declared units.
    NoUnits,
    Overflow,
}

impl std::fmt::Display for FundingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for FundingError {}

fn fen(x: i128) -> Result<Fen, FundingError> {
    Fen::try_from(x).map_err(|_| FundingError::Overflow)
}

/// Transfers per target community for an approved assistance application.
pub fn funding_obligation(
    app: &Application,
    approval: &Approval,
    roster: &[String],
) -> Result<FundingPlan, FundingError> {
    if approval.application_id != app.id || approval.number.trim().is_empty() {
        return Err(FundingError::ApprovalMismatch);
    }
    if app.kind == ItemType::Assessment || app.community_as_principal {
        return Err(FundingError::NotAssistance);
    }
    let f = app.funding.as_ref().filter(|f| f.amount_fen > 0).ok_or(FundingError::NoFunding)?;
    let mut targets: Vec<String> = match &app.targets {
        Targets::All => roster.to_vec(),
        Targets::List(l) => l.clone(),
    };
    targets.sort();
    targets.dedup();
    if targets.is_empty() {
        return Err(FundingError::NoTargets);
    }
    let amount = i128::from(f.amount_fen);
    let mut transfers = Vec::with_capacity(targets.len());
    let memo = match &f.basis {
        FundingBasis::PerUnit { unit } => {
            for c in targets {
                let units = match &app.workload.units {
                    Units::None => return Err(FundingError::NoUnits),
                    Units::Uniform(u) => *u,
                    Units::PerCommunity(v) => v.iter().filter(|(k, _)| *k == c).map(|(_, u)| *u).sum(),
                };
                if units > 0 {
                    transfers.push(Transfer { community: c, amount_fen: fen(amount * i128::from(units))? });
                }
            }
            Msg::new(
                format!("每{unit}{}分×申报工作量", f.amount_fen),
                format!("{} fen per {unit} × declared units", f.amount_fen),
            )
        }
        FundingBasis::PerCommunityPerYear => {
            let n = targets.len() as i128;
            let scaled = amount * i128::from(app.duration_days); // share × 365
            let base = scaled / DAYS_PER_YEAR;
            let total = (n * scaled + DAYS_PER_YEAR - 1) / DAYS_PER_YEAR;
            let mut extra = total - n * base; // 0 ≤ extra ≤ n
            for c in targets {
                let bump = i128::from(extra > 0);
                extra -= bump;
                transfers.push(Transfer { community: c, amount_fen: fen(base + bump)? });
            }
            Msg::new(
                format!("每社区每年{}分×{}天/365,总额向上取整,最大余数法分配", f.amount_fen, app.duration_days),
                format!(
                    "{} fen per community-year × {}/365 days; total rounded up, split by largest remainder",
                    f.amount_fen, app.duration_days
                ),
            )
        }
    };
    let total: i128 = transfers.iter().map(|t| i128::from(t.amount_fen)).sum();
    Ok(FundingPlan {
        application_id: app.id.clone(),
        approval_number: approval.number.clone(),
        payer: f.paying_department.clone(),
        basis: f.basis.clone(),
        transfers,
        total_fen: fen(total)?,
        memo,
    })
}
