//! Versioned lists: draft → reviewed → published, and the diff between two
//! versions.
//!
//! * A **draft** may be edited freely.
//! * [`ListVersion::review`] validates the entries and records the reviewer.
//!   Editing a reviewed version sends it back to draft (the review no longer
//!   covers what is in it).
//! * [`ListVersion::publish`] fixes the effective date. A published version is
//!   **immutable**: every mutating method returns [`ListsError::Immutable`].
//!   Change is made by [`ListVersion::next_draft`], a new version number.
//!   Fields are private so the only way to change a version is through these
//!   methods.
//!
//! Validation on review (sources in brackets):
//! * codes unique and non-empty, titles non-empty;
//! * each entry's [`Terms`] agree with the list's kind;
//! * assistance entries carry a standard > 0 and a paying department
//!   (rules §3.3, 权随责走、费随事转);
//! * assessment entries originate at provincial level or higher and have
//!   non-zero caps (rules §3, Tongling 2014 考核准入).

use crate::model::{Entry, ListKind, Msg, Terms};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    Draft,
    Reviewed { reviewer: String },
    Published { reviewer: String, effective: Date },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListsError {
    /// The version is published and cannot change.
    Immutable {
        kind: ListKind,
        version: u32,
    },
    /// Publishing needs a reviewed version.
    NotReviewed {
        kind: ListKind,
        version: u32,
    },
    DuplicateCode(String),
    NoSuchCode(String),
    /// An entry failed validation.
    Invalid {
        code: String,
        msg: Msg,
    },
    /// No published version of a list is in force at the date.
    NoVersionInForce(ListKind),
}

impl std::fmt::Display for ListsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for ListsError {}

/// One version of one list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListVersion {
    kind: ListKind,
    version: u32,
    status: Status,
    /// Free text; demo data says "illustrative, not Tongling" here.
    note: String,
    entries: Vec<Entry>,
}

impl ListVersion {
    pub fn draft(kind: ListKind, version: u32, note: impl Into<String>) -> ListVersion {
        ListVersion { kind, version, status: Status::Draft, note: note.into(), entries: Vec::new() }
    }

    pub fn kind(&self) -> ListKind {
        self.kind
    }
    pub fn version(&self) -> u32 {
        self.version
    }
    pub fn status(&self) -> &Status {
        &self.status
    }
    pub fn note(&self) -> &str {
        &self.note
    }
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
    pub fn entry(&self, code: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.code == code)
    }
    pub fn is_published(&self) -> bool {
        matches!(self.status, Status::Published { .. })
    }
    /// Effective date if published.
    pub fn effective(&self) -> Option<Date> {
        match self.status {
            Status::Published { effective, .. } => Some(effective),
            _ => None,
        }
    }

    fn edit(&mut self) -> Result<&mut Vec<Entry>, ListsError> {
        match self.status {
            Status::Published { .. } => Err(ListsError::Immutable { kind: self.kind, version: self.version }),
            _ => {
                self.status = Status::Draft;
                Ok(&mut self.entries)
            }
        }
    }

    pub fn add(&mut self, entry: Entry) -> Result<(), ListsError> {
        let entries = self.edit()?;
        if entries.iter().any(|e| e.code == entry.code) {
            return Err(ListsError::DuplicateCode(entry.code));
        }
        entries.push(entry);
        Ok(())
    }

    pub fn remove(&mut self, code: &str) -> Result<Entry, ListsError> {
        let entries = self.edit()?;
        let pos = entries.iter().position(|e| e.code == code).ok_or_else(|| ListsError::NoSuchCode(code.into()))?;
        Ok(entries.remove(pos))
    }

    /// Replace the entry with the same code.
    pub fn replace(&mut self, entry: Entry) -> Result<Entry, ListsError> {
        let entries = self.edit()?;
        let slot = entries
            .iter_mut()
            .find(|e| e.code == entry.code)
            .ok_or_else(|| ListsError::NoSuchCode(entry.code.clone()))?;
        Ok(std::mem::replace(slot, entry))
    }

    pub fn set_note(&mut self, note: impl Into<String>) -> Result<(), ListsError> {
        self.edit()?;
        self.note = note.into();
        Ok(())
    }

    /// Validate and mark reviewed.
    pub fn review(&mut self, reviewer: impl Into<String>) -> Result<(), ListsError> {
        if self.is_published() {
            return Err(ListsError::Immutable { kind: self.kind, version: self.version });
        }
        validate(self.kind, &self.entries)?;
        self.status = Status::Reviewed { reviewer: reviewer.into() };
        Ok(())
    }

    /// Publish a reviewed version with its effective date.
    pub fn publish(&mut self, effective: Date) -> Result<(), ListsError> {
        match &self.status {
            Status::Reviewed { reviewer } => {
                self.status = Status::Published { reviewer: reviewer.clone(), effective };
                Ok(())
            }
            Status::Published { .. } => Err(ListsError::Immutable { kind: self.kind, version: self.version }),
            Status::Draft => Err(ListsError::NotReviewed { kind: self.kind, version: self.version }),
        }
    }

    /// A new draft with the same entries and `version + 1`.
    pub fn next_draft(&self) -> ListVersion {
        ListVersion {
            kind: self.kind,
            version: self.version + 1,
            status: Status::Draft,
            note: self.note.clone(),
            entries: self.entries.clone(),
        }
    }
}

