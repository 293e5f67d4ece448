//! The provincial ruleset (rules §2): every figure that rules.md gives as a
//! provincial default or marks UNSURE is a field here, so a province can set
//! its own. No Anhui 居委会 election rules were found (rules §2, "Anhui-specific
//! rules: NOT FOUND"), so [`Ruleset::anhui`] carries the defaults of rules.md
//! and says "安徽: to be confirmed" ([`Ruleset::status`]).

use rules::Msg;

/// §2.4: when objections to the voter list may be filed and must be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionWindow {
    /// NPC analogue (default): filed within `file_days` of publication, decided within `decide_days` of filing.
    AfterPublication { file_days: i64, decide_days: i64 },
    /// Village variant: filed no later than `file_by` days before election day, decided no later than `decide_by`.
    BeforeElection { file_by: i64, decide_by: i64 },
}

/// A fraction `num/den` compared with integers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Share {
    pub num: u64,
    pub den: u64,
}

impl Share {
    pub const fn new(num: u64, den: u64) -> Share {
        Share { num, den }
    }
    /// `part / whole ≥ num / den` ("以上" is inclusive), exactly; nothing reaches a share of an empty whole.
    pub fn reached(self, part: u64, whole: u64) -> bool {
        whole > 0 && (part as u128) * (self.den as u128) >= (self.num as u128) * (whole as u128)
    }
    /// `part / whole ≤ num / den`.
    pub fn within(self, part: u64, whole: u64) -> bool {
        (part as u128) * (self.den as u128) <= (self.num as u128) * (whole as u128)
    }
}

/// The provincial election ruleset; `Ruleset::default()` is [`Ruleset::anhui`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ruleset {
    /// The province this ruleset is for.
    pub province: String,
    /// False until the province's own text has been checked against these figures.
    pub confirmed: bool,
    /// §2.1(c): months of residence without 户籍 before a person may apply to register.
    pub residence_months_without_hukou: u32,
    /// §2.1(c): whether such an applicant also needs a residence permit (居住证).
    pub residence_permit_required: bool,
    /// §2.3: the voter list is published at least this many days before election day.
    pub voter_list_days_before: i64,
    /// §2.4 [UNSURE which applies].
    pub objections: ObjectionWindow,
    /// §2.5: a "cannot return" notice this many days before election day takes the voter out of the denominator.
    pub cannot_return_notice_days: i64,
    /// §2.6: signers of a joint nomination by voters.
    pub nomination_min_voters: usize,
    /// §2.6: signers of a joint nomination by household representatives.
    pub nomination_min_households: usize,
    /// §2.7 [UNSURE]: an open-nomination (海选) round needs strictly more than this share of voters.
    pub open_nomination_turnout: Share,
    /// §2.8: formal candidates for 主任 and 副主任 are seats + this range (inclusive).
    pub head_margin: (u32, u32),
    /// §2.8: formal candidates for 委员 are seats + this range (inclusive).
    pub member_margin: (u32, u32),
    /// §2.8: uncontested (等额) lists allowed at all (then only with a 居民会议 approval).
    pub uncontested_allowed: bool,
    /// §2.9: the formal candidate list is published at least this many days before election day.
    pub candidate_list_days_before: i64,
    /// §2.11: authorisations one proxy may hold (one province: 2).
    pub max_proxies_per_voter: usize,
    /// §2.11: proxies only among close relatives.
    pub proxy_close_relatives_only: bool,
    /// §2.12: staff per polling station or mobile box.
    pub min_box_staff: usize,
    /// §2.19: combined-ballot aggregation (votes for a higher post count toward a lower one).
    pub aggregate_combined_ballot: bool,
    /// §2.18: a further election within this many months after two rounds leave seats unfilled
    /// (3 per Tianjin, 6 per fymate 168135).
    pub further_election_months: u32,
    /// §2.20: days to file the result with the district; rules.md gives no default.
    pub filing_days: Option<i64>,
    /// §2.21: members who do not live in the community may be at most this share of the committee.
    pub non_resident_max: Share,
    /// §2.22: a recall motion needs this share of voters or of households …
    pub recall_voters: Share,
    /// … or this share of residents' groups.
    pub recall_groups: Share,
}

impl Default for Ruleset {
    fn default() -> Ruleset {
        Ruleset::anhui()
    }
}

impl Ruleset {
    /// rules.md §2's defaults, for Anhui until its own rules are found.
    pub fn anhui() -> Ruleset {
        Ruleset {
            province: "安徽".into(),
            confirmed: false,
            residence_months_without_hukou: 12,
            residence_permit_required: false,
            voter_list_days_before: 20,
            objections: ObjectionWindow::AfterPublication { file_days: 5, decide_days: 3 },
            cannot_return_notice_days: 2,
            nomination_min_voters: 10,
            nomination_min_households: 5,
            open_nomination_turnout: Share::new(1, 2),
            head_margin: (1, 1),
            member_margin: (1, 3),
            uncontested_allowed: false,
            candidate_list_days_before: 5,
            max_proxies_per_voter: 3,
            proxy_close_relatives_only: false,
            min_box_staff: 3,
            aggregate_combined_ballot: false,
            further_election_months: 6,
            filing_days: None,
            non_resident_max: Share::new(1, 3),
            recall_voters: Share::new(1, 5),
            recall_groups: Share::new(1, 3),
        }
    }

    /// What a page shows beside the figures: "安徽: to be confirmed" until someone checks them.
    pub fn status(&self) -> Msg {
        if self.confirmed {
            Msg::new(format!("{}：已核实", self.province), format!("{}: confirmed", self.province))
        } else {
            Msg::new(format!("{}：待确认", self.province), format!("{}: to be confirmed", self.province))
        }
    }

    /// §2.8: the contested margin of a post (主任 and 副主任 one way, every other post as 委员).
    pub fn margin(&self, post: &str) -> (u32, u32) {
        match post {
            "主任" | "副主任" => self.head_margin,
            _ => self.member_margin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_2_default_ruleset_is_marked_anhui_to_be_confirmed() {
        let r = Ruleset::default();
        assert_eq!(r.status().en, "安徽: to be confirmed");
        assert_eq!(r.status().zh, "安徽：待确认");
        let confirmed = Ruleset { confirmed: true, ..Ruleset::anhui() };
        assert_eq!(confirmed.status().en, "安徽: confirmed");
    }

    #[test]
    fn share_is_exact_at_the_boundary() {
        let fifth = Share::new(1, 5);
        assert!(fifth.reached(200, 1000));
        assert!(!fifth.reached(199, 1000));
        assert!(!fifth.reached(0, 0));
        assert!(Share::new(1, 3).within(3, 9));
        assert!(!Share::new(1, 3).within(4, 9));
        assert!(Share::new(1, 3).reached(u64::MAX / 3 + 1, u64::MAX));
    }
}
