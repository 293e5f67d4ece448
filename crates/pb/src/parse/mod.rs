//! Reader and writer for the pabulib `.pb` format.
//!
//! A file has three sections, `META`, `PROJECTS` and `VOTES`; each starts with
//! a line holding only the section name, followed by a header row naming the
//! columns, followed by `;`-separated rows. Fields may be quoted with `"`
//! (quoted fields may contain `;`, line breaks and doubled quotes `""`).
//! Real files have a UTF-8 BOM, `\r\n` line endings, blank lines, decimal
//! costs (`400000.0`), ballots listing a project twice, …; all of these are
//! accepted. Anything malformed yields a [`ParseError`] carrying the 1-based
//! line number; the parser never panics.
//!
//! Files: `records` (splitting text into quoted `;`-separated records),
//! `amount` (exact decimal amounts), this file (the sections and rows),
//! `write` (the writer).

mod amount;
mod records;
mod write;

pub use amount::{MAX_AMOUNT, format_amount};
pub use write::write;

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Ballot, Election, Project, VoteType};
use amount::{Decimal, parse_decimal, parse_u64, scaled, split_list};
use records::{Record, Records};

/// A malformed input: where (1-based line) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError { line, message: message.into() })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Section {
    Meta,
    Projects,
    Votes,
}

impl Section {
    fn from_name(s: &str) -> Option<Section> {
        match s.to_ascii_uppercase().as_str() {
            "META" => Some(Section::Meta),
            "PROJECTS" => Some(Section::Projects),
            "VOTES" => Some(Section::Votes),
            _ => None,
        }
    }
}

/// A PROJECTS row before costs are scaled.
struct RawProject {
    line: usize,
    cost: Decimal,
    project: Project,
}

/// Column lookup for a section.
struct Header {
    names: Vec<String>,
    line: usize,
}

impl Header {
    fn new(rec: Record) -> Result<Header, ParseError> {
        let mut seen = std::collections::HashSet::new();
        for name in &rec.fields {
            if name.is_empty() {
                return err(rec.line, "empty column name in header");
            }
            if !seen.insert(name.as_str()) {
                return err(rec.line, format!("duplicate column `{name}`"));
            }
        }
        Ok(Header { names: rec.fields, line: rec.line })
    }

    fn require(&self, name: &str, section: &str) -> Result<usize, ParseError> {
        match self.names.iter().position(|n| n == name) {
            Some(i) => Ok(i),
            None => err(self.line, format!("{section} header lacks the `{name}` column")),
        }
    }

    /// Checks the field count of a data row.
    fn check(&self, rec: &Record) -> Result<(), ParseError> {
        if rec.fields.len() > self.names.len() {
            return err(
                rec.line,
                format!(
                    "{} fields but the header names {} columns (unquoted `;`?)",
                    rec.fields.len(),
                    self.names.len()
                ),
            );
        }
        Ok(())
    }
}

fn field(rec: &Record, i: usize) -> &str {
    rec.fields.get(i).map(String::as_str).unwrap_or("")
}

