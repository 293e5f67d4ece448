//! The case writer: the one serialised step of intake, a group commit.
//!
//! A thread of its own with a connection of its own takes every queued case
//! (up to [`MAX_BATCH`]) and writes them in ONE transaction: case rows
//! numbered after the last, their history, the residents' acknowledgements,
//! the audit entries and the tallies, each one multi-row statement, all in
//! one trip to the database when the writer's memory of the heads holds (two
//! otherwise: after an audit append elsewhere in this process, or a failure),
//! then answers every request of the batch. Many requests share one fsync.
//! While a batch is on the connection's thread, the writer answers the batch
//! before it and gathers the next: each request that queues meanwhile is
//! numbered after the batch being written and staged at once (row, history,
//! duplicates), so that when the connection is free only the statements are
//! left to make, and a request that queues while a batch is written goes
//! into the very next one. A failed batch is written again the slow way
//! (heads read first), then one case at a time, so that each gets its own
//! answer; the batch gathered after it is staged again.

use super::Case;
use super::intake::{Accepted, Job};
use super::nearby::{Nearby, Probe};
use crate::Dialect;
use crate::audit::Reserved;
use crate::sql::Sql;
use crate::{Db, Result, StoreError};
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, Row};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

mod stage;
use stage::{Built, Stage, build};

/// At most this many cases share one transaction.
const MAX_BATCH: usize = 256;

/// Starts the writer: a thread of its own with its own connection, so that
/// the one serialised step of intake never waits behind request handling for
/// a turn on the server's threads. It holds no [`Db`], and ends when the last
/// clone of the database handle (and so the queue) is dropped.
pub(super) fn start(db: &Db) -> mpsc::UnboundedSender<Job> {
    let (tx, rx) = mpsc::unbounded_channel();
    let (options, dialect) = (db.pool.connect_options(), db.dialect);
    let nearby = Nearby::new(db.cases.stale_groups.clone());
    let again = db.cases.written_again.clone();
    let gate = (dialect == Dialect::Sqlite).then(|| db.write_gate.clone());
    let started = std::thread::Builder::new().name("case-writer".into()).spawn(move || {
        match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => rt.block_on(writer_loop(options, dialect, (nearby, again), gate, rx)),
            Err(e) => tracing::error!("case writer: {e}"),
        }
    });
    if let Err(e) = started {
        tracing::error!("case writer thread: {e}");
    }
    tx
}

/// Takes whatever has queued (up to [`MAX_BATCH`]) and commits it as one
/// transaction, again and again. On SQLite each batch is written holding the
/// process's write gate ([`Db::write_turn`]), so that the outbox's delivery
/// worker and the case writer take turns instead of meeting in SQLite's busy
/// handler (which sleeps 1, 2, 5, 10… ms before trying again).
async fn writer_loop(
    options: Arc<AnyConnectOptions>,
    dialect: Dialect,
    (mut nearby, again): (Nearby, Arc<AtomicU64>),
    gate: Option<Arc<tokio::sync::Mutex<()>>>,
    mut rx: mpsc::UnboundedReceiver<Job>,
) {
    let mut conn: Option<AnyConnection> = None;
    let mut heads: Option<Heads> = None;
    // The next batch, gathered (and staged, while the writer's memory serves)
    // while the last was written.
    let mut next = Next::default();
    // The last batch written, committed but not yet answered (see [`Answers`]).
    let mut answers = Answers::default();
    let mut got = Vec::with_capacity(MAX_BATCH);
    loop {
        if next.jobs.is_empty() {
            answers.send();
            if rx.recv_many(&mut got, MAX_BATCH).await == 0 {
                break;
            }
            next.stage = heads.as_ref().filter(|h| h.current()).map(Stage::after);
        } else {
            // What queued between the last commit and now joins the batch too.
            let room = MAX_BATCH - next.jobs.len();
            while got.len() < room {
                match rx.try_recv() {
                    Ok(job) => got.push(job),
                    Err(_) => break,
                }
            }
        }
        next.gather(&mut nearby, got.drain(..));
        let c = match conn.take() {
            Some(c) => c,
            None => match writer_connection(&options, dialect).await {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!("case writer cannot connect: {e}");
                    // The server is down or restarting: these requests are told so (503); the
                    // next batch tries to connect again.
                    answers.send();
                    next.drop_stage(&mut nearby);
                    for job in next.jobs.drain(..) {
                        let _ = job.reply.send(Err(StoreError::Unavailable(format!("case intake: {e}"))));
                    }
                    continue;
                }
            },
        };
        let _turn = match &gate {
            Some(g) => Some(match g.try_lock() {
                Ok(turn) => turn,
                // The delivery worker is writing: the last batch's requests are not kept waiting for it.
                Err(_) => {
                    answers.send();
                    g.lock().await
                }
            }),
            None => None,
        };
        let Next { jobs, stage } = std::mem::take(&mut next);
        let ready = match stage {
            Some(s) if s.current() => Some(s.finish(dialect, &cases(&jobs), begin_statements(dialect))),
            // Chained on an audit head that another write of this process has since moved on.
            Some(_) => {
                forget(&mut nearby, &cases(&jobs));
                heads = None;
                None
            }
            None => None,
        };
        conn = match ready {
            Some(b) => {
                let batch = (jobs, b, &mut answers);
                write_overlapped(dialect, c, (&mut nearby, &again), &mut heads, batch, &mut rx, &mut next).await
            }
            None => {
                answers.send();
                commit_and_answer(dialect, c, (&mut nearby, &again), &mut heads, jobs).await
            }
        };
    }
}

