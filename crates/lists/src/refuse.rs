//! The community's right to refuse (rules §1.16; §3b).
//!
//! 居组法 Art 20 requires the 区 government's (in Tongling: the city's access)
//! approval for work departments push onto the 居委会; 二七区: "未经审批准入的
//! 工作事项,居(村)民委员会有权拒绝执行"; 宁夏: "清单以外的工作事项,社区有权拒绝".
//!
//! A task may be refused when it has no approval in force on the day: no
//! approval, a blank approval number, an approval not yet valid, or an expired
//! one. An emergency item in force (rules §3b) cannot be refused; once its
//! emergency tag expires it can, unless it has also been approved.

use crate::model::Emergency;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

/// An access approval as issued by the city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// Approval number (准入审批编号).
    pub number: String,
    pub application_id: String,
    pub approved_on: Date,
    /// Last day in force (inclusive); `None` = no expiry.
    pub expires: Option<Date>,
}

impl Approval {
    pub fn in_force(&self, today: Date) -> bool {
        !self.number.trim().is_empty() && self.approved_on <= today && self.expires.is_none_or(|e| today <= e)
    }
}

/// A task a department has pushed onto a community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub department: String,
    pub title: String,
    pub approval: Option<Approval>,
    pub emergency: Option<Emergency>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// No approval number at all.
    NoApproval,
    /// An approval exists but is not in force (expired, not yet valid, blank).
    ApprovalNotInForce,
    /// Only an emergency tag, and it has expired.
    EmergencyExpired,
}

/// Why the community may refuse `task` on `today`, or `None` if it may not.
pub fn refusal_reason(task: &Task, today: Date) -> Option<RefusalReason> {
    if task.approval.as_ref().is_some_and(|a| a.in_force(today)) {
        return None;
    }
    if task.emergency.is_some_and(|e| e.in_force(today)) {
        return None;
    }
    Some(match (&task.approval, &task.emergency) {
        (Some(a), _) if !a.number.trim().is_empty() => RefusalReason::ApprovalNotInForce,
        (_, Some(_)) => RefusalReason::EmergencyExpired,
        _ => RefusalReason::NoApproval,
    })
}

/// The community may refuse a task without an approval in force on `today`.
pub fn may_refuse(task: &Task, today: Date) -> bool {
    refusal_reason(task, today).is_some()
}

/// Per-department counts of pushed tasks and of refusable ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalTally {
    pub tasks: u32,
    pub refusable: u32,
    pub no_approval: u32,
    pub approval_not_in_force: u32,
    pub emergency_expired: u32,
}

/// Tally tasks per department (sorted by department name).
pub fn refusal_tally<'a>(tasks: impl IntoIterator<Item = &'a Task>, today: Date) -> BTreeMap<String, RefusalTally> {
    let mut out: BTreeMap<String, RefusalTally> = BTreeMap::new();
    for t in tasks {
        let tally = out.entry(t.department.clone()).or_default();
        tally.tasks += 1;
        if let Some(r) = refusal_reason(t, today) {
            tally.refusable += 1;
            match r {
                RefusalReason::NoApproval => tally.no_approval += 1,
                RefusalReason::ApprovalNotInForce => tally.approval_not_in_force += 1,
                RefusalReason::EmergencyExpired => tally.emergency_expired += 1,
            }
        }
    }
    out
}
