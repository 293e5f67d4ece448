//! Data minimisation (rules §6.4; PIPL Art 28): what each role sees of a
//! resident, decided here and only here. The registry's pages, its API, the
//! hotline's caller look-up and the CSV/XLSX exports all show a resident
//! through [`ResidentView::of`].
//!
//! | role | ID number | birth | search by full ID number |
//! |---|---|---|---|
//! | front desk, community administrator (may reveal, audited) | masked `3407*************X` | full date | yes, audited |
//! | back office, district department, city civil affairs | masked | year only | at most [`FULL_ID_SEARCHES_PER_DAY`] a day, audited |
//! | everyone else | no registry access (see `policy::REGISTRY_READERS`) | — | — |
//!
//! The mask ([`rules::gb11643::mask`]) hides the eight birth-date digits, the
//! county and the sequence number. A role below reveal, knowing the birth year,
//! the sex and the district, still faces more than ten thousand candidates per
//! resident, and its searches that could confirm one are counted and audited —
//! `tests/privacy.rs::no_role_below_reveal_can_rebuild_an_id_number`.

use crate::policy::REGISTRY_WRITERS;
use serde::Serialize;
use store::residents::Resident;
use store::users::Role;

/// Searches by a full ID number a role below reveal may run per day, each audited.
pub const FULL_ID_SEARCHES_PER_DAY: i64 = 20;

/// May this role read a resident's full ID number (each read audited)? The
/// community's own registry staff, who register residents at the counter.
pub fn may_reveal(role: Role) -> bool {
    REGISTRY_WRITERS.contains(&role)
}

/// How a role sees a resident's birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Birth {
    /// The full date: only where the role may reveal the ID number anyway.
    Date,
    /// The year alone: the date is the eight digits the mask hides.
    Year,
}

pub fn birth(role: Role) -> Birth {
    if may_reveal(role) { Birth::Date } else { Birth::Year }
}

/// The birth column of this role's CSV/XLSX export.
pub fn birth_column(role: Role) -> store::residents_file::BirthColumn {
    match birth(role) {
        Birth::Date => store::residents_file::BirthColumn::Date,
        Birth::Year => store::residents_file::BirthColumn::Year,
    }
}

/// How many searches by a full ID number this role may run per day (None: no
/// limit, as it may reveal the number anyway). Every such search is audited.
pub fn full_id_searches_per_day(role: Role) -> Option<i64> {
    if may_reveal(role) { None } else { Some(FULL_ID_SEARCHES_PER_DAY) }
}

// ---- Residents under 14 (rules §6.5; PIPL Art 28, 31) ----
//
// All their data is sensitive and their registration carries a guardian's
// consent (`rules::minors::check_guardian`, on every way in: form, API,
// import). They appear only where a role strictly needs them: the
// community's own registry staff, who register them at the counter, see
// them with their guardian. Every other registry reader (back office,
// district, city) finds no child in a list, a search, an export or a
// resident's page (404); the hotline's look-up by phone finds none for
// anyone (a child is not the caller); the election roll holds adults only.
// `tests/privacy.rs::residents_under_14_appear_only_to_their_communitys_registry_staff`.

/// §6.5: may this role see residents under 14 at all? Only the community's registry staff.
pub fn sees_children(role: Role) -> bool {
    may_reveal(role)
}

/// §6.5: narrow a registry filter to what this role may see (no resident under 14 below reveal).
pub fn restrict(role: Role, f: &mut store::residents::Filter, today: time::Date) {
    if !sees_children(role) {
        f.born_on_or_before = Some(rules::minors::cutoff(today).to_string());
    }
}

/// Is this resident under 14 today?
pub fn is_child(r: &Resident, today: time::Date) -> bool {
    store::clock::parse_date(&r.birth_date).is_some_and(|b| rules::minors::under_14(b, today))
}

/// §6.5: may this role see this resident (their page, their record)?
pub fn may_see(role: Role, r: &Resident, today: time::Date) -> bool {
    sees_children(role) || !is_child(r, today)
}

/// One resident as a role may see them.
#[derive(Debug, Clone, Serialize)]
pub struct ResidentView {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub group_id: Option<i64>,
    pub name: String,
    /// [`rules::gb11643::mask`]: the first 4 characters and the check character.
    pub id_masked: String,
    /// The full birth date, only for roles that may reveal the ID number; null otherwise.
    pub birth_date: Option<String>,
    pub birth_year: i32,
    pub sex: String,
    pub household: String,
    pub building: String,
    pub address: String,
    pub phone: String,
    pub hukou: i64,
    pub moved_in: Option<String>,
    pub created_at: String,
    /// §6.5: under 14, so every field is sensitive personal information.
    pub under_14: bool,
    /// §6.5: the consenting guardian ("name（relation）"), to the roles that see children.
    pub guardian: Option<String>,
}

impl ResidentView {
    pub fn of(role: Role, r: &Resident) -> ResidentView {
        ResidentView {
            id: r.id,
            community_code: r.community_code.clone(),
            district_code: r.district_code.clone(),
            group_id: r.group_id,
            name: r.name.clone(),
            // Masked again here, so a row stored under an older mask never shows more.
            id_masked: rules::gb11643::mask(&r.id_masked),
            birth_date: (birth(role) == Birth::Date).then(|| r.birth_date.clone()),
            birth_year: r.birth_date.get(..4).and_then(|y| y.parse().ok()).unwrap_or_default(),
            sex: r.sex.clone(),
            household: r.household.clone(),
            building: r.building.clone(),
            address: r.address.clone(),
            phone: r.phone.clone(),
            hukou: r.hukou,
            moved_in: r.moved_in.clone(),
            created_at: r.created_at.clone(),
            under_14: is_child(r, store::clock::today()),
            guardian: sees_children(role)
                .then(|| {
                    r.guardian_name.as_ref().map(|n| format!("{n}（{}）", r.guardian_relation.as_deref().unwrap_or("")))
                })
                .flatten(),
        }
    }

