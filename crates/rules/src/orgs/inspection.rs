//! The annual inspection (年检) of a registered organisation: due → submitted →
//! passed or failed; overdue when the due date has passed and nothing was submitted.
//! The stored state is what happened (due, submitted, passed, failed); overdue is
//! computed from the date, never stored ([`status`]).

use super::refuse;
use crate::Msg;
use crate::orgs::registry::Tier;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Due,
    Submitted,
    Passed,
    Failed,
    /// Computed: due, and the due date has passed.
    Overdue,
}

impl Status {
    pub fn name(self) -> Msg {
        match self {
            Status::Due => Msg::new("待提交", "due"),
            Status::Submitted => Msg::new("已提交待审", "submitted"),
            Status::Passed => Msg::new("合格", "passed"),
            Status::Failed => Msg::new("不合格", "failed"),
            Status::Overdue => Msg::new("逾期未报", "overdue"),
        }
    }
}

/// What an inspection shows on `today`: a due one past its date is overdue.
pub fn status(stored: Status, due_on: Date, today: Date) -> Status {
    if stored == Status::Due && today > due_on { Status::Overdue } else { stored }
}

/// Inspection applies to registered organisations (filed and small groups report to the community).
pub fn rule_inspection_applies(tier: Tier) -> Result<(), Msg> {
    if tier == Tier::Registered {
        Ok(())
    } else {
        Err(refuse(
            "5.11",
            "年检只适用于登记的社会组织；备案和小型群体由社区管理",
            "annual inspection applies to registered organisations; filed and small groups are managed by the community",
        ))
    }
}

/// The organisation submits its annual report: only while due (late is allowed, and stays visible).
pub fn rule_inspection_submit(stored: Status) -> Result<(), Msg> {
    match stored {
        Status::Due | Status::Overdue => Ok(()),
        s => Err(refuse(
            "年检",
            format!("本年度年检已是“{}”，不能再提交", s.name().zh),
            format!("this year's inspection is already {}; it cannot be submitted again", s.name().en),
        )),
    }
}

/// The registration authority decides only a submitted report; a failure needs a reason.
pub fn rule_inspection_decide(stored: Status, pass: bool, note: &str) -> Result<Status, Msg> {
    if stored != Status::Submitted {
        return Err(refuse("年检", "只能审核已提交的年检报告", "only a submitted report is decided"));
    }
    if !pass && note.trim().is_empty() {
        return Err(refuse("年检", "年检不合格须说明理由", "a failed inspection needs a reason"));
    }
    Ok(if pass { Status::Passed } else { Status::Failed })
}

/// Should a reminder go out on `today`: from `lead_days` before the due date while nothing is submitted.
pub fn reminder_due(stored: Status, due_on: Date, today: Date, lead_days: i64) -> bool {
    stored == Status::Due && (due_on - today).whole_days() <= lead_days
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn overdue_is_computed_from_the_date() {
        assert_eq!(status(Status::Due, date!(2026 - 05 - 31), date!(2026 - 05 - 31)), Status::Due);
        assert_eq!(status(Status::Due, date!(2026 - 05 - 31), date!(2026 - 06 - 01)), Status::Overdue);
        assert_eq!(status(Status::Passed, date!(2026 - 05 - 31), date!(2026 - 06 - 01)), Status::Passed);
    }

    #[test]
    fn rule_inspection_applies_accepts() {
        assert!(rule_inspection_applies(Tier::Registered).is_ok());
    }

    #[test]
    fn rule_inspection_applies_refuses() {
        assert!(rule_inspection_applies(Tier::Filed).is_err());
    }

    #[test]
    fn rule_inspection_submit_accepts() {
        assert!(rule_inspection_submit(Status::Due).is_ok());
        assert!(rule_inspection_submit(Status::Overdue).is_ok());
    }

    #[test]
    fn rule_inspection_submit_refuses() {
        assert!(rule_inspection_submit(Status::Submitted).unwrap_err().zh.contains("不能再提交"));
        assert!(rule_inspection_submit(Status::Passed).is_err());
    }

    #[test]
    fn rule_inspection_decide_accepts() {
        assert_eq!(rule_inspection_decide(Status::Submitted, true, "").unwrap(), Status::Passed);
        assert_eq!(rule_inspection_decide(Status::Submitted, false, "财务报告缺失").unwrap(), Status::Failed);
    }

    #[test]
    fn rule_inspection_decide_refuses() {
        assert!(rule_inspection_decide(Status::Due, true, "").is_err());
        assert!(rule_inspection_decide(Status::Submitted, false, " ").unwrap_err().zh.contains("理由"));
    }

    #[test]
    fn reminders_start_lead_days_before_and_stop_once_submitted() {
        let due = date!(2026 - 05 - 31);
        assert!(!reminder_due(Status::Due, due, date!(2026 - 04 - 30), 30));
        assert!(reminder_due(Status::Due, due, date!(2026 - 05 - 01), 30));
        assert!(reminder_due(Status::Due, due, date!(2026 - 07 - 01), 30));
        assert!(!reminder_due(Status::Submitted, due, date!(2026 - 05 - 20), 30));
    }
}
