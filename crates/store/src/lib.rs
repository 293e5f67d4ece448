//! The one storage layer: one SQL text per query for SQLite and PostgreSQL
//! (sqlx's `Any` driver, `$n` placeholders), migrations per dialect with the
//! same version numbers, and the audit chain every write appends to.
#![forbid(unsafe_code)]

pub mod audit;
pub mod between;
pub mod budgeting;
pub mod capped;
pub mod cases;
pub mod circle;
pub mod clock;
pub mod deliberation;
pub mod dispatch;
pub mod elections;
pub mod error;
pub mod figures;
pub mod figures_yearly;
pub mod files;
pub mod finance;
pub mod fuzz;
pub mod hotline;
pub mod limits;
pub mod lists;
pub mod notify;
pub mod open311;
pub mod open_data;
pub mod orgs;
pub mod outbox;
pub mod party;
pub mod providers;
mod providers_performance;
pub mod residents;
pub mod residents_file;
pub mod residents_import;
pub mod residents_xlsx;
pub mod seal;
pub mod seed;
pub mod sql;
pub mod stewards;
pub mod structure;
pub mod triage;
pub mod typed;
pub mod users;

pub use capped::Capped;
pub use error::StoreError;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::time::Duration;

/// A write transaction. On SQLite it also holds the process's write gate
/// ([`Db::write_turn`]) until it ends, so that writers in one process queue
/// in order before SQLite's lock instead of in its busy handler, whose sleeps
/// (1, 2, 5 … 100 ms) let a writer starve at the door while it holds a pooled
/// connection the readers wait for (issue 13, point 4).
pub struct Tx {
    inner: Transaction<'static, Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        Ok(self.inner.commit().await?)
    }

    pub async fn rollback(self) -> Result<()> {
        Ok(self.inner.rollback().await?)
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.inner
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// The kinds of write that several server processes on one PostgreSQL must
/// take turns at, because each decides on state it keeps in memory (the
/// values are the advisory-lock keys, fixed once and for all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i64)]
pub enum WriteLock {
    /// The community books: transaction numbers and the overdraw check.
    Books = 0x5348_4551_0001,
    /// The escalation sweep: one process at a time sends the notices.
    EscalationSweep = 0x5348_4551_0002,
    /// The outbox's delivery worker: one process sends at a time, so the
    /// gateways' rate limits hold across processes.
    Delivery = 0x5348_4551_0003,
    /// The annual-inspection reminder sweep (issue 17): one process sweeps at a time; the
    /// reminders' unique key sends each once even without it.
    InspectionReminders = 0x5348_4551_0004,
}

/// A handle on the database. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub dialect: Dialect,
    pub seal: seal::Seal,
    /// The community ledger held in memory, shared by every clone (see [`finance`]).
    pub finance: finance::Books,
    /// Case intake's write queue and catalogue cache, shared by every clone (see [`cases`]).
    pub cases: std::sync::Arc<cases::Intake>,
    /// Recently seen live sessions (see [`users::session`]).
    pub sessions: std::sync::Arc<users::SessionCache>,
    /// The process's write gate on SQLite, shared by every clone (see [`Db::write_turn`]).
    pub(crate) write_gate: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// What every SQLite connection is set to, in the pool or not.
async fn sqlite_settings(conn: &mut sqlx::AnyConnection) -> std::result::Result<(), sqlx::Error> {
    // Durability first: WAL with a full fsync on commit.
    conn.execute("PRAGMA journal_mode = WAL").await?;
    conn.execute("PRAGMA synchronous = FULL").await?;
    conn.execute("PRAGMA foreign_keys = ON").await?;
    conn.execute("PRAGMA busy_timeout = 10000").await?;
    // A larger page cache (32 MiB, filled only as pages are read): the registry's
    // random-key indexes otherwise cost a read() syscall per page on big imports.
    conn.execute("PRAGMA cache_size = -32768").await?;
    // Statement journals and sorts in memory, not in short-lived temp files.
    conn.execute("PRAGMA temp_store = MEMORY").await?;
    // An operator's cap on the file (SHEQU_SQLITE_MAX_MB): past it SQLite refuses
    // writes exactly as on a full disk (SQLITE_FULL) while reads go on.
    if let Some(mb) = std::env::var("SHEQU_SQLITE_MAX_MB").ok().and_then(|v| v.trim().parse::<u64>().ok()) {
        let pages = mb * 1024 * 1024 / 4096;
        conn.execute(sqlx::AssertSqlSafe(format!("PRAGMA max_page_count = {pages}"))).await?;
    }
    Ok(())
}

/// A connection outside the pool with the pool's settings, for a task that
/// keeps one for itself (case intake's writer).
pub(crate) async fn own_connection(
    options: &sqlx::any::AnyConnectOptions,
    dialect: Dialect,
) -> Result<sqlx::AnyConnection> {
    use sqlx::ConnectOptions;
    let mut conn = options.connect().await?;
    if dialect == Dialect::Sqlite {
        sqlite_settings(&mut conn).await?;
    }
    Ok(conn)
}

/// The URL with any password hidden, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// The file of a `sqlite:` URL (None for an in-memory database).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:" && !url.contains("mode=memory")).then(|| path.into())
}

