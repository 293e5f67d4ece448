//! An access application as a form or JSON sends it ([`NewApplication`]),
//! and [`parse`], which checks every field and returns the engine's
//! [`Application`] or all the field errors at once.

use crate::form::{self, Errors, FieldError};
use crate::inforce::ListsInForce;
use crate::model::{
    Application, AssessmentPlan, Department, DeptLevel, DutyHolder, Emergency, EmergencyCategory, FundingOffer,
    GovLevel, ItemType, Targets, Units, Workload,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

/// An application as a form or JSON sends it (text fields; checkboxes as booleans).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewApplication {
    /// The form's CSRF token (checked by the web layer, ignored here).
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub department: String,
    /// organization | plaque | ledger_report | survey | inspection | assessment | certificate | work_task
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub legal_basis: String,
    /// The list entry code the department claims (e.g. `AS-001`); empty for none.
    #[serde(default)]
    pub claimed_entry: String,
    /// `all`, or community codes separated by commas.
    #[serde(default)]
    pub targets: String,
    /// YYYY-MM-DD; empty: today.
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub duration_days: String,
    #[serde(default)]
    pub workload: String,
    /// Units of work per community (for per-unit funding).
    #[serde(default)]
    pub units: String,
    /// Yuan; empty: no funding offered.
    #[serde(default)]
    pub funding_yuan: String,
    /// See [`form::funding_basis`] (default per_community_per_year).
    #[serde(default)]
    pub funding_basis: String,
    #[serde(default)]
    pub funding_unit: String,
    #[serde(default)]
    pub paying_department: String,
    #[serde(default, deserialize_with = "form::flag")]
    pub community_as_principal: bool,
    /// residents_committee | government (default)
    #[serde(default)]
    pub duty_holder: String,
    /// national | provincial | municipal | district (assessments only)
    #[serde(default)]
    pub assessment_origin: String,
    #[serde(default)]
    pub assessment_days: String,
    #[serde(default, deserialize_with = "form::flag")]
    pub assessment_alone: bool,
    #[serde(default, deserialize_with = "form::flag")]
    pub assessment_veto: bool,
    /// Content items, separated by commas.
    #[serde(default)]
    pub assessment_content: String,
    /// An emergency category (empty: none).
    #[serde(default)]
    pub emergency: String,
    #[serde(default)]
    pub emergency_expires: String,
}

/// What [`parse`] needs besides the input: who files, the lists in force
/// and the communities the targets name.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The filing department's name, used when the input names none.
    pub department: &'a str,
    pub level: DeptLevel,
    /// A district department's district code (it may target only its own).
    pub district: Option<&'a str>,
    pub lists: &'a ListsInForce,
    /// District code of each community among [`target_codes`] that exists.
    pub communities: &'a BTreeMap<String, String>,
    pub today: Date,
}

/// The community codes `targets` names (none for `all`/`全部` or empty): the
/// caller looks these up for [`Context::communities`].
pub fn target_codes(targets: &str) -> Vec<&str> {
    match targets.trim() {
        "all" | "全部" => vec![],
        list => list.split([',', '，', ' ']).map(str::trim).filter(|c| !c.is_empty()).collect(),
    }
}

fn targets(n: &NewApplication, cx: &Context) -> Result<Targets, FieldError> {
    let none = || FieldError::new("targets", "请选择涉及的社区", "choose the target communities");
    if matches!(n.targets.trim(), "all" | "全部") {
        return Ok(Targets::All);
    }
    let mut codes = Vec::new();
    for c in target_codes(&n.targets) {
        let district = cx
            .communities
            .get(c)
            .ok_or_else(|| FieldError::new("targets", format!("社区{c}不存在"), format!("no community {c}")))?;
        if cx.level == DeptLevel::District && cx.district != Some(district.as_str()) {
            return Err(FieldError::new(
                "targets",
                format!("社区{c}不在本区"),
                format!("community {c} is outside your district"),
            ));
        }
        codes.push(c.to_string());
    }
    if codes.is_empty() { Err(none()) } else { Ok(Targets::List(codes)) }
}

fn assessment(n: &NewApplication, errs: &mut Errors) -> Option<AssessmentPlan> {
    let origin_level: Option<GovLevel> = errs.take(form::code(
        "assessment_origin",
        &n.assessment_origin,
        "请选择考核的发起层级",
        "choose the assessment's originating level",
    ));
    let days = errs.take(form::count_u32("assessment_days", &n.assessment_days, 366));
    Some(AssessmentPlan {
        origin_level: origin_level?,
        duration_days: days?,
        run_by_department_alone: n.assessment_alone,
        one_vote_veto: n.assessment_veto,
        content: form::items(&n.assessment_content),
    })
}

