//! The voter roll (rules §1.4, §2.1, §2.2): who may register, and once only per cycle.
//!
//! An [`Applicant`] has no field for ethnicity, race, sex, occupation, family
//! background, religion, education, property or length of residence as such:
//! the grounds §1.4 forbids cannot be used because the roll never sees them
//! (§2.1's one year without 户籍 is a registration category, not a filter on
//! those who hold 户籍 here).

use std::collections::HashMap;

use rules::Msg;
use rules::gb11643::CitizenId;
use time::Date;

use crate::ruleset::Ruleset;

/// §2.1: how a person stands to the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// (a) 户籍 and residence both here: registered.
    HukouAndResident,
    /// (b) 户籍 here, living elsewhere: registered if the person asks.
    HukouElsewhere { asked: bool },
    /// (c) living here without 户籍: only on the person's own application, approved.
    ResidentWithoutHukou { months: u32, applied: bool, approved: bool, residence_permit: bool },
}

/// What the roll knows of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant<'a> {
    pub id_number: &'a str,
    /// The birth date a registry took from `id_number` (GB 11643, digits 7–14) when it checked
    /// the number on entry: when given, the age is counted from it and the number is not read.
    pub born: Option<Date>,
    pub category: Category,
    /// 依法被剥夺政治权利 (§1.4).
    pub deprived_of_political_rights: bool,
}

/// §1.4 and §2.1: may this person be registered for an election held on `election_day`?
/// Age is counted on election day from the birth date in the ID number.
pub fn check_voter(rs: &Ruleset, a: &Applicant, election_day: Date) -> Result<(), Msg> {
    let born = match a.born {
        Some(born) if born > election_day => {
            return Err(Msg::new("身份证号码中的出生日期不合理", "citizen ID: birth date is impossible"));
        }
        Some(born) => born,
        None => CitizenId::parse(a.id_number, election_day)?.birth_date,
    };
    let age = age_on(born, election_day);
    if age < 18 {
        return Err(Msg::new(
            format!("选举日未满十八周岁（{age}岁），不能登记为选民（居组法第八条）"),
            format!("under 18 on election day ({age}): cannot register (Organic Law Art 8)"),
        ));
    }
    if a.deprived_of_political_rights {
        return Err(Msg::new(
            "依照法律被剥夺政治权利的人没有选举权（居组法第八条）",
            "a person deprived of political rights by law has no vote (Organic Law Art 8)",
        ));
    }
    let refuse = |zh: &str, en: &str| Err(Msg::new(format!("{zh}（规则2.1）"), format!("{en} (rule 2.1)")));
    match a.category {
        Category::HukouAndResident => Ok(()),
        Category::HukouElsewhere { asked: true } => Ok(()),
        Category::HukouElsewhere { asked: false } => refuse(
            "户籍在本社区但不在本社区居住的，须本人要求方可登记",
            "living elsewhere: registered only if the person asks",
        ),
        Category::ResidentWithoutHukou { months, applied, approved, residence_permit } => {
            if months < rs.residence_months_without_hukou {
                refuse(
                    &format!("非户籍居民须在本社区居住满{}个月", rs.residence_months_without_hukou),
                    &format!("without 户籍, {} months' residence are needed", rs.residence_months_without_hukou),
                )
            } else if !applied || !approved {
                refuse(
                    "非户籍居民须本人申请并经审核同意",
                    "without 户籍: only on the person's application, once approved",
                )
            } else if rs.residence_permit_required && !residence_permit {
                refuse("非户籍居民须持居住证", "without 户籍: a residence permit is required")
            } else {
                Ok(())
            }
        }
    }
}

/// Whole years from `born` to `day` (as `CitizenId::age_on` counts them).
fn age_on(born: Date, day: Date) -> i32 {
    day.year() - born.year() - i32::from((day.month() as u8, day.day()) < (born.month() as u8, born.day()))
}

/// §2.2: one registration per person across all communities in one election
/// cycle. Keyed by the registry's blind index of the ID number, never the number.
/// Each community's name is held once; a person costs one key and an index.
#[derive(Debug, Clone, Default)]
pub struct CycleRegister {
    seen: HashMap<String, u32>,
    communities: Vec<String>,
}

impl CycleRegister {
    pub fn with_capacity(n: usize) -> CycleRegister {
        CycleRegister { seen: HashMap::with_capacity(n), communities: Vec::new() }
    }

