//! Importing a file of residents (issue 12, point 12): the rows come as a
//! stream ([`crate::residents_file::open`]), [`BATCH`] to a transaction, and are
//! read, checked and inserted [`ROWS_PER_INSERT`] at a time, so memory holds one
//! statement's rows, never the file. A file's
//! rejected rows are kept in full up to [`KEEP_REJECTED`]; the rest are counted
//! by reason. Files are limited in size and rows ([`MAX_CSV_BYTES`],
//! [`MAX_XLSX_BYTES`], [`MAX_ROWS`]); the import page states the limits.

use crate::audit;
use crate::residents::Valid;
use crate::sql::{Sql, Val};
use crate::{Db, Result, StoreError, clock};
use rules::Msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The largest CSV file taken (the web's upload limit is lower: 64 MB).
pub const MAX_CSV_BYTES: u64 = 200 << 20;
/// The largest XLSX file taken: a workbook's bytes are held while its sheet is read cell by cell.
pub const MAX_XLSX_BYTES: u64 = 20 << 20;
/// The most rows of one file; rows past it are refused (counted under one reason).
pub const MAX_ROWS: usize = 1_000_000;
/// Rejected rows kept in full per import; the rest are counted by reason.
pub const KEEP_REJECTED: usize = 1000;

/// Rows per transaction, and rows per INSERT statement (bound parameters stay
/// under SQLite's 32,766 and PostgreSQL's 65,535).
const BATCH: usize = 20_000;
const ROWS_PER_INSERT: usize = 1000;

/// One row of a file: its line, and the checked resident or the field and reason it was refused for.
pub type Row = (usize, std::result::Result<Valid, (String, Msg)>);

/// A row the import refused, with its line and reason.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rejected {
    pub line: usize,
    pub name: String,
    pub field: String,
    pub zh: String,
    pub en: String,
}

/// How many rows were refused for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCount {
    pub field: String,
    pub zh: String,
    pub en: String,
    pub rows: usize,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ImportReport {
    pub run_id: i64,
    pub total: usize,
    pub inserted: usize,
    pub unchanged: usize,
    /// The first [`KEEP_REJECTED`] rejected rows, in full.
    pub rejected: Vec<Rejected>,
    /// Every rejected row.
    pub rejected_total: usize,
    /// Every rejected row counted by reason (field and message, without the row's name), most first.
    pub rejected_counts: Vec<ReasonCount>,
}

/// The rejected rows of one import: the first in full, all counted by reason.
#[derive(Default)]
struct Rejections {
    kept: Vec<Rejected>,
    total: usize,
    by_reason: BTreeMap<(String, String, String), usize>,
}

impl Rejections {
    fn push(&mut self, r: Rejected) {
        self.total += 1;
        *self.by_reason.entry(reason_of(&r)).or_default() += 1;
        if self.kept.len() < KEEP_REJECTED {
            self.kept.push(r);
        }
    }
}

/// A rejection's reason without the row's own name (`张三：…` / `张三: …`), so equal reasons count together.
fn reason_of(r: &Rejected) -> (String, String, String) {
    let (zh, en) = match (r.zh.split_once('：'), r.en.split_once(": ")) {
        (Some((n1, zh)), Some((n2, en))) if n1 == n2 => (zh, en),
        _ => (r.zh.as_str(), r.en.as_str()),
    };
    (r.field.clone(), zh.to_string(), en.to_string())
}