/// Parses the text of a `.pb` file.
pub fn parse(text: &str) -> Result<Election, ParseError> {
    let mut records = Records::new(text);
    let mut section: Option<Section> = None;
    let mut seen_sections: Vec<Section> = Vec::new();
    let mut header: Option<Header> = None;

    let mut meta: BTreeMap<String, String> = BTreeMap::new();
    let mut meta_lines: BTreeMap<String, usize> = BTreeMap::new();
    let mut raw_projects: Vec<RawProject> = Vec::new();
    let mut project_header: Option<Vec<String>> = None;
    let mut vote_header: Option<Vec<String>> = None;
    let mut vote_rows: Vec<Record> = Vec::new();
    let mut last_line = 1;

    while let Some(rec) = records.next_record()? {
        last_line = rec.line;
        if let Some(s) = Section::from_name(&rec.fields[0])
            && rec.fields[1..].iter().all(String::is_empty)
        {
            if seen_sections.contains(&s) {
                return err(rec.line, format!("section {} appears twice", rec.fields[0]));
            }
            seen_sections.push(s);
            section = Some(s);
            header = None;
            continue;
        }
        let Some(sec) = section else {
            return err(rec.line, "expected a section name (META, PROJECTS or VOTES)");
        };
        if sec == Section::Meta && header.is_none() && !rec.fields[0].eq_ignore_ascii_case("key") {
            // META without its `key;value` header row: treat as data.
            header = Some(Header { names: vec!["key".into(), "value".into()], line: rec.line });
        }
        let Some(h) = &header else {
            let h = Header::new(rec)?;
            match sec {
                Section::Meta => {}
                Section::Projects => {
                    h.require("project_id", "PROJECTS")?;
                    h.require("cost", "PROJECTS")?;
                    project_header = Some(h.names.clone());
                }
                Section::Votes => {
                    h.require("voter_id", "VOTES")?;
                    h.require("vote", "VOTES")?;
                    vote_header = Some(h.names.clone());
                }
            }
            header = Some(h);
            continue;
        };
        match sec {
            Section::Meta => {
                let key = rec.fields[0].clone();
                if key.is_empty() {
                    return err(rec.line, "META row with an empty key");
                }
                let value = rec.fields[1..].join(";");
                meta_lines.insert(key.clone(), rec.line);
                meta.insert(key, value.trim().to_string());
            }
            Section::Projects => {
                h.check(&rec)?;
                raw_projects.push(project_row(h, &rec)?);
            }
            Section::Votes => {
                h.check(&rec)?;
                vote_rows.push(rec);
            }
        }
    }

    for (s, name) in [(Section::Meta, "META"), (Section::Projects, "PROJECTS"), (Section::Votes, "VOTES")] {
        if !seen_sections.contains(&s) {
            return err(last_line, format!("missing {name} section"));
        }
    }
    let project_columns = project_header.unwrap_or_default();
    let vote_columns = vote_header.unwrap_or_default();

    let meta_line = |k: &str| meta_lines.get(k).copied().unwrap_or(1);
    let budget_text = meta
        .get("budget")
        .ok_or_else(|| ParseError { line: meta_line("budget"), message: "META lacks `budget`".into() })?
        .clone();
    let budget_dec = parse_decimal(&budget_text).ok_or_else(|| ParseError {
        line: meta_line("budget"),
        message: format!("budget `{budget_text}` is not a non-negative number"),
    })?;
    let vote_type = match meta.get("vote_type") {
        None => VoteType::Approval,
        Some(v) => VoteType::from_pabulib(v)
            .ok_or_else(|| ParseError { line: meta_line("vote_type"), message: format!("unknown vote_type `{v}`") })?,
    };

    // Scale all money so that every amount is an integer.
    let frac = raw_projects.iter().map(|p| p.cost.frac_digits).chain([budget_dec.frac_digits]).max().unwrap_or(0);
    let scale = 10u64.pow(frac);
    let budget = scaled(budget_dec, scale)
        .ok_or_else(|| ParseError { line: meta_line("budget"), message: "budget too large".into() })?;
    let mut projects = Vec::with_capacity(raw_projects.len());
    let mut ids: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for raw in raw_projects {
        let mut p = raw.project;
        p.cost =
            scaled(raw.cost, scale).ok_or_else(|| ParseError { line: raw.line, message: "cost too large".into() })?;
        if ids.insert(p.id.clone(), projects.len()).is_some() {
            return err(raw.line, format!("duplicate project id `{}`", p.id));
        }
        projects.push(p);
    }

    let mut ballots = Vec::with_capacity(vote_rows.len());
    if !vote_columns.is_empty() {
        let cols = &vote_columns;
        let vid = cols.iter().position(|c| c == "voter_id").unwrap_or(0);
        let vcol = cols.iter().position(|c| c == "vote").unwrap_or(0);
        let pcol = cols.iter().position(|c| c == "points");
        for rec in &vote_rows {
            ballots.push(vote_row(cols, vid, vcol, pcol, rec, &ids)?);
        }
    }

    Ok(Election { meta, budget, scale, vote_type, projects, ballots, project_columns, vote_columns })
}