    fn community_index(&mut self, community: &str) -> u32 {
        // Registrations come a community at a time: the last one is nearly always the one.
        match self.communities.iter().rposition(|c| c == community) {
            Some(i) => i as u32,
            None => {
                self.communities.push(community.to_string());
                (self.communities.len() - 1) as u32
            }
        }
    }

    /// Register `person` in `community`; refused if another community already has them.
    /// Registering again in the same community is a no-op.
    pub fn register(&mut self, person: &str, community: &str) -> Result<(), Msg> {
        let here = self.community_index(community);
        match self.seen.get(person) {
            Some(&c) if c == here => Ok(()),
            Some(&c) => {
                let c = &self.communities[c as usize];
                Err(Msg::new(
                    format!("此人已在{c}登记为本届选民，不得在两地同时登记（规则2.2）"),
                    format!("already registered in {c} for this cycle: one registration only (rule 2.2)"),
                ))
            }
            None => {
                self.seen.insert(person.to_string(), here);
                Ok(())
            }
        }
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// A published roll line: a name and a residents' group, nothing else (rules §6).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublishedVoter {
    pub name: String,
    pub group: String,
}

/// A resident as the registry gives them to the roll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resident<'a> {
    pub name: &'a str,
    pub group: &'a str,
    /// The registry's blind index of the ID number (for §2.2), never the number itself.
    pub person_key: &'a str,
    pub applicant: Applicant<'a>,
}

/// A community's roll: the published lines, in registry order, and each resident
/// left off with the reason (by position in the input).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roll {
    pub published: Vec<PublishedVoter>,
    pub left_off: Vec<(usize, Msg)>,
}

/// §1.4, §2.1 and §2.2: a community's roll for an election on `election_day`,
/// registering each voter in the cycle's `register` (shared by every community).
pub fn build_roll<'a>(
    rs: &Ruleset,
    election_day: Date,
    community: &str,
    residents: impl IntoIterator<Item = Resident<'a>>,
    register: &mut CycleRegister,
) -> Roll {
    let residents: Vec<Resident<'a>> = residents.into_iter().collect();
    let judged = judge_roll(rs, election_day, community, residents.iter().cloned(), register);
    let published = judged
        .kept
        .iter()
        .map(|&i| PublishedVoter { name: residents[i].name.to_string(), group: residents[i].group.to_string() })
        .collect();
    Roll { published, left_off: judged.left_off }
}

/// The same judgement as [`build_roll`] by position only: the residents kept,
/// in input order, and those left off with the rule's reason. A store that
/// already holds the rows writes the published lines from them, without a copy
/// of every name and group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Judged {
    pub kept: Vec<usize>,
    pub left_off: Vec<(usize, Msg)>,
}

/// §1.4, §2.1 and §2.2 for each resident in turn, as [`build_roll`] applies them.
pub fn judge_roll<'a>(
    rs: &Ruleset,
    election_day: Date,
    community: &str,
    residents: impl IntoIterator<Item = Resident<'a>>,
    register: &mut CycleRegister,
) -> Judged {
    let residents = residents.into_iter();
    let mut judged = Judged { kept: Vec::with_capacity(residents.size_hint().0), left_off: Vec::new() };
    for (i, r) in residents.enumerate() {
        match check_voter(rs, &r.applicant, election_day).and_then(|_| register.register(r.person_key, community)) {
            Ok(()) => judged.kept.push(i),
            Err(m) => judged.left_off.push((i, m)),
        }
    }
    judged
}

