//! The four lists in force on a date, indexed for checking.
//!
//! For each [`ListKind`] the version in force is the published version with
//! the latest effective date on or before the date (ties: the higher version
//! number). Drafts and reviewed versions are never in force. Each list gets
//! a code map and a [`BigramIndex`] over its titles, built once, so that
//! [`crate::check()`] never scans a whole list.

use crate::model::{Entry, ListKind};
use crate::similarity::{BigramIndex, Candidate, SimilarityConfig};
use crate::version::{ListVersion, ListsError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::Date;

/// Configurable numbers of the checks. The assessment caps and the emergency
/// window are \[UNSURE\] in rules.md §3 ("keep them configurable").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CheckConfig {
    pub similarity: SimilarityConfig,
    /// Cap for an assessment not (yet) on the access list. Default 1: one
    /// assessment a year (rules §3.5, one unified assessment).
    pub default_max_assessments_per_year: u32,
    /// Duration cap in days for an assessment not on the list. Default 15.
    pub default_max_assessment_days: u32,
    /// An emergency tag expiring more than this many days after the check
    /// date is flagged. Default 30.
    pub max_emergency_days: u32,
    /// How many similarity matches a check result lists. Default 5.
    pub max_matches_reported: usize,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            similarity: SimilarityConfig::default(),
            default_max_assessments_per_year: 1,
            default_max_assessment_days: 15,
            max_emergency_days: 30,
            max_matches_reported: 5,
        }
    }
}

/// One list version with its indexes.
#[derive(Debug, Clone)]
pub struct IndexedList {
    version: ListVersion,
    by_code: HashMap<String, usize>,
    index: BigramIndex,
}

impl IndexedList {
    pub fn new(version: ListVersion) -> IndexedList {
        let by_code = version.entries().iter().enumerate().map(|(i, e)| (e.code.clone(), i)).collect();
        let index = BigramIndex::new(version.entries().iter().map(|e| e.title.as_str()));
        IndexedList { version, by_code, index }
    }

    pub fn version(&self) -> &ListVersion {
        &self.version
    }

    pub fn entry(&self, code: &str) -> Option<&Entry> {
        self.by_code.get(code).map(|&i| &self.version.entries()[i])
    }

    /// Entries whose normalised title equals `title`'s.
    pub fn exact(&self, title: &str) -> Vec<&Entry> {
        self.index.exact(title).into_iter().map(|p| &self.version.entries()[p]).collect()
    }

    /// Entries that are `title` after normalisation ([`crate::normalize`]: full and half width,
    /// whitespace, punctuation, case), or whose normalised title contains it or is contained in
    /// it — the shorter side at least `min_chars` characters, so a bare 服务 matches nothing.
    /// Scans the list (used where a list is checked once per user action, not in bulk).
    pub fn overlapping(&self, title: &str, min_chars: usize) -> Vec<&Entry> {
        let q = crate::normalize(title);
        self.version
            .entries()
            .iter()
            .filter(|e| crate::similarity::overlaps(&q, &crate::normalize(&e.title), min_chars))
            .collect()
    }

    /// The entry whose code is `code` after normalisation (ＥＸ－００１ and ex 001 are EX-001).
    pub fn entry_like(&self, code: &str) -> Option<&Entry> {
        let q = crate::normalize(code);
        if q.is_empty() {
            return None;
        }
        self.entry(code).or_else(|| self.version.entries().iter().find(|e| crate::normalize(&e.code) == q))
    }

    /// Similar entries, best first.
    pub fn similar(&self, title: &str, cfg: &SimilarityConfig) -> Vec<(&Entry, Candidate)> {
        self.index.candidates(title, cfg).into_iter().map(|c| (&self.version.entries()[c.pos], c)).collect()
    }
}

/// The four lists in force, plus the check configuration.
#[derive(Debug, Clone)]
pub struct ListsInForce {
    lists: Vec<IndexedList>, // indexed by ListKind::ALL order
    pub config: CheckConfig,
}

fn slot(kind: ListKind) -> usize {
    ListKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl ListsInForce {
    /// Pick, per kind, the published version in force on `date`.
    pub fn in_force<'a>(
        versions: impl IntoIterator<Item = &'a ListVersion>,
        date: Date,
        config: CheckConfig,
    ) -> Result<ListsInForce, ListsError> {
        let mut best: [Option<&ListVersion>; 4] = [None; 4];
        for v in versions {
            let Some(eff) = v.effective() else { continue };
            if eff > date {
                continue;
            }
            let b = &mut best[slot(v.kind())];
            let newer = match b {
                None => true,
                Some(cur) => (eff, v.version()) > (cur.effective().unwrap_or(eff), cur.version()),
            };
            if newer {
                *b = Some(v);
            }
        }
        let mut lists = Vec::with_capacity(4);
        for (i, kind) in ListKind::ALL.iter().enumerate() {
            let v = best[i].ok_or(ListsError::NoVersionInForce(*kind))?;
            lists.push(IndexedList::new(v.clone()));
        }
        Ok(ListsInForce { lists, config })
    }

    pub fn list(&self, kind: ListKind) -> &IndexedList {
        &self.lists[slot(kind)]
    }

    /// The entry with `code` in any list (codes are expected to be unique
    /// across lists; the first list in [`ListKind::ALL`] order wins).
    pub fn find_code(&self, code: &str) -> Option<(ListKind, &Entry)> {
        ListKind::ALL.iter().find_map(|k| self.list(*k).entry(code).map(|e| (*k, e)))
    }
}
