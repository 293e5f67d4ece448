//! Editing the lists (CityCivilAffairs only): a draft is a copy of the
//! version in force with the next version number; entries are added,
//! removed or replaced; the draft is reviewed and published with an
//! effective date. Every change goes through the `lists` engine's
//! `ListVersion` methods, so a published version is immutable (the engine
//! refuses, surfaced as `StoreError::Invalid`). Each change is one
//! transaction with its audit entry.

use super::{VersionRow, VersionStatus, bad, internal, kind_code, status_code};
use crate::audit::{self, Entry as AuditEntry};
use crate::budgeting::parse_yuan;
use crate::{Db, Result, StoreError, clock};
use lists::{
    AssessmentTerms, AssistanceTerms, Entry, ExitScope, FundingBasis, GovLevel, ItemType, ListKind, ListVersion,
    ListsError, Terms,
};
use serde::Deserialize;
use serde_json::json;
use time::Date;

/// The engine's refusal as bad input (422), by field.
pub fn lists_error(e: ListsError) -> StoreError {
    match e {
        ListsError::Immutable { kind, version } => bad(
            "version",
            format!("{}第{version}版已发布，不可修改", kind.name().zh),
            format!("version {version} of the {} is published and immutable", kind.name().en),
        ),
        ListsError::NotReviewed { version, .. } => {
            bad("version", format!("第{version}版尚未审核，不能发布"), format!("version {version} is not reviewed"))
        }
        ListsError::DuplicateCode(c) => {
            bad("code", format!("编码{c}已存在"), format!("code {c} is already in the list"))
        }
        ListsError::NoSuchCode(c) => bad("code", format!("清单中没有编码{c}"), format!("no entry {c} in the list")),
        ListsError::Invalid { code, msg } => {
            bad("entries", format!("{code}：{}", msg.zh), format!("{code}: {}", msg.en))
        }
        ListsError::NoVersionInForce(k) => bad(
            "version",
            format!("{}没有现行版本", k.name().zh),
            format!("no version of the {} in force", k.name().en),
        ),
    }
}

/// An entry as a form, JSON or an XLSX row sends it. Per list only some of
/// the term fields apply.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryForm {
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
    /// `per_community_per_year` (default) | `per_unit`.
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

fn item_type(s: &str) -> Option<ItemType> {
    let s = s.trim();
    ItemType::ALL.into_iter().find(|t| t.zh() == s || super::item_type_code(*t) == s)
}

fn count(field: &str, s: &str, max: u32) -> Result<u32> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n >= 1 && *n <= max)
        .ok_or_else(|| bad(field, format!("应为1到{max}之间的整数"), format!("must be a whole number from 1 to {max}")))
}

