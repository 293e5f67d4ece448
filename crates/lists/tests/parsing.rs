//! Parsing form input: access applications and list entries, every field
//! error at once; the exchanged workbook's rows.

mod support;

use lists::application::{self, Context, NewApplication};
use lists::entry::{self, EntryForm, RejectedEntry};
use lists::*;
use std::collections::BTreeMap;
use support::TODAY;
use time::macros::date;

fn communities() -> BTreeMap<String, String> {
    [("340705402001", "340705"), ("340705403001", "340705"), ("340711001001", "340711")]
        .into_iter()
        .map(|(c, d)| (c.to_string(), d.to_string()))
        .collect()
}

fn fields(errs: &[FieldError]) -> Vec<&str> {
    errs.iter().map(|e| e.field.as_str()).collect()
}

fn city_parse(n: &NewApplication) -> Result<Application, Vec<FieldError>> {
    let (lists, coms) = (support::lists(), communities());
    let cx = Context {
        department: "铜陵市公安局",
        level: DeptLevel::City,
        district: None,
        lists: &lists,
        communities: &coms,
        today: TODAY,
    };
    application::parse(n, &cx)
}

fn assist_input() -> NewApplication {
    NewApplication {
        kind: "work_task".into(),
        title: " 协助维护社会治安 ".into(),
        description: "社区协助开展治安巡逻".into(),
        legal_basis: "居组法 第三条".into(),
        claimed_entry: "AS-001".into(),
        targets: "340705402001，340705403001".into(),
        start: "2015-04-01".into(),
        duration_days: "365".into(),
        workload: "每周巡逻两次".into(),
        funding_yuan: "1,200.50".into(),
        paying_department: "铜陵市公安局".into(),
        ..Default::default()
    }
}

#[test]
fn a_valid_application_parses_into_the_engine_application() {
    let a = city_parse(&assist_input()).unwrap();
    assert_eq!(a.id, "");
    assert_eq!(a.department, Department { name: "铜陵市公安局".into(), level: DeptLevel::City });
    assert_eq!(a.kind, ItemType::WorkTask);
    assert_eq!(a.title, "协助维护社会治安");
    assert_eq!(a.claimed_entry.as_deref(), Some("AS-001"));
    assert_eq!(a.targets, Targets::List(vec!["340705402001".into(), "340705403001".into()]));
    assert_eq!((a.start, a.duration_days), (date!(2015 - 04 - 01), 365));
    let f = a.funding.unwrap();
    assert_eq!((f.amount_fen, f.basis), (120_050, FundingBasis::PerCommunityPerYear));
    assert_eq!(a.duty_holder, DutyHolder::Government);
    assert!(a.assessment.is_none() && a.emergency.is_none());
}

#[test]
fn defaults_start_today_all_targets_and_the_filers_department() {
    let n = NewApplication { targets: "all".into(), start: "".into(), funding_yuan: "".into(), ..assist_input() };
    let a = city_parse(&n).unwrap();
    assert_eq!((a.targets, a.start, a.funding), (Targets::All, TODAY, None));
    let n = NewApplication { department: " 铜陵市民政局 ".into(), ..assist_input() };
    assert_eq!(city_parse(&n).unwrap().department.name, "铜陵市民政局");
}

#[test]
fn every_bad_field_is_reported_at_once_in_form_order() {
    let n = NewApplication {
        kind: "".into(),
        title: " ".into(),
        claimed_entry: "XX-999".into(),
        targets: "340705402001, nowhere".into(),
        start: "2015/04/01".into(),
        duration_days: "0".into(),
        units: "x".into(),
        funding_yuan: "-5".into(),
        funding_basis: "per_unit".into(),
        paying_department: "".into(),
        duty_holder: "mayor".into(),
        emergency: "flood".into(),
        emergency_expires: "2015-01-01".into(),
        ..assist_input()
    };
    let errs = city_parse(&n).unwrap_err();
    assert_eq!(
        fields(&errs),
        [
            "kind",
            "title",
            "claimed_entry",
            "targets",
            "start",
            "duration_days",
            "units",
            "funding_yuan",
            "funding_unit",
            "paying_department",
            "duty_holder",
            "emergency",
            "emergency_expires",
        ]
    );
    let targets = &errs[3].msg;
    assert_eq!((targets.zh.as_str(), targets.en.as_str()), ("社区nowhere不存在", "no community nowhere"));
    assert_eq!(errs[12].msg.en, "the emergency tag has already expired");
}

