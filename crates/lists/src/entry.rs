//! A list entry as a form, JSON or a spreadsheet row sends it
//! ([`EntryForm`]), [`parse`] into the engine's [`Entry`] with all field
//! errors at once, and the rows of an exchanged workbook ([`COLUMNS`],
//! [`forms_from_rows`], [`sort_import`]).

use crate::form::{self, Errors, FieldError};
use crate::model::{AssessmentTerms, AssistanceTerms, Entry, ExitScope, GovLevel, ItemType, ListKind, Terms};
use crate::version::ListVersion;
use rules::Msg;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// An entry as a form, JSON or an XLSX row sends it. Per list only some of
/// the term fields apply.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryForm {
    /// The form's CSRF token (checked by the web layer, ignored here).
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub legal_basis: String,
    /// An item type code (`work_task`) or its Chinese name (工作任务).
    #[serde(default)]
    pub item_type: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub source: String,
    /// Exit list: `always` (一律取消) | `as_principal` (不再作为责任主体).
    #[serde(default)]
    pub exit_scope: String,
    /// Assistance list: the standard in yuan.
    #[serde(default)]
    pub standard_yuan: String,
    /// See [`form::funding_basis`] (default per_community_per_year).
    #[serde(default)]
    pub funding_basis: String,
    #[serde(default)]
    pub funding_unit: String,
    #[serde(default)]
    pub paying_department: String,
    /// Assessment-access list: national | provincial (or 国家 / 省).
    #[serde(default)]
    pub origin_level: String,
    #[serde(default)]
    pub max_times_per_year: String,
    #[serde(default)]
    pub max_duration_days: String,
    /// Content items separated by commas or 、.
    #[serde(default)]
    pub content_scope: String,
}

/// An item type by its code (`work_task`) or its Chinese name (工作任务).
pub fn item_type(s: &str) -> Option<ItemType> {
    let s = s.trim();
    ItemType::ALL.into_iter().find(|t| t.zh() == s).or_else(|| form::code("item_type", s, "", "").ok())
}

fn exit_scope(s: &str) -> Result<ExitScope, FieldError> {
    match s.trim() {
        "" | "always" | "一律取消" => Ok(ExitScope::Always),
        "as_principal" | "不再作为责任主体" => Ok(ExitScope::AsPrincipal),
        _ => Err(FieldError::new(
            "exit_scope",
            "退出范围应为一律取消或不再作为责任主体",
            "exit scope is always or as_principal",
        )),
    }
}

fn assistance(f: &EntryForm, errs: &mut Errors) -> Option<Terms> {
    let standard_fen = errs.take(form::yuan("standard_yuan", &f.standard_yuan));
    let basis = errs.take(form::funding_basis(&f.funding_basis, &f.funding_unit));
    let payer = f.paying_department.trim();
    if payer.is_empty() {
        errs.add("paying_department", "请填写出资部门（费随事转）", "name the paying department");
    }
    Some(Terms::Assistance(AssistanceTerms {
        standard_fen: standard_fen?,
        basis: basis?,
        paying_department: payer.into(),
    }))
}

fn origin_level(s: &str) -> Result<GovLevel, FieldError> {
    match s.trim() {
        "national" | "国家" => Ok(GovLevel::National),
        "provincial" | "省" => Ok(GovLevel::Provincial),
        "municipal" | "市" | "district" | "区" => Err(FieldError::new(
            "origin_level",
            "考核准入事项须由省级以上政府要求",
            "an assessment entry must be required by a provincial or higher government",
        )),
        _ => Err(FieldError::new("origin_level", "请选择发起层级", "choose the originating level")),
    }
}

fn assessment(f: &EntryForm, errs: &mut Errors) -> Option<Terms> {
    let origin_level = errs.take(origin_level(&f.origin_level));
    let max_times_per_year = errs.take(form::count_u32("max_times_per_year", &f.max_times_per_year, 365));
    let max_duration_days = errs.take(form::count_u32("max_duration_days", &f.max_duration_days, 366));
    Some(Terms::Assessment(AssessmentTerms {
        origin_level: origin_level?,
        max_times_per_year: max_times_per_year?,
        max_duration_days: max_duration_days?,
        content_scope: form::items(&f.content_scope),
    }))
}

