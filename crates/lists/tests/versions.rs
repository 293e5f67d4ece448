//! List versions: lifecycle, immutability, diff, lists in force.

use lists::demo::{self, DEMO_EFFECTIVE, demo_lists};
use lists::*;
use time::macros::date;

fn assist(code: &str, title: &str, fen: Fen) -> Entry {
    Entry {
        code: code.into(),
        title: title.into(),
        legal_basis: "居组法".into(),
        item_type: ItemType::WorkTask,
        department: "铜陵市民政局".into(),
        source: "test".into(),
        terms: Terms::Assistance(AssistanceTerms {
            standard_fen: fen,
            basis: FundingBasis::PerCommunityPerYear,
            paying_department: "铜陵市民政局".into(),
        }),
    }
}

fn published_v1() -> ListVersion {
    let mut v = ListVersion::draft(ListKind::Assistance, 1, "t");
    v.add(assist("A1", "协助优抚", 100)).unwrap();
    v.add(assist("A2", "协助救济", 200)).unwrap();
    v.review("审核人").unwrap();
    v.publish(date!(2014 - 07 - 01)).unwrap();
    v
}

#[test]
fn published_version_is_immutable() {
    let mut v = published_v1();
    let before = v.clone();
    let imm = ListsError::Immutable { kind: ListKind::Assistance, version: 1 };
    assert_eq!(v.add(assist("A3", "x", 1)), Err(imm.clone()));
    assert_eq!(v.remove("A1"), Err(imm.clone()));
    assert_eq!(v.replace(assist("A1", "y", 1)), Err(imm.clone()));
    assert_eq!(v.set_note("n"), Err(imm.clone()));
    assert_eq!(v.review("r"), Err(imm.clone()));
    assert_eq!(v.publish(date!(2020 - 01 - 01)), Err(imm));
    assert_eq!(v, before);
    // Change goes through a new version.
    let mut next = v.next_draft();
    assert_eq!(next.version(), 2);
    assert_eq!(next.status(), &Status::Draft);
    next.remove("A1").unwrap();
    assert_eq!(v.entries().len(), 2);
}

#[test]
fn publishing_requires_review_and_editing_undoes_review() {
    let mut v = ListVersion::draft(ListKind::Assistance, 1, "t");
    v.add(assist("A1", "协助优抚", 100)).unwrap();
    assert!(matches!(v.publish(date!(2014 - 07 - 01)), Err(ListsError::NotReviewed { .. })));
    v.review("r").unwrap();
    v.add(assist("A2", "协助救济", 1)).unwrap();
    assert_eq!(v.status(), &Status::Draft);
    assert!(v.publish(date!(2014 - 07 - 01)).is_err());
    v.review("r").unwrap();
    v.publish(date!(2014 - 07 - 01)).unwrap();
    assert_eq!(v.effective(), Some(date!(2014 - 07 - 01)));
}

#[test]
fn rules_3_3_review_rejects_assistance_entry_without_standard_or_payer() {
    let mut v = ListVersion::draft(ListKind::Assistance, 1, "t");
    v.add(assist("A1", "协助优抚", 0)).unwrap();
    assert!(matches!(v.review("r"), Err(ListsError::Invalid { .. })));
    let mut v = ListVersion::draft(ListKind::Assistance, 1, "t");
    let mut e = assist("A1", "协助优抚", 10);
    if let Terms::Assistance(t) = &mut e.terms {
        t.paying_department.clear();
    }
    v.add(e).unwrap();
    assert!(v.review("r").is_err());
}

#[test]
fn tongling_2014_review_rejects_assessment_entry_below_provincial() {
    let mut e = demo::assessment_entries().remove(0);
    if let Terms::Assessment(t) = &mut e.terms {
        t.origin_level = GovLevel::Municipal;
    }
    let mut v = ListVersion::draft(ListKind::AssessmentAccess, 1, "t");
    v.add(e).unwrap();
    assert!(matches!(v.review("r"), Err(ListsError::Invalid { .. })));
}