/// The batch the writer gathers while the last is written: the requests, and
/// their cases numbered after that batch and staged one by one as they come,
/// so that only the statements are left to make when the connection is free.
#[derive(Default)]
struct Next {
    jobs: Vec<Job>,
    /// None when the writer's memory cannot number them (the slow way reads first).
    stage: Option<Stage>,
}

impl Next {
    /// Adds requests to the batch, staging each while the stage holds; a case
    /// whose group of open cases must be read first ends the staging.
    fn gather(&mut self, nearby: &mut Nearby, new: impl Iterator<Item = Job>) {
        for job in new {
            self.jobs.push(job);
            let Some(stage) = self.stage.as_mut() else { continue };
            let Some(job) = self.jobs.last() else { continue };
            let probe = job.case.ready.probe();
            if nearby.needs_reading(std::slice::from_ref(&probe)) {
                self.drop_stage(nearby);
            } else if let Err(e) = stage.add(nearby, &job.case, &probe) {
                // Only a record that cannot be put into words fails here; the slow way will say so.
                tracing::warn!("case not staged: {e}");
                self.drop_stage(nearby);
            }
        }
    }

    /// Forgets what the staged cases added to the picture of open cases.
    fn drop_stage(&mut self, nearby: &mut Nearby) {
        if self.stage.take().is_some() {
            forget(nearby, &cases(&self.jobs));
        }
    }
}

/// Requests whose cases are committed, answered once the next batch is on the
/// connection's thread: waking their request threads is then off the one
/// serialised path. Sent before the writer waits for anything else.
#[derive(Default)]
struct Answers(Vec<(oneshot::Sender<Result<Case>>, Case)>);

impl Answers {
    fn send(&mut self) {
        for (reply, row) in self.0.drain(..) {
            let _ = reply.send(Ok(row));
        }
    }
}

/// Writes a built batch while answering the batch before it and gathering
/// the next from what queues meanwhile (numbered after it, if the writer's
/// memory serves); its own answers wait in `answers` for the next batch. A
/// failure forgets what both added to the picture of open cases and writes
/// the batch again the slow way ([`commit_and_answer`]).
async fn write_overlapped(
    dialect: Dialect,
    mut conn: AnyConnection,
    (nearby, again): (&mut Nearby, &AtomicU64),
    heads: &mut Option<Heads>,
    (jobs, b, answers): (Vec<Job>, Built, &mut Answers),
    rx: &mut mpsc::UnboundedReceiver<Job>,
    next: &mut Next,
) -> Option<AnyConnection> {
    let Built { stmts, rows, after } = b;
    next.stage = after.current().then(|| Stage::after(&after));
    let written = {
        let run = run(&mut conn, stmts, rows.len());
        tokio::pin!(run);
        // Polled once, the batch is sent to the connection's thread; the last one's answers follow.
        let first = std::future::poll_fn(|cx| Poll::Ready(run.as_mut().poll(cx))).await;
        answers.send();
        let mut got = Vec::with_capacity(MAX_BATCH);
        match first {
            Poll::Ready(w) => w,
            Poll::Pending => loop {
                let room = MAX_BATCH - next.jobs.len();
                tokio::select! {
                    biased;
                    w = &mut run => break w,
                    n = rx.recv_many(&mut got, room), if room > 0 => {
                        if n == 0 {
                            // Every sender is gone: only this batch is left to finish.
                            break (&mut run).await;
                        }
                        next.gather(nearby, got.drain(..));
                    }
                }
            },
        }
    };
    match written {
        Ok(()) => {
            *heads = Some(after);
            answers.0.extend(jobs.into_iter().map(|j| j.reply).zip(rows));
            Some(conn)
        }
        Err(e) => {
            // Another process's writer appended in between, or a write of this process that began
            // after the check above: expected, and rare.
            tracing::debug!("case intake batch of {} failed ({e}); writing it again", jobs.len());
            next.drop_stage(nearby);
            forget(nearby, &cases(&jobs));
            *heads = None;
            again.fetch_add(1, Ordering::Relaxed);
            commit_and_answer(dialect, conn, (nearby, again), heads, jobs).await
        }
    }
}

