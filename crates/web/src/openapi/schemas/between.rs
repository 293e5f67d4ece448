//! The residents' committee between elections: removals, by-elections and covenants
//! (rules §1.10, §1.12, §2.21, §2.22).

use super::*;

pub(super) fn add(m: &mut Map<String, Value>) {
    m.insert(
        "NewChange".into(),
        input(
            &[
                ("kind", d(string(), "removal | by_election")),
                ("name", d(string(), "The member removed, or the person by-elected")),
                ("post", d(string(), "For a by-election: 主任 | 副主任 | 委员")),
                ("lives_here", d(flag(), "For a by-election: lives in the community (rule 2.21); default yes")),
                (
                    "resolution_id",
                    d(loose(), "The passed resolution of a validly held 居民会议 of the community (rule 1.10)"),
                ),
                ("motion_voters", d(loose(), "For a removal: voters signing the recall motion (rule 2.22)")),
                ("motion_households", d(loose(), "For a removal: households signing the recall motion")),
                ("motion_groups", d(loose(), "For a removal: residents' groups signing the recall motion")),
                ("reason", string()),
            ],
            &["kind", "name", "resolution_id"],
        ),
    );
    m.insert(
        "CommitteeChange".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("kind", d(string(), "removal | by_election")),
            ("member_name", string()),
            ("post", string()),
            ("lives_here", int()),
            ("resolution_id", int()),
            ("motion_voters", int()),
            ("motion_households", int()),
            ("motion_groups", int()),
            ("reason", string()),
            ("created_by", string()),
            ("created_at", string()),
        ]),
    );
    m.insert("NewCovenant".into(), input(&[("title", string()), ("body", string())], &["title", "body"]));
    m.insert(
        "CovenantDecision".into(),
        input(
            &[("resolution_id", d(loose(), "The 居民会议 resolution that adopted the covenant"))],
            &["resolution_id"],
        ),
    );
    m.insert(
        "CovenantFiling".into(),
        input(&[("filing_ref", string()), ("filed_on", d(string(), "YYYY-MM-DD"))], &["filing_ref", "filed_on"]),
    );
    m.insert(
        "Covenant".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("title", string()),
            ("body", string()),
            ("resolution_id", null(int())),
            ("filing_ref", string()),
            ("filed_on", null(string())),
            ("filed_by", null(string())),
            (
                "effective_on",
                d(null(string()), "Set only once decided by the 居民会议 and filed with the district (rule 1.12)"),
            ),
            ("created_by", string()),
            ("created_at", string()),
        ]),
    );
}
