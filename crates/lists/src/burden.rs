//! The burden on communities over time (issue 14; rules §3b, §1.16): the work in force in each
//! month. A task is in force from the moment it reaches the community until it stops being in force
//! (the community refuses it, or its approval expires); a month counts every task in force at some
//! moment of it — arrived by the month's end and not ended before the month's start — and, apart,
//! the tasks that ended in it.

/// A month as a count, `year * 12 + (month - 1)`.
pub type MonthNo = i64;

/// The month of a stored moment or date ("YYYY-MM…").
pub fn month_no(text: &str) -> Option<MonthNo> {
    let y: i64 = text.get(..4)?.parse().ok()?;
    let m: i64 = text.get(5..7)?.parse().ok()?;
    (text.as_bytes().get(4) == Some(&b'-') && (1..=12).contains(&m)).then_some(y * 12 + m - 1)
}

/// "YYYY-MM" of a month count.
pub fn month_text(n: MonthNo) -> String {
    format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1)
}

/// One task's span: the month it arrived, the month it stopped being in force (if it has), and
/// whether it arrived with an access approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: MonthNo,
    pub to: Option<MonthNo>,
    pub approved: bool,
}

/// One month's work in force, with and without an approval, and the tasks that ended in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InForce {
    pub approved: i64,
    pub unapproved: i64,
    pub ended: i64,
}

/// For each month from `first` to `last` (inclusive, oldest first), the tasks in force and ended.
pub fn in_force_per_month(spans: &[Span], first: MonthNo, last: MonthNo) -> Vec<InForce> {
    (first..=last)
        .map(|m| {
            let mut f = InForce::default();
            for s in spans.iter().filter(|s| s.from <= m && s.to.is_none_or(|t| t >= m)) {
                if s.approved {
                    f.approved += 1;
                } else {
                    f.unapproved += 1;
                }
            }
            f.ended = spans.iter().filter(|s| s.to == Some(m)).count() as i64;
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: &str) -> MonthNo {
        month_no(t).unwrap()
    }

    #[test]
    fn work_is_in_force_from_its_arrival_to_the_month_it_ends() {
        let spans = [
            // Arrived in January without approval, refused in March.
            Span { from: m("2026-01-05T00:00:00Z"), to: Some(m("2026-03-10T00:00:00Z")), approved: false },
            // Approved in February, expiring at the end of February.
            Span { from: m("2026-02-01"), to: Some(m("2026-02-28T23:59:59Z")), approved: true },
            // Arrived in April, still in force.
            Span { from: m("2026-04-30"), to: None, approved: false },
        ];
        let got = in_force_per_month(&spans, m("2025-12"), m("2026-05"));
        let want = [(0, 0, 0), (0, 1, 0), (1, 1, 1), (0, 1, 1), (0, 1, 0), (0, 1, 0)];
        let got: Vec<_> = got.iter().map(|f| (f.approved, f.unapproved, f.ended)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn months_read_and_print_and_refuse_what_is_not_a_month() {
        assert_eq!(month_text(m("2026-12-31T23:59:59Z")), "2026-12");
        assert_eq!(m("2027-01") - m("2026-12"), 1);
        assert_eq!(month_no("2026-13"), None);
        assert_eq!(month_no("26-01"), None);
        assert_eq!(month_no(""), None);
    }
}