/// A batch's statements in one call; a failure rolls the transaction back.
async fn run(conn: &mut AnyConnection, stmts: Vec<Sql>, cases: usize) -> Result<()> {
    let t0 = Instant::now();
    let written = crate::sql::execute_all(conn, stmts).await;
    match &written {
        Ok(()) => tracing::debug!(cases, micros = t0.elapsed().as_micros() as u64, "case batch committed"),
        Err(_) => rollback(conn).await,
    }
    written
}

/// Nothing to roll back when BEGIN or COMMIT itself failed; that error is moot.
async fn rollback(conn: &mut AnyConnection) {
    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
}

fn cases(jobs: &[Job]) -> Vec<&Accepted> {
    jobs.iter().map(|j| &j.case).collect()
}

/// Drops the writer's picture of these cases' groups: read again when next needed.
fn forget(nearby: &mut Nearby, batch: &[&Accepted]) {
    nearby.forget(batch.iter().map(|r| (r.ready.community.clone(), r.ready.item.code.clone())))
}

/// A batch numbered from the writer's memory of the heads, if it has them
/// and its picture of open cases covers every case: nothing to read first.
/// Had anyone else written a case or an audit entry since, a primary key
/// clashes and the batch rolls back (and is written again).
fn build_ahead(dialect: Dialect, nearby: &mut Nearby, heads: Option<&Heads>, batch: &[&Accepted]) -> Option<Built> {
    let h = heads.filter(|h| h.current())?;
    let probes: Vec<Probe> = batch.iter().map(|r| r.ready.probe()).collect();
    if nearby.needs_reading(&probes) {
        return None;
    }
    match build(dialect, nearby, Stage::after(h), batch, &probes, begin_statements(dialect)) {
        Ok(b) => Some(b),
        Err(e) => {
            // Only a record that cannot be put into words fails here; the slow way will say so.
            tracing::warn!("case batch not built ahead: {e}");
            forget(nearby, batch);
            None
        }
    }
}

/// What begins a batch numbered from memory. PostgreSQL: lock the audit head
/// before any row, as every other writer does, so that a writer of another
/// process waits its turn instead of deadlocking on rows the two inserted
/// crosswise.
fn begin_statements(dialect: Dialect) -> Vec<Sql> {
    let mut stmts = vec![begin(dialect)];
    if dialect == Dialect::Postgres {
        stmts.push(Sql::new(dialect, "SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE"));
    }
    stmts
}

fn begin(dialect: Dialect) -> Sql {
    Sql::new(dialect, if dialect == Dialect::Sqlite { "BEGIN IMMEDIATE" } else { "BEGIN" })
}

/// The writer's connection. On SQLite it checkpoints the WAL into the main
/// file less often than the default (every 4,000 pages, about 16 MB, instead
/// of 1,000): the index pages every batch rewrites are then copied once per
/// checkpoint, not again and again.
async fn writer_connection(options: &AnyConnectOptions, dialect: Dialect) -> Result<AnyConnection> {
    let mut conn = crate::own_connection(options, dialect).await?;
    if dialect == Dialect::Sqlite {
        sqlx::query("PRAGMA wal_autocheckpoint = 4000").execute(&mut conn).await?;
    }
    Ok(conn)
}

/// Writes a batch and answers its requests; gives the connection back
/// unless it failed (a broken connection is replaced for the next batch).
async fn commit_and_answer(
    dialect: Dialect,
    mut conn: AnyConnection,
    (nearby, again): (&mut Nearby, &AtomicU64),
    heads: &mut Option<Heads>,
    batch: Vec<Job>,
) -> Option<AnyConnection> {
    match write_numbered(dialect, &mut conn, (nearby, again), heads, &cases(&batch)).await {
        Ok(rows) => {
            for (job, row) in batch.into_iter().zip(rows) {
                let _ = job.reply.send(Ok(row));
            }
            Some(conn)
        }
        Err(e) if batch.len() == 1 => {
            let keep = usable(&e);
            if let Some(job) = batch.into_iter().next() {
                let _ = job.reply.send(Err(e));
            }
            keep.then_some(conn)
        }
        Err(e) => {
            tracing::warn!("case intake batch of {} failed ({e}); retrying one by one", batch.len());
            let mut keep = true;
            for job in batch {
                let r = write_numbered(dialect, &mut conn, (&mut *nearby, again), heads, &[&job.case])
                    .await
                    .map(|mut v| v.remove(0));
                keep &= r.as_ref().err().is_none_or(usable);
                let _ = job.reply.send(r);
            }
            keep.then_some(conn)
        }
    }
}