#[test]
fn per_unit_funding_needs_declared_units() {
    let n = NewApplication { funding_basis: "per_unit".into(), funding_unit: "户次".into(), ..assist_input() };
    assert_eq!(fields(&city_parse(&n).unwrap_err()), ["units"]);
    let n = NewApplication { units: "40".into(), ..n };
    let a = city_parse(&n).unwrap();
    assert_eq!(a.workload.units, Units::Uniform(40));
    assert_eq!(a.funding.unwrap().basis, FundingBasis::PerUnit { unit: "户次".into() });
    // The spreadsheet's spelling is accepted here too.
    let n = NewApplication {
        funding_basis: "每户次".into(),
        funding_unit: "".into(),
        units: "40".into(),
        ..assist_input()
    };
    assert_eq!(city_parse(&n).unwrap().funding.unwrap().basis, FundingBasis::PerUnit { unit: "户次".into() });
}

#[test]
fn assessments_need_their_origin_and_days() {
    let n = NewApplication { kind: "assessment".into(), ..assist_input() };
    assert_eq!(fields(&city_parse(&n).unwrap_err()), ["assessment_origin", "assessment_days"]);
    let n = NewApplication {
        assessment_origin: "provincial".into(),
        assessment_days: "30".into(),
        assessment_content: "台账，创建、 考核".into(),
        assessment_veto: true,
        ..n
    };
    let plan = city_parse(&n).unwrap().assessment.unwrap();
    assert_eq!((plan.origin_level, plan.duration_days, plan.one_vote_veto), (GovLevel::Provincial, 30, true));
    assert_eq!(plan.content, ["台账", "创建", "考核"]);
}

#[test]
fn a_district_department_targets_only_its_own_district() {
    let (lists, coms) = (support::lists(), communities());
    let cx = Context {
        department: "铜官区民政局",
        level: DeptLevel::District,
        district: Some("340705"),
        lists: &lists,
        communities: &coms,
        today: TODAY,
    };
    assert!(application::parse(&assist_input(), &cx).is_ok());
    let n = NewApplication { targets: "340711001001".into(), ..assist_input() };
    let errs = application::parse(&n, &cx).unwrap_err();
    assert_eq!(fields(&errs), ["targets"]);
    assert_eq!(errs[0].msg.en, "community 340711001001 is outside your district");
}