fn invalid(code: &str, zh: &str, en: &str) -> ListsError {
    ListsError::Invalid { code: code.into(), msg: Msg::new(zh, en) }
}

fn validate(kind: ListKind, entries: &[Entry]) -> Result<(), ListsError> {
    let mut seen = std::collections::HashSet::new();
    for e in entries {
        if e.code.trim().is_empty() {
            return Err(invalid(&e.code, "编码为空", "empty code"));
        }
        if !seen.insert(e.code.as_str()) {
            return Err(ListsError::DuplicateCode(e.code.clone()));
        }
        if crate::similarity::normalize(&e.title).is_empty() {
            return Err(invalid(&e.code, "名称为空", "empty title"));
        }
        if e.terms.kind() != kind {
            return Err(invalid(&e.code, "条目类型与清单不符", "entry terms do not match the list kind"));
        }
        match &e.terms {
            Terms::Assistance(t) if t.standard_fen <= 0 || t.paying_department.trim().is_empty() => {
                return Err(invalid(
                    &e.code,
                    "协助事项须有经费标准和出资部门(权随责走、费随事转)",
                    "assistance entry needs a funding standard > 0 and a paying department (rules §3.3)",
                ));
            }
            Terms::Assessment(t) if !t.origin_level.is_provincial_or_higher() => {
                return Err(invalid(
                    &e.code,
                    "考核准入事项须由省级以上政府要求",
                    "assessment entry must be required by a provincial or higher government (Tongling 2014)",
                ));
            }
            Terms::Assessment(t) if t.max_times_per_year == 0 || t.max_duration_days == 0 => {
                return Err(invalid(&e.code, "考核次数和时长上限须大于零", "assessment caps must be > 0"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// One changed field of an entry, rendered as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryChange {
    pub code: String,
    pub fields: Vec<FieldChange>,
}

/// Entries added, removed and changed between two versions (matched by code),
/// each sorted by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListDiff {
    pub added: Vec<Entry>,
    pub removed: Vec<Entry>,
    pub changed: Vec<EntryChange>,
}

impl ListDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Flatten an entry into named fields for a field-level diff.
fn fields(e: &Entry) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("title", e.title.clone()),
        ("legal_basis", e.legal_basis.clone()),
        ("item_type", format!("{:?}", e.item_type)),
        ("department", e.department.clone()),
        ("source", e.source.clone()),
        ("terms", format!("{:?}", e.terms.kind())),
    ];
    match &e.terms {
        Terms::Exit { scope } => v.push(("exit_scope", format!("{scope:?}"))),
        Terms::Duty => {}
        Terms::Assistance(t) => {
            v.push(("standard_fen", t.standard_fen.to_string()));
            v.push(("funding_basis", format!("{:?}", t.basis)));
            v.push(("paying_department", t.paying_department.clone()));
        }
        Terms::Assessment(t) => {
            v.push(("origin_level", format!("{:?}", t.origin_level)));
            v.push(("max_times_per_year", t.max_times_per_year.to_string()));
            v.push(("max_duration_days", t.max_duration_days.to_string()));
            v.push(("content_scope", t.content_scope.join("、")));
        }
    }
    v
}

/// Field-level diff of two versions of a list, entries matched by code.
pub fn diff(old: &ListVersion, new: &ListVersion) -> ListDiff {
    let o: BTreeMap<&str, &Entry> = old.entries.iter().map(|e| (e.code.as_str(), e)).collect();
    let n: BTreeMap<&str, &Entry> = new.entries.iter().map(|e| (e.code.as_str(), e)).collect();
    let mut d = ListDiff::default();
    for (code, ne) in &n {
        match o.get(code) {
            None => d.added.push((*ne).clone()),
            Some(oe) if oe != ne => {
                let (of, nf) = (fields(oe), fields(ne));
                let mut changes = Vec::new();
                for (name, nv) in &nf {
                    let ov = of.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
                    if ov != nv {
                        changes.push(FieldChange { field: (*name).into(), old: ov.into(), new: nv.clone() });
                    }
                }
                for (name, ov) in &of {
                    if !nf.iter().any(|(k, _)| k == name) {
                        changes.push(FieldChange { field: (*name).into(), old: ov.clone(), new: String::new() });
                    }
                }
                d.changed.push(EntryChange { code: (*code).into(), fields: changes });
            }
            Some(_) => {}
        }
    }
    d.removed = o.iter().filter(|(c, _)| !n.contains_key(*c)).map(|(_, e)| (*e).clone()).collect();
    d
}