fn emergency(n: &NewApplication, today: Date, errs: &mut Errors) -> Option<Emergency> {
    let category: Option<EmergencyCategory> =
        errs.take(form::code("emergency", &n.emergency, "未知的紧急事项类别", "unknown emergency category"));
    let expires = errs.take(form::date("emergency_expires", &n.emergency_expires))?;
    if expires < today {
        errs.add("emergency_expires", "紧急标记的有效期已过", "the emergency tag has already expired");
        return None;
    }
    Some(Emergency { category: category?, expires })
}

fn funding(n: &NewApplication, units: Option<&Units>, errs: &mut Errors) -> Option<FundingOffer> {
    let amount_fen = errs.take(form::yuan("funding_yuan", &n.funding_yuan));
    let basis = errs.take(form::funding_basis(&n.funding_basis, &n.funding_unit));
    if matches!(basis, Some(crate::FundingBasis::PerUnit { .. })) && units == Some(&Units::None) {
        errs.add("units", "按工作量计费须申报工作量", "per-unit funding needs the units of work");
    }
    let payer = n.paying_department.trim();
    if payer.is_empty() {
        errs.add("paying_department", "请填写出资部门", "name the paying department");
    }
    Some(FundingOffer { amount_fen: amount_fen?, basis: basis?, paying_department: payer.to_string() })
}

/// Check every field of `n`: the engine's application (its `id` empty, set
/// by the caller once stored), or the first error of each field in form
/// order. An empty department is the filer's ([`Context::department`]).
pub fn parse(n: &NewApplication, cx: &Context) -> Result<Application, Vec<FieldError>> {
    let mut errs = Errors::default();
    let department = match n.department.trim() {
        "" => cx.department.trim(),
        d => d,
    };
    if department.is_empty() {
        errs.add("department", "请填写申请部门", "the applying department is required");
    }
    let kind: Option<ItemType> = errs.take(form::code("kind", &n.kind, "请选择事项类型", "choose the item type"));
    let title = n.title.trim();
    if title.is_empty() {
        errs.add("title", "请填写事项名称", "a title is required");
    }
    let claimed_entry = match n.claimed_entry.trim() {
        "" => None,
        c if cx.lists.find_code(c).is_some() => Some(c.to_string()),
        c => {
            errs.add(
                "claimed_entry",
                format!("现行清单中没有编号为{c}的事项"),
                format!("no entry {c} in the lists in force"),
            );
            None
        }
    };
    let targets = errs.take(targets(n, cx));
    let start = match n.start.trim() {
        "" => Some(cx.today),
        s => errs.take(form::date("start", s)),
    };
    let duration_days = errs.take(form::count_u32("duration_days", &n.duration_days, 3650));
    let units = match n.units.trim() {
        "" => Some(Units::None),
        u => errs.take(form::count("units", u, 10_000_000)).map(Units::Uniform),
    };
    let funding = match n.funding_yuan.trim() {
        "" => Some(None),
        _ => funding(n, units.as_ref(), &mut errs).map(Some),
    };
    let duty_holder = match n.duty_holder.trim() {
        "" | "government" => Some(DutyHolder::Government),
        "residents_committee" => Some(DutyHolder::ResidentsCommittee),
        _ => {
            errs.add(
                "duty_holder",
                "法定责任主体应为政府部门或居委会",
                "duty holder is government or residents_committee",
            );
            None
        }
    };
    let assessment = match kind {
        Some(ItemType::Assessment) => assessment(n, &mut errs).map(Some),
        _ => Some(None),
    };
    let emergency = match n.emergency.trim() {
        "" => Some(None),
        _ => emergency(n, cx.today, &mut errs).map(Some),
    };
    let (Some(kind), Some(targets), Some(start), Some(duration_days), Some(units)) =
        (kind, targets, start, duration_days, units)
    else {
        return Err(errs.into_vec());
    };
    let (Some(funding), Some(duty_holder), Some(assessment), Some(emergency)) =
        (funding, duty_holder, assessment, emergency)
    else {
        return Err(errs.into_vec());
    };
    if !errs.is_empty() {
        return Err(errs.into_vec());
    }
    Ok(Application {
        id: String::new(),
        department: Department { name: department.to_string(), level: cx.level },
        kind,
        title: title.to_string(),
        description: n.description.trim().to_string(),
        legal_basis: n.legal_basis.trim().to_string(),
        targets,
        start,
        duration_days,
        workload: Workload { description: n.workload.trim().to_string(), units },
        community_as_principal: n.community_as_principal,
        duty_holder,
        emergency,
        claimed_entry,
        funding,
        assessment,
    })
}