fn project_row(h: &Header, rec: &Record) -> Result<RawProject, ParseError> {
    let mut p = Project {
        id: String::new(),
        cost: 0,
        name: String::new(),
        category: Vec::new(),
        target: Vec::new(),
        selected: None,
        extra: BTreeMap::new(),
    };
    let mut cost = None;
    for (i, col) in h.names.iter().enumerate() {
        let v = field(rec, i);
        match col.as_str() {
            "project_id" => p.id = v.to_string(),
            "cost" => {
                cost = Some(parse_decimal(v).ok_or_else(|| ParseError {
                    line: rec.line,
                    message: format!("cost `{v}` is not a non-negative number"),
                })?)
            }
            "name" => p.name = v.to_string(),
            "category" => p.category = split_list(v),
            "target" => p.target = split_list(v),
            "selected" => {
                p.selected = if v.is_empty() {
                    None
                } else {
                    Some(parse_u64(v).and_then(|x| u8::try_from(x).ok()).ok_or_else(|| ParseError {
                        line: rec.line,
                        message: format!("selected `{v}` is not a small integer"),
                    })?)
                }
            }
            _ => {
                p.extra.insert(col.clone(), v.to_string());
            }
        }
    }
    if p.id.is_empty() {
        return err(rec.line, "empty project_id");
    }
    Ok(RawProject { line: rec.line, cost: cost.unwrap_or(Decimal { mantissa: 0, frac_digits: 0 }), project: p })
}

fn vote_row(
    cols: &[String],
    vid: usize,
    vcol: usize,
    pcol: Option<usize>,
    rec: &Record,
    ids: &std::collections::HashMap<String, usize>,
) -> Result<Ballot, ParseError> {
    let voter_id = field(rec, vid).to_string();
    if voter_id.is_empty() {
        return err(rec.line, "empty voter_id");
    }
    let mut approved: Vec<usize> = Vec::new();
    let listed = split_list(field(rec, vcol));
    let points_raw = pcol.map(|c| field(rec, c)).filter(|s| !s.is_empty());
    let pts_in: Option<Vec<u64>> = match points_raw {
        None => None,
        Some(s) => {
            let parts = split_list(s);
            let mut v = Vec::with_capacity(parts.len());
            for x in &parts {
                v.push(parse_u64(x).ok_or_else(|| ParseError {
                    line: rec.line,
                    message: format!("points entry `{x}` is not a non-negative integer"),
                })?);
            }
            if v.len() != listed.len() {
                return err(rec.line, format!("{} points for {} listed projects", v.len(), listed.len()));
            }
            Some(v)
        }
    };
    let mut points: Option<Vec<u64>> = pts_in.as_ref().map(|_| Vec::new());
    for (k, id) in listed.iter().enumerate() {
        let Some(&p) = ids.get(id.as_str()) else {
            return err(rec.line, format!("vote for unknown project `{id}`"));
        };
        match approved.iter().position(|&q| q == p) {
            Some(j) => {
                // Listed twice: count the approval once, add up the points.
                if let (Some(out), Some(inp)) = (points.as_mut(), pts_in.as_ref()) {
                    out[j] = out[j].saturating_add(inp[k]);
                }
            }
            None => {
                approved.push(p);
                if let (Some(out), Some(inp)) = (points.as_mut(), pts_in.as_ref()) {
                    out.push(inp[k]);
                }
            }
        }
    }
    let mut extra = BTreeMap::new();
    for (i, col) in cols.iter().enumerate() {
        if i != vid && i != vcol && Some(i) != pcol {
            extra.insert(col.clone(), field(rec, i).to_string());
        }
    }
    Ok(Ballot { voter_id, approved, points, extra })
}
