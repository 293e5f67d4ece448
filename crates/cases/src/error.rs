//! Bilingual messages and the one error type of the case engine.
//!
//! Every refusal carries a [`Msg`] in Chinese and English, so the same error
//! can be shown to a front-desk worker and returned to an Open311 client.

use crate::state::{EventKind, Role, Status};

/// A message in both of shequ's languages (the one type of every engine).
pub use rules::Msg;

/// Why the engine refused something. `Display` shows both languages;
/// [`CaseError::msg`] gives the two texts separately.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.msg())]
pub enum CaseError {
    /// The event is not allowed in the case's current state.
    IllegalTransition { from: Status, event: EventKind },
    /// The state allows the event, but not for this role.
    RoleNotAllowed { role: Role, event: EventKind },
    /// A reason, note or summary is required and was empty.
    ReasonRequired { event: EventKind },
    /// A rule (callback policy, reopen window, time order…) forbids it.
    RuleForbids(Msg),
    /// A rating score outside 1..=5.
    InvalidRating { field: &'static str, value: u8 },
    /// No routing rule matches; the front desk must route manually.
    NoRoute { category: String, item: String },
    /// Routing or calendar data is inconsistent.
    InvalidData(Msg),
    /// A history cannot be replayed (empty, out of order, wrong case…).
    CorruptHistory(Msg),
}

impl CaseError {
    /// The bilingual text of this error.
    pub fn msg(&self) -> Msg {
        match self {
            CaseError::IllegalTransition { from, event } => {
                let (fz, fe) = from.names();
                let (ez, ee) = event.names();
                Msg::new(
                    format!("案件处于“{fz}”状态，不能执行“{ez}”"),
                    format!("a case that is {fe} cannot take the action “{ee}”"),
                )
            }
            CaseError::RoleNotAllowed { role, event } => {
                let (rz, re) = role.names();
                let (ez, ee) = event.names();
                Msg::new(format!("{rz}无权执行“{ez}”"), format!("the {re} role may not perform “{ee}”"))
            }
            CaseError::ReasonRequired { event } => {
                let (ez, ee) = event.names();
                Msg::new(format!("“{ez}”必须填写理由或说明"), format!("“{ee}” requires a reason or note"))
            }
            CaseError::RuleForbids(m) | CaseError::InvalidData(m) | CaseError::CorruptHistory(m) => m.clone(),
            CaseError::InvalidRating { field, value } => Msg::new(
                format!("评价“{field}”须为1至5分，收到{value}"),
                format!("rating “{field}” must be 1 to 5, got {value}"),
            ),
            CaseError::NoRoute { category, item } => Msg::new(
                format!("没有适用于“{category}/{item}”的分派规则，请人工分派"),
                format!("no routing rule for “{category}/{item}”; route it manually"),
            ),
        }
    }
}

/// Non-blank after trimming.
pub(crate) fn has_text(s: &str) -> bool {
    !s.trim().is_empty()
}
