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