#[test]
fn review_rejects_duplicate_codes_and_terms_of_another_list() {
    let mut v = ListVersion::draft(ListKind::Assistance, 1, "t");
    v.add(assist("A1", "协助优抚", 100)).unwrap();
    assert_eq!(v.add(assist("A1", "other", 1)), Err(ListsError::DuplicateCode("A1".into())));
    let mut v = ListVersion::draft(ListKind::Duty, 1, "t");
    v.add(assist("A1", "协助优抚", 100)).unwrap();
    assert!(v.review("r").is_err());
}

#[test]
fn diff_lists_added_removed_and_field_level_changes() {
    let v1 = published_v1();
    let mut v2 = v1.next_draft();
    v2.remove("A2").unwrap();
    v2.add(assist("A3", "协助青少年教育", 300)).unwrap();
    let mut changed = assist("A1", "协助做好优抚工作", 150);
    changed.department = "铜陵市退役军人事务局".into();
    v2.replace(changed).unwrap();
    let d = diff(&v1, &v2);
    assert_eq!(d.added.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(), ["A3"]);
    assert_eq!(d.removed.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(), ["A2"]);
    assert_eq!(d.changed.len(), 1);
    let fields: Vec<&str> = d.changed[0].fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["title", "department", "standard_fen"]);
    let sf = &d.changed[0].fields[2];
    assert_eq!((sf.old.as_str(), sf.new.as_str()), ("100", "150"));
    assert!(diff(&v1, &v1).is_empty());
}

#[test]
fn diff_reports_change_of_terms_kind_fields() {
    let mut v2 = published_v1().next_draft();
    let mut e = assist("A1", "协助优抚", 100);
    e.terms = Terms::Assistance(AssistanceTerms {
        standard_fen: 100,
        basis: FundingBasis::PerUnit { unit: "户".into() },
        paying_department: "铜陵市民政局".into(),
    });
    v2.replace(e).unwrap();
    let d = diff(&published_v1(), &v2);
    assert_eq!(d.changed[0].fields.len(), 1);
    assert_eq!(d.changed[0].fields[0].field, "funding_basis");
}

#[test]
fn lists_in_force_pick_the_latest_published_version_effective_on_the_date() {
    let [exit, duty, assist1, assess] = demo_lists();
    let mut assist2 = assist1.next_draft();
    assist2.remove("AS-011").unwrap();
    let draft3 = assist2.next_draft(); // never published: never in force
    assist2.review("r").unwrap();
    assist2.publish(date!(2016 - 01 - 01)).unwrap();
    let all = [exit, duty, assist1, assess, assist2, draft3];
    let cfg = CheckConfig::default();
    let in2015 = ListsInForce::in_force(all.iter(), date!(2015 - 12 - 31), cfg).unwrap();
    assert_eq!(in2015.list(ListKind::Assistance).version().version(), 1);
    assert!(in2015.list(ListKind::Assistance).entry("AS-011").is_some());
    let in2016 = ListsInForce::in_force(all.iter(), date!(2016 - 01 - 01), cfg).unwrap();
    assert_eq!(in2016.list(ListKind::Assistance).version().version(), 2);
    assert!(in2016.list(ListKind::Assistance).entry("AS-011").is_none());
    assert!(matches!(
        ListsInForce::in_force(all.iter(), date!(2014 - 06 - 30), cfg),
        Err(ListsError::NoVersionInForce(ListKind::Exit))
    ));
}

#[test]
fn demo_lists_are_published_illustrative_and_cover_rules_3c() {
    let lists = demo_lists();
    for v in &lists {
        assert!(v.is_published());
        assert_eq!(v.effective(), Some(DEMO_EFFECTIVE));
        assert!(v.note().contains("非铜陵"), "the note says these are not Tongling's lists");
    }
    assert_eq!(lists[0].entries().len(), 7 + 37 + 4);
    assert_eq!(lists[1].entries().len(), 21);
    assert_eq!(lists[2].entries().len(), 11);
    assert_eq!(lists[3].entries().len(), 2);
}

#[test]
fn version_round_trips_through_json() {
    let v = published_v1();
    let back: ListVersion = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
    assert_eq!(back, v);
}