    /// What the birth column shows: the date, or the year alone.
    pub fn born(&self) -> String {
        self.birth_date.clone().unwrap_or_else(|| self.birth_year.to_string())
    }

    pub fn many(role: Role, rows: &[Resident]) -> Vec<ResidentView> {
        rows.iter().map(|r| ResidentView::of(role, r)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::{BackOffice, CityCivilAffairs, CommunityAdmin, DistrictDepartment, FrontDesk};

    fn resident(id_masked: &str) -> Resident {
        Resident {
            id: 1,
            community_code: "340705402".into(),
            district_code: "340705".into(),
            group_id: None,
            name: "张三".into(),
            id_masked: id_masked.into(),
            birth_date: "1985-06-01".into(),
            sex: "M".into(),
            household: String::new(),
            building: String::new(),
            address: String::new(),
            phone: String::new(),
            hukou: 1,
            moved_in: None,
            created_at: String::new(),
            guardian_name: None,
            guardian_relation: None,
            guardian_consent_on: None,
        }
    }

    #[test]
    fn rule_6_5_a_child_is_seen_only_by_the_communitys_registry_staff() {
        let today = store::clock::parse_date("2026-12-06").unwrap();
        let mut child = resident("3407*************5");
        child.birth_date = "2020-03-01".into();
        child.guardian_name = Some("王芳".into());
        child.guardian_relation = Some("母亲".into());
        for role in [FrontDesk, CommunityAdmin] {
            assert!(may_see(role, &child, today), "{role:?}");
            let mut f = store::residents::Filter::default();
            restrict(role, &mut f, today);
            assert_eq!(f.born_on_or_before, None, "{role:?}");
            let v = ResidentView::of(role, &child);
            assert!(v.under_14 && v.guardian.as_deref() == Some("王芳（母亲）"), "{role:?}");
        }
        for role in [BackOffice, DistrictDepartment, CityCivilAffairs] {
            assert!(!may_see(role, &child, today), "{role:?}");
            assert!(may_see(role, &resident("3407*************5"), today), "an adult: {role:?}");
            let mut f = store::residents::Filter::default();
            restrict(role, &mut f, today);
            assert_eq!(f.born_on_or_before.as_deref(), Some("2012-12-06"), "{role:?}");
            assert_eq!(ResidentView::of(role, &child).guardian, None, "{role:?}");
        }
    }

    #[test]
    fn rule_6_4_only_a_role_that_may_reveal_sees_the_birth_date() {
        let r = resident("3407*************5");
        let desk = ResidentView::of(FrontDesk, &r);
        assert_eq!((desk.birth_date.as_deref(), desk.born().as_str()), (Some("1985-06-01"), "1985-06-01"));
        for role in [BackOffice, DistrictDepartment, CityCivilAffairs] {
            let v = ResidentView::of(role, &r);
            assert_eq!((v.birth_date, v.birth_year), (None, 1985), "{role:?}");
            assert_eq!(full_id_searches_per_day(role), Some(FULL_ID_SEARCHES_PER_DAY));
        }
        assert_eq!(full_id_searches_per_day(CommunityAdmin), None);
    }

    #[test]
    fn rule_6_4_a_row_under_the_old_mask_shows_no_birth_digits() {
        let v = ResidentView::of(DistrictDepartment, &resident("340705********0015"));
        assert_eq!(v.id_masked, "3407*************5");
    }
}

/// What a role reads of an organisation's person in charge (issue 17; rules §6, minimisation).
///
/// | reader | name | phone |
/// |---|---|---|
/// | the organisation's own log-in, its community's administrator, the district's department (who manage it) | full | full |
/// | its community's front desk and back office | full | masked (`138****0000`) |
/// | everyone else in reach (the city, another organisation's log-in) | masked (`王*明`) | masked |
/// | the public pages | none (never carried, see `actions::orgs::PublicProject`) | none |
///
/// Applied to every organisation an action returns —
/// `tests/orgs_finish.rs::the_person_in_charge_is_shown_per_role`.
pub fn org_person(me: &crate::policy::Principal, o: &mut store::orgs::Org, mine: bool) {
    let own_community = me.community.as_deref() == Some(o.community_code.as_str());
    let manages = mine
        || (me.role == Role::CommunityAdmin && own_community)
        || (me.role == Role::DistrictDepartment && me.district.as_deref() == Some(o.district_code.as_str()));
    if manages {
        return;
    }
    o.person_phone = mask_phone(&o.person_phone);
    let staff = matches!(me.role, Role::FrontDesk | Role::BackOffice | Role::CommunityAdmin) && own_community;
    if !staff {
        // A trailing mark such as （示例） stays readable.
        let name = o.person_in_charge.trim();
        let (person, mark) = match name.find('（') {
            Some(i) if name.ends_with('）') => name.split_at(i),
            _ => (name, ""),
        };
        o.person_in_charge = format!("{}{mark}", rules::redact::mask_person(person));
    }
}

/// A phone number with its middle hidden: 138****0000; a short one keeps two digits each side.
pub fn mask_phone(p: &str) -> String {
    let d: Vec<char> = p.chars().filter(|c| !c.is_whitespace()).collect();
    let n = d.len();
    let (head, tail) = match n {
        0 => return String::new(),
        11.. => (3, 4),
        5.. => (2, 2),
        _ => return "*".repeat(n),
    };
    let mid = "*".repeat(n - head - tail);
    format!("{}{mid}{}", d[..head].iter().collect::<String>(), d[n - tail..].iter().collect::<String>())
}