/// [`write`], and again after reading the heads if a batch numbered from the
/// writer's memory failed (someone else wrote a case or an audit entry in
/// between) or clashed with another process's writer (a duplicate number or a
/// deadlock on PostgreSQL), a few times. What a failed batch added to the
/// picture of open cases is forgotten.
async fn write_numbered(
    dialect: Dialect,
    conn: &mut AnyConnection,
    (nearby, again): (&mut Nearby, &AtomicU64),
    heads: &mut Option<Heads>,
    batch: &[&Accepted],
) -> Result<Vec<Case>> {
    let mut retry = heads.is_some();
    let mut result = write(dialect, conn, nearby, heads, batch).await;
    for _ in 0..CONFLICT_RETRIES {
        match &result {
            Err(e) if retry || e.is_conflict() => {
                again.fetch_add(1, Ordering::Relaxed);
                forget(nearby, batch);
                retry = false;
                result = write(dialect, conn, nearby, heads, batch).await;
            }
            _ => break,
        }
    }
    if result.is_err() {
        forget(nearby, batch);
    }
    result
}

/// How often a batch that clashed with another process is tried again.
const CONFLICT_RETRIES: usize = 5;

/// What the writer's last commit left: the highest case number and where the
/// next audit entry goes, as long as no other write of this process has
/// appended to the audit chain since they were read ([`crate::audit::appends`]).
struct Heads {
    last_case: i64,
    audit: Reserved,
    appends: u64,
}

impl Heads {
    /// No other write of this process has begun an audit append since these were read.
    fn current(&self) -> bool {
        self.appends == crate::audit::appends()
    }
}

/// After this error the writer's connection can go on (a refused case, not a broken link).
fn usable(e: &StoreError) -> bool {
    !matches!(e, StoreError::Db(_) | StoreError::Config(_) | StoreError::Unavailable(_))
}

/// Writes a batch of validated cases in one transaction, begun and committed
/// by statements of its own so that they share trips with the others; a
/// failure rolls it back.
async fn write(
    dialect: Dialect,
    conn: &mut AnyConnection,
    nearby: &mut Nearby,
    heads: &mut Option<Heads>,
    batch: &[&Accepted],
) -> Result<Vec<Case>> {
    let b = match build_ahead(dialect, nearby, heads.take().as_ref(), batch) {
        Some(b) => b,
        // Else the heads and any missing groups are read first, in the batch's transaction.
        None => {
            let probes: Vec<Probe> = batch.iter().map(|r| r.ready.probe()).collect();
            // Counted before the heads are read: an append begun after this makes them stale.
            let appends = crate::audit::appends();
            let first = read_heads(dialect, conn, nearby, batch.len(), &probes).await;
            let stage = first.map(|(case, audit)| Stage::new(case, audit, appends));
            match stage.and_then(|stage| build(dialect, nearby, stage, batch, &probes, Vec::new())) {
                Ok(b) => b,
                Err(e) => {
                    rollback(conn).await;
                    return Err(e);
                }
            }
        }
    };
    run(conn, b.stmts, batch.len()).await?;
    *heads = Some(b.after);
    Ok(b.rows)
}

/// One trip first: begin, reserve the audit entries (moving the audit head
/// locks it, which serialises writers on PostgreSQL; on SQLite BEGIN
/// IMMEDIATE already did), the highest case number; then the groups of open
/// cases the writer lacks. The transaction stays open for the batch.
async fn read_heads(
    dialect: Dialect,
    tx: &mut AnyConnection,
    nearby: &mut Nearby,
    n: usize,
    probes: &[Probe],
) -> Result<(i64, Reserved)> {
    let max = Sql::new(dialect, "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM cases");
    let first =
        crate::sql::fetch_all_of(tx, vec![begin(dialect), crate::audit::reserve_statement(dialect, n), max]).await?;
    let [head, max] = &first[..] else {
        return Err(StoreError::Config("intake: unexpected reply to the batch's first statements".into()));
    };
    let head = crate::audit::reserved(head, n)?;
    nearby.refresh(dialect, tx, probes).await?;
    Ok((max.try_get::<i64, _>(0)?, head))
}