/// §1.5 (`HOUSEHOLD_REPRESENTATIVES`): one voter per household. Of the voters
/// the roll took (`households[i]` is voter i's household, in registry order) the
/// first of each household represents it; every other member is left off with
/// the rule's reason. Returns the kept indices and the left-off ones.
pub fn one_per_household(households: &[&str]) -> (Vec<usize>, Vec<(usize, Msg)>) {
    let mut seen = std::collections::HashSet::with_capacity(households.len());
    let (mut kept, mut left) = (Vec::new(), Vec::new());
    for (i, h) in households.iter().enumerate() {
        if seen.insert(*h) {
            kept.push(i);
        } else {
            left.push((
                i,
                Msg::new(
                    "户代表选举：本户已有一人代表本户登记（规则1.5）",
                    "household representatives: this household is already represented on the roll (rule 1.5)",
                ),
            ));
        }
    }
    (kept, left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rules::gb11643::compose;
    use time::macros::date;

    const DAY: Date = date!(2026 - 05 - 30);

    fn id(birth: Date, seq: u16) -> String {
        compose("340702", birth, seq)
    }

    fn voter(id: &str, category: Category) -> Applicant<'_> {
        Applicant { id_number: id, born: None, category, deprived_of_political_rights: false }
    }

    #[test]
    fn rule_1_5_household_representatives_one_voter_per_household_is_accepted() {
        let (kept, left) = one_per_household(&["1", "2", "3"]);
        assert_eq!(kept, [0, 1, 2]);
        assert!(left.is_empty());
    }

    #[test]
    fn rule_1_5_household_representatives_a_second_voter_of_a_household_is_refused() {
        let (kept, left) = one_per_household(&["1", "2", "1", "1"]);
        assert_eq!(kept, [0, 1]);
        assert_eq!(left.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [2, 3]);
        assert!(left[0].1.en.contains("rule 1.5"));
    }

    #[test]
    fn rule_1_4_eighteen_on_election_day_is_accepted() {
        let rs = Ruleset::default();
        let birthday_today = id(date!(2008 - 05 - 30), 11);
        assert!(check_voter(&rs, &voter(&birthday_today, Category::HukouAndResident), DAY).is_ok());
    }

    #[test]
    fn rule_1_4_under_eighteen_on_election_day_is_refused() {
        let rs = Ruleset::default();
        let tomorrow = id(date!(2008 - 05 - 31), 11);
        let e = check_voter(&rs, &voter(&tomorrow, Category::HukouAndResident), DAY).unwrap_err();
        assert!(e.zh.contains("未满十八周岁"), "{e}");
        assert!(check_voter(&rs, &voter("34070219900101001", Category::HukouAndResident), DAY).is_err());
    }

    #[test]
    fn rule_1_4_the_registry_birth_date_counts_as_the_id_number_does() {
        let rs = Ruleset::default();
        for (born, ok) in [(date!(2008 - 05 - 30), true), (date!(2008 - 05 - 31), false), (date!(1950 - 01 - 01), true)]
        {
            let n = id(born, 11);
            let by_number = check_voter(&rs, &voter(&n, Category::HukouAndResident), DAY);
            let by_date =
                check_voter(&rs, &Applicant { born: Some(born), ..voter("", Category::HukouAndResident) }, DAY);
            assert_eq!(by_number, by_date, "{born}");
            assert_eq!(by_date.is_ok(), ok, "{born}");
        }
        let future = Applicant { born: Some(date!(2030 - 01 - 01)), ..voter("", Category::HukouAndResident) };
        assert!(check_voter(&rs, &future, DAY).is_err());
    }

    #[test]
    fn rule_1_4_deprived_of_political_rights_is_refused() {
        let rs = Ruleset::default();
        let n = id(date!(1970 - 01 - 01), 11);
        let a = Applicant { deprived_of_political_rights: true, ..voter(&n, Category::HukouAndResident) };
        assert!(check_voter(&rs, &a, DAY).is_err());
    }

    #[test]
    fn rule_1_4_no_filter_on_forbidden_grounds() {
        // Sex is in the ID number; men and women (odd and even sequence) are treated alike.
        let rs = Ruleset::default();
        for seq in [11, 12] {
            let n = id(date!(1990 - 01 - 01), seq);
            assert!(check_voter(&rs, &voter(&n, Category::HukouAndResident), DAY).is_ok());
        }
        // 户籍 holders register however short their residence: 居住期限 is no filter for them.
        let n = id(date!(1990 - 01 - 01), 13);
        assert!(check_voter(&rs, &voter(&n, Category::HukouElsewhere { asked: true }), DAY).is_ok());
    }

    #[test]
    fn rule_2_1_categories_register_as_the_rule_says() {
        let rs = Ruleset::default();
        let n = id(date!(1990 - 01 - 01), 11);
        let applied =
            Category::ResidentWithoutHukou { months: 12, applied: true, approved: true, residence_permit: false };
        assert!(check_voter(&rs, &voter(&n, applied), DAY).is_ok());
        let strict = Ruleset { residence_permit_required: true, ..Ruleset::default() };
        let permit =
            Category::ResidentWithoutHukou { months: 14, applied: true, approved: true, residence_permit: true };
        assert!(check_voter(&strict, &voter(&n, permit), DAY).is_ok());
    }

    #[test]
    fn rule_2_1_categories_without_request_application_or_residence_are_refused() {
        let rs = Ruleset::default();
        let n = id(date!(1990 - 01 - 01), 11);
        let refused = |c: Category, rs: &Ruleset| check_voter(rs, &voter(&n, c), DAY).unwrap_err();
        assert!(refused(Category::HukouElsewhere { asked: false }, &rs).en.contains("rule 2.1"));
        let short =
            Category::ResidentWithoutHukou { months: 11, applied: true, approved: true, residence_permit: true };
        assert!(refused(short, &rs).zh.contains("12个月"));
        let unapproved =
            Category::ResidentWithoutHukou { months: 24, applied: true, approved: false, residence_permit: true };
        refused(unapproved, &rs);
        let unasked =
            Category::ResidentWithoutHukou { months: 24, applied: false, approved: true, residence_permit: true };
        refused(unasked, &rs);
        let strict = Ruleset { residence_permit_required: true, ..Ruleset::default() };
        let no_permit =
            Category::ResidentWithoutHukou { months: 24, applied: true, approved: true, residence_permit: false };
        assert!(refused(no_permit, &strict).zh.contains("居住证"));
    }

    #[test]
    fn rule_2_2_rolls_publish_names_and_groups_and_leave_off_with_reasons() {
        let rs = Ruleset::default();
        let (adult, minor, other) =
            (id(date!(1980 - 03 - 01), 11), id(date!(2010 - 03 - 01), 12), id(date!(1975 - 07 - 07), 13));
        let resident = |name, key, n| Resident {
            name,
            group: "第一居民小组",
            person_key: key,
            applicant: voter(n, Category::HukouAndResident),
        };
        let mut register = CycleRegister::default();
        let a = build_roll(
            &rs,
            DAY,
            "映湖社区",
            [resident("张伟", "k1", &adult), resident("小明", "k2", &minor)],
            &mut register,
        );
        assert_eq!(a.published, [PublishedVoter { name: "张伟".into(), group: "第一居民小组".into() }]);
        assert_eq!(a.left_off.len(), 1);
        assert_eq!(a.left_off[0].0, 1);
        // The same person on a second community's list is left off there, with the rule.
        let b = build_roll(
            &rs,
            DAY,
            "朝阳社区",
            [resident("张伟", "k1", &adult), resident("李娜", "k3", &other)],
            &mut register,
        );
        assert_eq!(b.published.len(), 1);
        assert!(b.left_off[0].1.en.contains("rule 2.2"));
        // Nothing but the name and the group is published (rules §6).
        let json = serde_json::to_value(&b.published[0]).unwrap();
        assert_eq!(json, serde_json::json!({"name": "李娜", "group": "第一居民小组"}));
    }

    #[test]
    fn rule_2_2_judge_roll_keeps_and_refuses_as_build_roll_does() {
        let rs = Ruleset::default();
        let (adult, minor) = (id(date!(1980 - 03 - 01), 11), id(date!(2010 - 03 - 01), 12));
        let resident = |name, key, n| Resident {
            name,
            group: "第一居民小组",
            person_key: key,
            applicant: voter(n, Category::HukouAndResident),
        };
        let people =
            || [resident("张伟", "k1", &adult), resident("小明", "k2", &minor), resident("李娜", "k3", &adult)];
        let mut first = CycleRegister::default();
        first.register("k3", "朝阳社区").unwrap();
        let mut second = first.clone();
        let built = build_roll(&rs, DAY, "映湖社区", people(), &mut first);
        let judged = judge_roll(&rs, DAY, "映湖社区", people(), &mut second);
        assert_eq!(judged.kept, [0]);
        assert_eq!(judged.left_off, built.left_off);
        assert!(judged.left_off[1].1.zh.contains("朝阳社区"), "{:?}", judged.left_off);
        assert_eq!(first.len(), second.len());
    }

    #[test]
    fn rule_2_2_one_registration_per_person_per_cycle() {
        let mut r = CycleRegister::default();
        assert!(r.register("blind-1", "映湖社区").is_ok());
        assert!(r.register("blind-1", "映湖社区").is_ok());
        assert!(r.register("blind-2", "朝阳社区").is_ok());
        let e = r.register("blind-1", "朝阳社区").unwrap_err();
        assert!(e.zh.contains("映湖社区") && e.en.contains("rule 2.2"), "{e}");
        assert_eq!(r.len(), 2);
    }
}