/// Create `path` empty and readable by its owner only (0600), unless it exists.
/// SQLite gives a database's WAL and shared-memory files the database's own
/// permissions, so they are owner-only too.
pub fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

impl Db {
    /// Connect to `sqlite://path` (created if missing, owner-only) or `postgres://…`.
    /// A connection of its own with the pool's settings (on SQLite: WAL, full
    /// fsync), outside the pool: the benchmarks' minimal servers use it to
    /// compare like with like.
    pub async fn own_connection(&self) -> Result<sqlx::AnyConnection> {
        own_connection(&self.pool.connect_options(), self.dialect).await
    }

    pub async fn connect(url: &str, seal: seal::Seal) -> Result<Db> {
        install_default_drivers();
        let dialect = if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Dialect::Postgres
        } else {
            return Err(StoreError::Config(format!("unsupported database URL {}", redact_url(url))));
        };
        let pool = match dialect {
            Dialect::Sqlite => {
                if let Some(file) = sqlite_file(url) {
                    create_private(&file)
                        .map_err(|e| StoreError::Config(format!("creating {}: {e}", file.display())))?;
                }
                let url = if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
                AnyPoolOptions::new()
                    .max_connections(8)
                    // A file does not go away under a connection: no ping before each use.
                    .test_before_acquire(false)
                    .after_connect(|conn, _| Box::pin(sqlite_settings(conn)))
                    .connect(&url)
                    .await?
            }
            Dialect::Postgres => {
                // While the server is unreachable a request waits at most this long, then answers 503.
                AnyPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(5)).connect(url).await?
            }
        };
        Ok(Db {
            pool,
            dialect,
            seal,
            finance: finance::Books::default(),
            cases: Default::default(),
            sessions: Default::default(),
            write_gate: Default::default(),
        })
    }

    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.dialect {
            Dialect::Sqlite => &SQLITE_MIGRATIONS,
            Dialect::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        if self.dialect == Dialect::Sqlite {
            // Refresh the planner's statistics where SQLite thinks they are stale.
            sqlx::query("PRAGMA optimize").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Refresh planner statistics after a bulk change (a big import), so that
    /// searches keep using the right index.
    pub async fn analyze(&self) -> Result<()> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    /// Begin a write transaction. The write lock is taken up front so that
    /// concurrent writers queue instead of failing: BEGIN IMMEDIATE on SQLite;
    /// on PostgreSQL the audit head's row, which every write appends behind
    /// anyway — taken first by every writer (the case writer too), so that two
    /// writers never hold rows the other waits for (no deadlocks).
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.dialect {
            Dialect::Sqlite => {
                // The turn first, then a pooled connection: a writer waiting its turn holds none.
                let turn = self.write_turn().await;
                Tx { inner: self.pool.begin_with("BEGIN IMMEDIATE").await?, _turn: turn }
            }
            Dialect::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE").execute(&mut *tx).await?;
                Tx { inner: tx, _turn: None }
            }
        })
    }

    /// A write transaction that does not wait behind PostgreSQL's audit head
    /// (for writes that append no audit entry); on SQLite the same as [`Db::begin`].
    pub async fn begin_plain(&self) -> Result<Tx> {
        match self.dialect {
            Dialect::Sqlite => self.begin().await,
            Dialect::Postgres => Ok(Tx { inner: self.pool.begin().await?, _turn: None }),
        }
    }

    /// The write turn, then the pooled connection kept in `kept` (acquired if
    /// there is none): a long import keeps one connection across its
    /// transactions, so one connection's page cache fills, not every pooled
    /// connection's (issue 12, point 12). Waiting for the turn, it lets the
    /// connection go: [`Db::begin`] holds the turn while it acquires one, and
    /// eight writers holding all eight while waiting for the turn would leave
    /// its holder waiting for ever.
    pub async fn turn_then_connection<'k>(
        &self,
        kept: &'k mut Option<PoolConnection<Any>>,
    ) -> Result<(Option<tokio::sync::OwnedMutexGuard<()>>, &'k mut PoolConnection<Any>)> {
        let turn = match self.dialect {
            Dialect::Postgres => None,
            Dialect::Sqlite => Some(match self.write_gate.clone().try_lock_owned() {
                Ok(turn) => turn,
                Err(_) => {
                    *kept = None;
                    self.write_gate.clone().lock_owned().await
                }
            }),
        };
        let conn = match kept.take() {
            Some(c) => c,
            None => self.pool.acquire().await?,
        };
        Ok((turn, kept.insert(conn)))
    }

    /// Begin a write transaction as [`Db::begin`] does, on a connection the
    /// caller keeps across transactions, holding the turn
    /// ([`Db::turn_then_connection`]) until it ends.
    pub async fn begin_on<'c>(&self, conn: &'c mut sqlx::AnyConnection) -> Result<Transaction<'c, Any>> {
        use sqlx::Connection;
        Ok(match self.dialect {
            Dialect::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => {
                let mut tx = conn.begin().await?;
                sqlx::query("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE").execute(&mut *tx).await?;
                tx
            }
        })
    }

    /// Begin a write transaction that holds `lock` until it ends: no other
    /// writer of the same kind, in this process or another, runs beside it, and
    /// what it reads after this call is what the last such writer committed.
    /// SQLite's BEGIN IMMEDIATE already serialises every writer; PostgreSQL
    /// takes a transaction-scoped advisory lock.
    pub async fn begin_locked(&self, lock: WriteLock) -> Result<Tx> {
        let mut tx = self.begin().await?;
        if self.dialect == Dialect::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(lock as i64).execute(&mut *tx).await?;
        }
        Ok(tx)
    }

    /// Run `f` only if no other process is running the same work right now
    /// (a lease that several server processes on one PostgreSQL share; it is
    /// held by a transaction of its own, so it ends with it, even on a panic).
    /// SQLite: always runs.
    pub async fn exclusively<T, F: std::future::Future<Output = Result<T>>>(
        &self,
        lock: WriteLock,
        f: impl FnOnce() -> F,
    ) -> Result<Option<T>> {
        if self.dialect == Dialect::Sqlite {
            return f().await.map(Some);
        }
        let mut lease = self.pool.begin().await?;
        let got: bool =
            sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)").bind(lock as i64).fetch_one(&mut *lease).await?;
        if !got {
            return Ok(None);
        }
        let out = f().await;
        lease.rollback().await?;
        out.map(Some)
    }

    /// The process's write gate on SQLite: the case writer holds it while it
    /// writes a batch, and the outbox's delivery worker while it claims or
    /// settles one, so the two take turns (FIFO) in this process instead of
    /// meeting in SQLite's busy handler, whose sleeps (1, 2, 5, 10… ms) outlast
    /// the other's write. None on PostgreSQL, whose row locks queue writers anyway.
    pub async fn write_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.dialect {
            Dialect::Sqlite => Some(self.write_gate.clone().lock_owned().await),
            Dialect::Postgres => None,
        }
    }

    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// True when the database holds no community yet (the demo loads only then).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM communities").fetch_one(&self.pool).await?;
        Ok(n == 0)
    }

    /// A consistent online copy of a SQLite database (VACUUM INTO). For
    /// PostgreSQL use `pg_dump`, which the CLI calls.
    pub async fn backup_sqlite(&self, to: &str) -> Result<()> {
        if std::path::Path::new(to).exists() {
            return Err(StoreError::Config(format!("{to} already exists")));
        }
        // The copy holds what the database holds: owner-only, like it (VACUUM INTO fills an empty file).
        create_private(std::path::Path::new(to)).map_err(|e| StoreError::Config(format!("creating {to}: {e}")))?;
        sqlx::query("VACUUM INTO $1").bind(to.to_string()).execute(&self.pool).await?;
        Ok(())
    }
}