/// Parse and validate one entry for a list of `kind`.
pub fn parse_entry(kind: ListKind, f: &EntryForm) -> Result<Entry> {
    let code = f.code.trim();
    if code.is_empty() || code.chars().count() > 40 {
        return Err(bad("code", "请填写编码（不超过40字）", "a code of at most 40 characters is required"));
    }
    if lists::normalize(&f.title).is_empty() {
        return Err(bad("title", "请填写名称", "a title is required"));
    }
    let item_type =
        item_type(&f.item_type).ok_or_else(|| bad("item_type", "请选择事项类型", "choose the item type"))?;
    if f.department.trim().is_empty() {
        return Err(bad("department", "请填写责任部门", "the responsible department is required"));
    }
    let terms = match kind {
        ListKind::Exit => Terms::Exit {
            scope: match f.exit_scope.trim() {
                "" | "always" | "一律取消" => ExitScope::Always,
                "as_principal" | "不再作为责任主体" => ExitScope::AsPrincipal,
                _ => {
                    return Err(bad(
                        "exit_scope",
                        "退出范围应为一律取消或不再作为责任主体",
                        "exit scope is always or as_principal",
                    ));
                }
            },
        },
        ListKind::Duty => Terms::Duty,
        ListKind::Assistance => {
            let standard_fen = parse_yuan("standard_yuan", &f.standard_yuan)?;
            if standard_fen <= 0 {
                return Err(bad("standard_yuan", "经费标准须大于零", "the funding standard must be above zero"));
            }
            let basis = match f.funding_basis.trim() {
                "" | "per_community_per_year" | "每社区每年" => FundingBasis::PerCommunityPerYear,
                "per_unit" => {
                    let unit = f.funding_unit.trim();
                    if unit.is_empty() {
                        return Err(bad(
                            "funding_unit",
                            "按工作量计费须写明计量单位",
                            "per-unit funding needs its unit",
                        ));
                    }
                    FundingBasis::PerUnit { unit: unit.into() }
                }
                s if s.starts_with('每') && s.chars().count() > 1 => {
                    FundingBasis::PerUnit { unit: s.trim_start_matches('每').into() }
                }
                _ => {
                    return Err(bad(
                        "funding_basis",
                        "计费方式应为每社区每年或每单位工作量",
                        "funding basis is per_community_per_year or per_unit",
                    ));
                }
            };
            let payer = f.paying_department.trim();
            if payer.is_empty() {
                return Err(bad("paying_department", "请填写出资部门（费随事转）", "name the paying department"));
            }
            Terms::Assistance(AssistanceTerms { standard_fen, basis, paying_department: payer.into() })
        }
        ListKind::AssessmentAccess => {
            let origin_level = match f.origin_level.trim() {
                "national" | "国家" => GovLevel::National,
                "provincial" | "省" => GovLevel::Provincial,
                "municipal" | "市" | "district" | "区" => {
                    return Err(bad(
                        "origin_level",
                        "考核准入事项须由省级以上政府要求",
                        "an assessment entry must be required by a provincial or higher government",
                    ));
                }
                _ => return Err(bad("origin_level", "请选择发起层级", "choose the originating level")),
            };
            Terms::Assessment(AssessmentTerms {
                origin_level,
                max_times_per_year: count("max_times_per_year", &f.max_times_per_year, 365)?,
                max_duration_days: count("max_duration_days", &f.max_duration_days, 366)?,
                content_scope: f
                    .content_scope
                    .split([',', '，', '、'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
        }
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

/// The published version in force today, else the newest published one.
fn current(rows: &[VersionRow], today: Date) -> Result<Option<ListVersion>> {
    let mut best: Option<ListVersion> = None;
    for r in rows.iter().filter(|r| r.status == VersionStatus::Published) {
        let v = r.parse()?;
        let key = |v: &ListVersion| {
            let eff = v.effective().unwrap_or(Date::MIN);
            (eff <= today, eff, v.version())
        };
        if best.as_ref().is_none_or(|b| key(&v) > key(b)) {
            best = Some(v);
        }
    }
    Ok(best)
}

/// Open a draft: a copy of the version in force with the next version
/// number. One open (draft or reviewed) version per list at a time.
pub async fn create_draft(db: &Db, actor: &str, kind: ListKind) -> Result<VersionRow> {
    let mut tx = db.begin().await?;
    let rows: Vec<VersionRow> = sqlx::query_as("SELECT * FROM list_versions WHERE kind = $1 ORDER BY version")
        .bind(kind_code(kind))
        .fetch_all(&mut *tx)
        .await?;
    if let Some(open) = rows.iter().find(|r| r.status != VersionStatus::Published) {
        return Err(bad(
            "version",
            format!("已有未发布的第{}版草稿", open.version),
            format!("version {} is already an open draft", open.version),
        ));
    }
    let next = rows.iter().map(|r| r.version).max().unwrap_or(0) + 1;
    let next_u32 = u32::try_from(next).map_err(internal)?;
    let v = match current(&rows, clock::today())? {
        Some(cur) => {
            let mut d = cur.next_draft();
            while d.version() < next_u32 {
                d = d.next_draft();
            }
            d
        }
        None => ListVersion::draft(kind, next_u32, ""),
    };
    let illustrative = rows.iter().any(|r| r.illustrative != 0);
    let data = serde_json::to_string(&v).map_err(internal)?;
    let row: VersionRow = sqlx::query_as(
        "INSERT INTO list_versions (kind, version, status, effective_on, note, illustrative, data, created_at) \
         VALUES ($1, $2, $3, NULL, $4, $5, $6, $7) RETURNING *",
    )
    .bind(kind_code(kind))
    .bind(next)
    .bind(status_code(&v))
    .bind(v.note())
    .bind(i64::from(illustrative))
    .bind(&data)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        AuditEntry {
            actor,
            action: "lists.draft.create",
            entity: "list_version",
            entity_id: &row.id.to_string(),
            community_code: None,
            district_code: None,
            change: json!({ "kind": kind_code(kind), "version": next, "entries": v.entries().len() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Drafts and reviewed versions of a list, newest first.
pub async fn drafts(db: &Db, kind: ListKind) -> Result<Vec<VersionRow>> {
    Ok(sqlx::query_as("SELECT * FROM list_versions WHERE kind = $1 AND status <> 'published' ORDER BY version DESC")
        .bind(kind_code(kind))
        .fetch_all(&db.pool)
        .await?)
}

/// A change to a version, applied through the engine.
#[derive(Debug, Clone)]
pub enum VersionEdit {
    Add(Entry),
    Remove(String),
    Replace(Entry),
    /// Add many (an import); all or nothing.
    AddAll(Vec<Entry>),
    Review,
    Publish(Date),
}

impl VersionEdit {
    fn action(&self) -> &'static str {
        match self {
            VersionEdit::Add(_) => "lists.entry.add",
            VersionEdit::Remove(_) => "lists.entry.remove",
            VersionEdit::Replace(_) => "lists.entry.replace",
            VersionEdit::AddAll(_) => "lists.entry.import",
            VersionEdit::Review => "lists.version.review",
            VersionEdit::Publish(_) => "lists.version.publish",
        }
    }
}

/// Apply one change to a version in one transaction with its audit entry.
/// A published version is refused by the engine (422, nothing written).
pub async fn edit_version(db: &Db, actor: &str, kind: ListKind, version: i64, edit: VersionEdit) -> Result<VersionRow> {
    let mut tx = db.begin().await?;
    let row: VersionRow = sqlx::query_as("SELECT * FROM list_versions WHERE kind = $1 AND version = $2")
        .bind(kind_code(kind))
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut v = row.parse()?;
    let change = match &edit {
        VersionEdit::Add(e) => {
            v.add(e.clone()).map_err(lists_error)?;
            json!({ "added": e })
        }
        VersionEdit::Remove(code) => json!({ "removed": v.remove(code.trim()).map_err(lists_error)? }),
        VersionEdit::Replace(e) => {
            let old = v.replace(e.clone()).map_err(lists_error)?;
            json!({ "old": old, "new": e })
        }
        VersionEdit::AddAll(es) => {
            for e in es {
                v.add(e.clone()).map_err(lists_error)?;
            }
            json!({ "imported": es.iter().map(|e| &e.code).collect::<Vec<_>>() })
        }
        VersionEdit::Review => {
            v.review(actor).map_err(lists_error)?;
            json!({ "reviewer": actor, "entries": v.entries().len() })
        }
        VersionEdit::Publish(d) => {
            v.publish(*d).map_err(lists_error)?;
            json!({ "effective": d.to_string() })
        }
    };
    let data = serde_json::to_string(&v).map_err(internal)?;
    let out: VersionRow = sqlx::query_as(
        "UPDATE list_versions SET status = $1, effective_on = $2, note = $3, data = $4 \
         WHERE id = $5 AND status <> 'published' RETURNING *",
    )
    .bind(status_code(&v))
    .bind(v.effective().map(|d| d.to_string()))
    .bind(v.note())
    .bind(&data)
    .bind(row.id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| lists_error(ListsError::Immutable { kind, version: v.version() }))?;
    audit::append(
        &mut tx,
        AuditEntry {
            actor,
            action: edit.action(),
            entity: "list_version",
            entity_id: &row.id.to_string(),
            community_code: None,
            district_code: None,
            change: json!({ "kind": kind_code(kind), "version": version, "status": out.status, "change": change }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    pub csrf: String,
    /// YYYY-MM-DD; empty: today.
    #[serde(default)]
    pub effective: String,
}

impl PublishForm {
    pub fn date(&self) -> Result<Date> {
        match self.effective.trim() {
            "" => Ok(clock::today()),
            s => clock::parse_date(s)
                .ok_or_else(|| bad("effective", "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD")),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub csrf: String,
}

/// The status in Chinese for pages.
pub fn status_label(v: &ListVersion) -> &'static str {
    match v.status() {
        lists::Status::Draft => "草稿 draft",
        lists::Status::Reviewed { .. } => "已审核 reviewed",
        lists::Status::Published { .. } => "已发布 published",
    }
}

// ----- XLSX import (the format `version_xlsx` writes) ------------------------------------------

/// One rejected row of an import, with its reason.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RejectedEntry {
    /// Row number as the spreadsheet shows it (1-based).
    pub row: usize,
    pub code: String,
    pub field: String,
    pub msg: rules::Msg,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EntryImport {
    pub version: VersionRow,
    pub imported: Vec<String>,
    pub rejected: Vec<RejectedEntry>,
}

/// Column names as the export writes them, with the short names offices use.
const COLUMNS: &[(&str, &[&str])] = &[
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

/// Read the rows of an exported list workbook into entry forms: the header
/// is the first row whose first cell is 编号/编码.
pub fn read_entries_xlsx(bytes: &[u8]) -> Result<Vec<(usize, EntryForm)>> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|_| bad("file", "无法读取XLSX文件", "cannot read the XLSX file"))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| bad("file", "XLSX文件没有工作表", "the XLSX file has no sheet"))?
        .map_err(|_| bad("file", "无法读取XLSX工作表", "cannot read the XLSX sheet"))?;
    let cell = |d: &Data| match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f:.2}"),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    };
    let (start_row, _) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows().enumerate();
    let header = loop {
        let Some((_, r)) = rows.next() else {
            return Err(bad("file", "没有找到表头（编号、事项……）", "no header row (编号, 事项, …) found"));
        };
        let h: Vec<String> = r.iter().map(cell).collect();
        if h.first().is_some_and(|c| c == "编号" || c == "编码") {
            break h;
        }
    };
    let col = |name: &str| {
        let names = COLUMNS.iter().find(|(n, _)| *n == name).map(|(_, a)| *a).unwrap_or(&[]);
        header.iter().position(|h| names.contains(&h.as_str()))
    };
    let idx: Vec<(&str, Option<usize>)> = COLUMNS.iter().map(|(n, _)| (*n, col(n))).collect();
    let mut out = Vec::new();
    for (i, r) in rows {
        let cells: Vec<String> = r.iter().map(cell).collect();
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
        out.push((start_row as usize + i + 1, f));
    }
    Ok(out)
}

/// Import the entries of an XLSX workbook into an open draft: every valid
/// row whose code is new is added (one transaction, one audit entry), every
/// other row is listed with its reason.
pub async fn import_entries(db: &Db, actor: &str, kind: ListKind, version: i64, bytes: &[u8]) -> Result<EntryImport> {
    let forms = read_entries_xlsx(bytes)?;
    let current = super::version(db, kind, version).await?.parse()?;
    if current.is_published() {
        return Err(lists_error(ListsError::Immutable { kind, version: current.version() }));
    }
    let mut seen: std::collections::HashSet<String> = current.entries().iter().map(|e| e.code.clone()).collect();
    let mut ok = Vec::new();
    let mut rejected = Vec::new();
    for (row, f) in forms {
        match parse_entry(kind, &f) {
            Ok(e) if !seen.insert(e.code.clone()) => rejected.push(RejectedEntry {
                row,
                code: e.code.clone(),
                field: "code".into(),
                msg: rules::Msg::new(
                    format!("编码{}已存在", e.code),
                    format!("code {} is already in the list", e.code),
                ),
            }),
            Ok(e) => ok.push(e),
            Err(StoreError::Invalid { field, msg }) => {
                rejected.push(RejectedEntry { row, code: f.code.trim().to_string(), field, msg })
            }
            Err(e) => return Err(e),
        }
    }
    let imported: Vec<String> = ok.iter().map(|e| e.code.clone()).collect();
    let version = if ok.is_empty() {
        super::version(db, kind, version).await?
    } else {
        edit_version(db, actor, kind, version, VersionEdit::AddAll(ok)).await?
    };
    Ok(EntryImport { version, imported, rejected })
}