/// Store validated rows as they come: good rows go in, bad rows are
/// reported, rows already present are left alone (re-importing a file
/// duplicates no one). Each batch of [`BATCH`] rows is read, checked and
/// committed before the next is read; the run's summary and audit entry are
/// the last transaction.
pub async fn import(
    db: &Db,
    actor: &str,
    actor_id: i64,
    community: &str,
    file_name: &str,
    rows: impl IntoIterator<Item = Row>,
    mut progress: impl FnMut(usize),
) -> Result<ImportReport> {
    let c = crate::structure::community(db, community).await?;
    let groups: HashMap<String, i64> =
        crate::structure::groups(db, community).await?.into_iter().map(|g| (g.name, g.id)).collect();
    let mut report = ImportReport::default();
    let mut refused = Rejections::default();
    // The audit entry carries a digest of who was added, not the list itself.
    let mut inserted_digest = <sha2::Sha256 as sha2::Digest>::new();
    let now = clock::now_text();
    let mut rows = rows.into_iter().peekable();
    // Every transaction on this one connection: each pooled SQLite connection has its own 32 MiB page
    // cache, and batches spread over the pool filled all eight (the 300 MB of issue 12, point 12).
    let mut kept = None;
    let ctx = Insert { db, community: &c, groups: &groups, now: &now };
    while rows.peek().is_some() {
        let (_turn, conn) = db.turn_then_connection(&mut kept).await?;
        let mut tx = db.begin_on(conn).await?;
        // This transaction's rows by index: earlier transactions are committed and rows already
        // inserted in this one are visible to its own SELECT, so these cover the rest.
        let mut seen: HashSet<String> = HashSet::new();
        let mut pending: Vec<(Valid, String)> = Vec::with_capacity(ROWS_PER_INSERT);
        let mut read = 0;
        // Rows are read, checked and inserted ROWS_PER_INSERT at a time, so memory holds one
        // statement's rows, not the transaction's.
        while read < BATCH {
            let chunk: Vec<Row> = rows.by_ref().take(ROWS_PER_INSERT).collect();
            if chunk.is_empty() {
                break;
            }
            read += chunk.len();
            let n = chunk.len();
            let mut good = Vec::with_capacity(n);
            for (line, r) in chunk {
                report.total += 1;
                match r {
                    _ if report.total > MAX_ROWS => refused.push(Rejected {
                        line,
                        name: String::new(),
                        field: "file".into(),
                        zh: format!("超过每个文件{MAX_ROWS}行的上限，未导入"),
                        en: format!("past the limit of {MAX_ROWS} rows a file; not imported"),
                    }),
                    Ok(v) if !v.group.is_empty() && !groups.contains_key(&v.group) => refused.push(Rejected {
                        line,
                        name: v.name.clone(),
                        field: "group".into(),
                        zh: format!("居民小组“{}”不存在", v.group),
                        en: format!("no residents' group named {}", v.group),
                    }),
                    Ok(v) => {
                        let ix = db.seal.index(v.id.as_str());
                        good.push((line, v, ix))
                    }
                    Err((field, m)) => refused.push(Rejected { line, name: String::new(), field, zh: m.zh, en: m.en }),
                }
            }
            let existing = ctx.existing(&mut tx, &good).await?;
            for (line, v, ix) in good {
                match existing.get(&ix) {
                    Some(home) if home != community => refused.push(Rejected {
                        line,
                        name: v.name.clone(),
                        field: "id_number".into(),
                        zh: "该居民已在其他社区登记".into(),
                        en: "this resident is registered in another community".into(),
                    }),
                    Some(_) => report.unchanged += 1,
                    None if seen.contains(&ix) => report.unchanged += 1,
                    None => {
                        seen.insert(ix.clone());
                        pending.push((v, ix));
                        if pending.len() == ROWS_PER_INSERT {
                            ctx.insert(&mut tx, &pending, &mut inserted_digest).await?;
                            report.inserted += pending.len();
                            pending.clear();
                        }
                    }
                }
            }
            progress(n);
        }
        if !pending.is_empty() {
            ctx.insert(&mut tx, &pending, &mut inserted_digest).await?;
            report.inserted += pending.len();
        }
        tx.commit().await?;
    }
    if report.inserted >= 10_000 {
        // Fresh statistics after a bulk load, read through the same connection's cache.
        let (_turn, conn) = db.turn_then_connection(&mut kept).await?;
        sqlx::query("ANALYZE").execute(&mut **conn).await?;
    }
    drop(kept);
    refused.kept.sort_by_key(|r| r.line);
    report.rejected = refused.kept;
    report.rejected_total = refused.total;
    report.rejected_counts =
        refused.by_reason.into_iter().map(|((field, zh, en), rows)| ReasonCount { field, zh, en, rows }).collect();
    report.rejected_counts.sort_by(|a, b| b.rows.cmp(&a.rows));
    let mut tx = db.begin().await?;
    let run_id: i64 = sqlx::query_scalar(
        "INSERT INTO import_runs (community_code, district_code, user_id, file_name, total, inserted, unchanged, \
         rejected_json, at, rejected_total, rejected_counts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(actor_id)
    .bind(file_name)
    .bind(report.total as i64)
    .bind(report.inserted as i64)
    .bind(report.unchanged as i64)
    .bind(crate::typed::json_text(&report.rejected)?)
    .bind(&now)
    .bind(report.rejected_total as i64)
    .bind(crate::typed::json_text(&report.rejected_counts)?)
    .fetch_one(&mut *tx)
    .await?;
    let change = json!({ "file": file_name, "inserted": report.inserted,
        "inserted_digest": hex::encode(sha2::Digest::finalize(inserted_digest)),
        "unchanged": report.unchanged, "rejected": report.rejected_total });
    audit::record(&mut tx, actor, "residents.import", "import_run", run_id, (&c.code, &c.district_code), change)
        .await?;
    tx.commit().await?;
    report.run_id = run_id;
    Ok(report)
}

/// What every statement of one import shares.
struct Insert<'a> {
    db: &'a Db,
    community: &'a crate::structure::Community,
    groups: &'a HashMap<String, i64>,
    now: &'a str,
}