/// Check every field of one entry for a list of `kind`: the entry, or the
/// first error of each field in form order.
pub fn parse(kind: ListKind, f: &EntryForm) -> Result<Entry, Vec<FieldError>> {
    let mut errs = Errors::default();
    let code = f.code.trim();
    if code.is_empty() || code.chars().count() > 40 {
        errs.add("code", "请填写编码（不超过40字）", "a code of at most 40 characters is required");
    }
    if crate::normalize(&f.title).is_empty() {
        errs.add("title", "请填写名称", "a title is required");
    }
    let item_type = item_type(&f.item_type);
    if item_type.is_none() {
        errs.add("item_type", "请选择事项类型", "choose the item type");
    }
    if f.department.trim().is_empty() {
        errs.add("department", "请填写责任部门", "the responsible department is required");
    }
    let terms = match kind {
        ListKind::Exit => errs.take(exit_scope(&f.exit_scope)).map(|scope| Terms::Exit { scope }),
        ListKind::Duty => Some(Terms::Duty),
        ListKind::Assistance => assistance(f, &mut errs),
        ListKind::AssessmentAccess => assessment(f, &mut errs),
    };
    let (Some(item_type), Some(terms), true) = (item_type, terms, errs.is_empty()) else {
        return Err(errs.into_vec());
    };
    Ok(Entry {
        code: code.into(),
        title: f.title.trim().into(),
        legal_basis: f.legal_basis.trim().into(),
        item_type,
        department: f.department.trim().into(),
        source: f.source.trim().into(),
        terms,
    })
}

// ----- the exchanged workbook ----------------------------------------------------------------

/// The workbook's columns: each [`EntryForm`] field with its header names;
/// the first is what the export writes, the others are short names offices use.
pub const COLUMNS: &[(&str, &[&str])] = &[
    ("code", &["编号", "编码"]),
    ("title", &["事项", "名称"]),
    ("item_type", &["类型"]),
    ("legal_basis", &["法律依据", "依据"]),
    ("department", &["责任部门"]),
    ("source", &["来源"]),
    ("exit_scope", &["退出范围"]),
    ("standard_yuan", &["经费标准（元）", "经费标准(元)", "经费标准"]),
    ("funding_basis", &["计费方式"]),
    ("paying_department", &["出资部门"]),
    ("origin_level", &["发起层级"]),
    ("max_times_per_year", &["每年最多次数"]),
    ("max_duration_days", &["最长天数"]),
    ("content_scope", &["考核内容"]),
];

/// The rows of a sheet (cells as trimmed text) into entry forms, each with
/// its row number as the spreadsheet shows it (`first_row` is the 0-based
/// index of `rows[0]`). The header is the first row whose first cell is
/// 编号/编码; blank rows are skipped.
pub fn forms_from_rows(rows: &[Vec<String>], first_row: usize) -> Result<Vec<(usize, EntryForm)>, FieldError> {
    let is_header = |r: &Vec<String>| r.first().is_some_and(|c| c == "编号" || c == "编码");
    let Some(h) = rows.iter().position(is_header) else {
        return Err(FieldError::new("file", "没有找到表头（编号、事项……）", "no header row (编号, 事项, …) found"));
    };
    let idx: Vec<(&str, Option<usize>)> =
        COLUMNS.iter().map(|(n, names)| (*n, rows[h].iter().position(|c| names.contains(&c.as_str())))).collect();
    let mut out = Vec::new();
    for (i, cells) in rows.iter().enumerate().skip(h + 1) {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let get = |name: &str| {
            idx.iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, c)| *c)
                .and_then(|c| cells.get(c).cloned())
                .unwrap_or_default()
        };
        let f = EntryForm {
            csrf: String::new(),
            code: get("code"),
            title: get("title"),
            legal_basis: get("legal_basis"),
            item_type: get("item_type"),
            department: get("department"),
            source: get("source"),
            exit_scope: get("exit_scope"),
            standard_yuan: get("standard_yuan"),
            funding_basis: get("funding_basis"),
            funding_unit: String::new(),
            paying_department: get("paying_department"),
            origin_level: get("origin_level"),
            max_times_per_year: get("max_times_per_year"),
            max_duration_days: get("max_duration_days"),
            content_scope: get("content_scope"),
        };
        out.push((first_row + i + 1, f));
    }
    Ok(out)
}

/// One rejected row of an import, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedEntry {
    /// Row number as the spreadsheet shows it (1-based).
    pub row: usize,
    pub code: String,
    pub field: String,
    pub msg: Msg,
}

/// Sort imported rows for `draft`: the entries to add (valid, code new to
/// the draft and to the rows before) and every other row with its first
/// error.
pub fn sort_import(draft: &ListVersion, forms: &[(usize, EntryForm)]) -> (Vec<Entry>, Vec<RejectedEntry>) {
    let mut seen: HashSet<String> = draft.entries().iter().map(|e| e.code.clone()).collect();
    let mut ok = Vec::new();
    let mut rejected = Vec::new();
    for (row, f) in forms {
        match parse(draft.kind(), f) {
            Ok(e) if !seen.insert(e.code.clone()) => rejected.push(RejectedEntry {
                row: *row,
                code: e.code.clone(),
                field: "code".into(),
                msg: Msg::new(format!("编码{}已存在", e.code), format!("code {} is already in the list", e.code)),
            }),
            Ok(e) => ok.push(e),
            Err(errs) => {
                if let Some(FieldError { field, msg }) = errs.into_iter().next() {
                    rejected.push(RejectedEntry { row: *row, code: f.code.trim().to_string(), field, msg });
                }
            }
        }
    }
    (ok, rejected)
}