#[test]
fn the_form_and_json_shapes_deserialize() {
    let n: NewApplication = serde_json::from_str(
        r#"{"kind":"work_task","community_as_principal":true,"assessment_alone":"on","assessment_veto":"no"}"#,
    )
    .unwrap();
    assert!(n.community_as_principal && n.assessment_alone && !n.assessment_veto);
    assert!(serde_json::from_str::<NewApplication>(r#"{"colour":"red"}"#).is_err());
    assert_eq!(application::target_codes(" a, b，c  d "), ["a", "b", "c", "d"]);
    assert!(application::target_codes("all").is_empty());
}

// ----- entries -----------------------------------------------------------------------------

fn assistance_form() -> EntryForm {
    EntryForm {
        code: " AS-100 ".into(),
        title: "协助开展人口普查".into(),
        item_type: "工作任务".into(),
        department: "铜陵市统计局".into(),
        standard_yuan: "3000".into(),
        funding_basis: "每户次".into(),
        paying_department: "铜陵市统计局".into(),
        ..Default::default()
    }
}

#[test]
fn an_assistance_entry_parses_with_its_terms() {
    let e = entry::parse(ListKind::Assistance, &assistance_form()).unwrap();
    assert_eq!((e.code.as_str(), e.item_type), ("AS-100", ItemType::WorkTask));
    assert_eq!(
        e.terms,
        Terms::Assistance(AssistanceTerms {
            standard_fen: 300_000,
            basis: FundingBasis::PerUnit { unit: "户次".into() },
            paying_department: "铜陵市统计局".into(),
        })
    );
    let f = EntryForm { item_type: "work_task".into(), funding_basis: "".into(), ..assistance_form() };
    let e = entry::parse(ListKind::Assistance, &f).unwrap();
    assert!(matches!(e.terms, Terms::Assistance(AssistanceTerms { basis: FundingBasis::PerCommunityPerYear, .. })));
}

#[test]
fn every_bad_entry_field_is_reported_at_once() {
    let f = EntryForm {
        code: "".into(),
        title: " ".into(),
        item_type: "something".into(),
        department: "".into(),
        standard_yuan: "0".into(),
        funding_basis: "per_unit".into(),
        paying_department: "".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(&entry::parse(ListKind::Assistance, &f).unwrap_err()),
        ["code", "title", "item_type", "department", "standard_yuan", "funding_unit", "paying_department"]
    );
}

#[test]
fn terms_follow_the_list_kind() {
    let base = EntryForm {
        code: "X-1".into(),
        title: "某事项".into(),
        item_type: "plaque".into(),
        department: "某局".into(),
        ..Default::default()
    };
    let e = entry::parse(ListKind::Exit, &EntryForm { exit_scope: "不再作为责任主体".into(), ..base.clone() }).unwrap();
    assert_eq!(e.terms, Terms::Exit { scope: ExitScope::AsPrincipal });
    assert_eq!(entry::parse(ListKind::Exit, &base).unwrap().terms, Terms::Exit { scope: ExitScope::Always });
    assert_eq!(entry::parse(ListKind::Duty, &base).unwrap().terms, Terms::Duty);
    let errs =
        entry::parse(ListKind::AssessmentAccess, &EntryForm { origin_level: "市".into(), ..base.clone() }).unwrap_err();
    assert_eq!(fields(&errs), ["origin_level", "max_times_per_year", "max_duration_days"]);
    assert_eq!(errs[0].msg.en, "an assessment entry must be required by a provincial or higher government");
    let f = EntryForm {
        origin_level: "省".into(),
        max_times_per_year: "1".into(),
        max_duration_days: "30".into(),
        content_scope: "a、b".into(),
        ..base
    };
    let Terms::Assessment(t) = entry::parse(ListKind::AssessmentAccess, &f).unwrap().terms else { panic!() };
    assert_eq!((t.origin_level, t.max_times_per_year, t.max_duration_days), (GovLevel::Provincial, 1, 30));
    assert_eq!(t.content_scope, ["a", "b"]);
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn workbook_rows_become_forms_after_the_header() {
    let rows = vec![
        row(&["社区协助工作清单 第2版"]),
        row(&[]),
        row(&["编码", "名称", "类型", "责任部门", "经费标准", "计费方式", "出资部门"]),
        row(&["AS-100", "协助开展人口普查", "工作任务", "统计局", "3000", "每户次", "统计局"]),
        row(&["", "", ""]),
        row(&["AS-101", "协助", "工作任务", "统计局"]),
    ];
    let forms = entry::forms_from_rows(&rows, 0).unwrap();
    assert_eq!(forms.iter().map(|(r, _)| *r).collect::<Vec<_>>(), [4, 6]);
    let f = &forms[0].1;
    assert_eq!((f.code.as_str(), f.standard_yuan.as_str(), f.funding_basis.as_str()), ("AS-100", "3000", "每户次"));
    assert_eq!(forms[1].1.paying_department, "");
    assert_eq!(entry::forms_from_rows(&rows[..2], 0).unwrap_err().field, "file");
}

#[test]
fn an_import_adds_new_valid_rows_and_lists_the_rest() {
    let mut draft = ListVersion::draft(ListKind::Assistance, 1, "");
    draft.add(entry::parse(ListKind::Assistance, &assistance_form()).unwrap()).unwrap();
    let ok = EntryForm { code: "AS-200".into(), ..assistance_form() };
    let forms = vec![
        (4, assistance_form()),
        (5, ok.clone()),
        (6, ok),
        (
            7,
            EntryForm {
                code: "AS-300".into(),
                standard_yuan: "".into(),
                paying_department: "".into(),
                ..assistance_form()
            },
        ),
    ];
    let (added, rejected) = entry::sort_import(&draft, &forms);
    assert_eq!(added.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(), ["AS-200"]);
    let r: Vec<(usize, &str, &str)> =
        rejected.iter().map(|RejectedEntry { row, code, field, .. }| (*row, code.as_str(), field.as_str())).collect();
    assert_eq!(r, [(4, "AS-100", "code"), (6, "AS-200", "code"), (7, "AS-300", "standard_yuan")]);
}

#[test]
fn the_export_header_is_what_the_import_reads() {
    let header: Vec<String> = entry::COLUMNS.iter().map(|(_, names)| names[0].to_string()).collect();
    let mut rows = vec![header];
    rows.push(row(&["D-1", "某职责", "工作任务", "居组法", "居委会", "test"]));
    let forms = entry::forms_from_rows(&rows, 2).unwrap();
    assert_eq!(forms[0].0, 4);
    let e = entry::parse(ListKind::Duty, &forms[0].1).unwrap();
    assert_eq!((e.code.as_str(), e.legal_basis.as_str(), e.source.as_str()), ("D-1", "居组法", "test"));
}