impl Insert<'_> {
    /// Which of these rows' ID numbers are registered already, and where.
    async fn existing(
        &self,
        conn: &mut sqlx::AnyConnection,
        rows: &[(usize, Valid, String)],
    ) -> Result<HashMap<String, String>> {
        if rows.is_empty() {
            return Ok(HashMap::new());
        }
        let mut q = Sql::new(self.db.dialect, "SELECT id_index, community_code FROM residents WHERE id_index IN (");
        for (i, (_, _, ix)) in rows.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(ix.clone());
        }
        q.push(")");
        // A statement of another length is prepared once and dropped: kept, every length would
        // stay in the connection's statement cache (about 1 MB each).
        let keep = rows.len() == ROWS_PER_INSERT;
        Ok(q.query_as::<(String, String)>().persistent(keep).fetch_all(conn).await?.into_iter().collect())
    }

    async fn insert(
        &self,
        conn: &mut sqlx::AnyConnection,
        rows: &[(Valid, String)],
        digest: &mut sha2::Sha256,
    ) -> Result<()> {
        let (c, now) = (self.community, self.now);
        let mut ins = Sql::new(
            self.db.dialect,
            "INSERT INTO residents (community_code, district_code, group_id, name, id_index, id_sealed, id_masked, \
             birth_date, sex, household, building, address, phone, hukou, moved_in, created_at, guardian_name, \
             guardian_relation, guardian_consent_on)",
        );
        ins.values(rows, |(v, ix)| {
            vec![
                Val::from(c.code.clone()),
                c.district_code.clone().into(),
                self.groups.get(&v.group).copied().into(),
                v.name.clone().into(),
                ix.clone().into(),
                self.db.seal.seal(v.id.as_str()).into(),
                v.id.masked().into(),
                v.id.birth_date.to_string().into(),
                v.id.sex.code().into(),
                v.household.clone().into(),
                v.building.clone().into(),
                v.address.clone().into(),
                v.phone.clone().into(),
                (v.hukou as i64).into(),
                v.moved_in.clone().into(),
                now.to_string().into(),
                v.guardian.as_ref().map(|g| g.0.clone()).into(),
                v.guardian.as_ref().map(|g| g.1.clone()).into(),
                v.guardian.as_ref().map(|_| now.get(..10).unwrap_or_default().to_string()).into(),
            ]
        });
        ins.query().persistent(rows.len() == ROWS_PER_INSERT).execute(conn).await?;
        for (_, ix) in rows {
            sha2::Digest::update(digest, ix.as_bytes());
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ImportRun {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub user_id: i64,
    pub file_name: String,
    pub total: i64,
    pub inserted: i64,
    pub unchanged: i64,
    /// The first [`KEEP_REJECTED`] rejected rows, as JSON.
    pub rejected_json: String,
    pub at: String,
    /// Every rejected row (runs before migration 0026: 0, their rows are all in `rejected_json`).
    pub rejected_total: i64,
    /// [`ReasonCount`]s as JSON.
    pub rejected_counts: String,
}

pub async fn import_run(db: &Db, id: i64) -> Result<ImportRun> {
    sqlx::query_as("SELECT * FROM import_runs WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(zh: String, en: String) -> Rejected {
        Rejected { line: 2, name: String::new(), field: "id_number".into(), zh, en }
    }

    #[test]
    fn rejected_rows_past_the_first_are_counted_by_reason_without_their_names() {
        let mut r = Rejections::default();
        for i in 0..(KEEP_REJECTED + 500) {
            r.push(rejected(format!("居民{i}：校验码错误"), format!("居民{i}: bad check digit")));
        }
        r.push(rejected("该居民已在其他社区登记".into(), "registered in another community".into()));
        assert_eq!((r.kept.len(), r.total), (KEEP_REJECTED, KEEP_REJECTED + 501));
        assert_eq!(r.by_reason.len(), 2);
        let key = ("id_number".to_string(), "校验码错误".to_string(), "bad check digit".to_string());
        assert_eq!(r.by_reason[&key], KEEP_REJECTED + 500);
    }
}
