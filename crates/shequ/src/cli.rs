//! Subcommands: serve, demo, sms-sink, migrate, audit, backup, user, residents, pb, election, open311, circle, bench.

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use store::Db;
use store::seal::Seal;

/// A command that has said what it had to and ends with this exit status. `run`
/// returns it as an error so that `main` flushes the queued log lines before
/// the process exits.
#[derive(Debug)]
pub struct ExitStatus(pub i32);

impl std::fmt::Display for ExitStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit status {}", self.0)
    }
}

impl std::error::Error for ExitStatus {}

#[derive(Parser)]
#[command(name = "shequ", version, about = "社区 · community governance after the Tongling reform")]
pub struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Args, Clone)]
pub struct DbArgs {
    /// sqlite://path/to/shequ.db (created if missing) or postgres://…
    #[arg(long, env = "SHEQU_DB", default_value = "sqlite://shequ.db")]
    pub db: String,
    /// File holding the 256-bit key that seals citizen ID numbers (hex).
    /// Default: beside a SQLite file (<db>.key), else ./shequ.key. SHEQU_KEY (hex) overrides.
    #[arg(long, env = "SHEQU_KEY_FILE")]
    pub key_file: Option<PathBuf>,
}

/// How browsers reach the server (see web::secure).
#[derive(Args, Clone, Default)]
pub struct WebArgs {
    /// Served over HTTPS (directly or by a reverse proxy): cookies get `Secure`, HSTS is sent.
    #[arg(long, env = "SHEQU_HTTPS")]
    pub https: bool,
    /// The reverse proxy's address: only from it are X-Forwarded-Proto/-For/-Host believed.
    #[arg(long, env = "SHEQU_TRUSTED_PROXY")]
    pub trusted_proxy: Option<std::net::IpAddr>,
}

impl WebArgs {
    fn settings(&self) -> web::secure::Settings {
        web::secure::Settings { https: self.https, trusted_proxy: self.trusted_proxy }
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve the web UI and the JSON API.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, env = "SHEQU_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        #[command(flatten)]
        web: WebArgs,
        #[command(flatten)]
        notify: crate::deliver::NotifyArgs,
    },
    /// Load the Tongling demo into an empty database, then serve.
    Demo {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, env = "SHEQU_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        #[arg(long, value_enum, default_value = "small")]
        scale: crate::demo::Scale,
        /// Load the data and exit instead of serving.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        web: WebArgs,
        #[command(flatten)]
        notify: crate::deliver::NotifyArgs,
    },
    /// A local SMS gateway (and SMTP server) that prints what shequ sends it.
    SmsSink(crate::deliver::sink::SinkArgs),
    /// Run the database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// A consistent online copy: restore by pointing --db at it.
    Backup {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        to: PathBuf,
    },
    /// Users.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// The residents registry.
    Residents {
        #[command(subcommand)]
        cmd: ResidentsCmd,
    },
    /// Participatory budgeting on pabulib files.
    Pb {
        #[command(subcommand)]
        cmd: PbCmd,
    },
    /// Residents' committee elections.
    Election {
        #[command(subcommand)]
        cmd: ElectionCmd,
    },
    /// Open311 GeoReport v2 clients.
    Open311 {
        #[command(subcommand)]
        cmd: Open311Cmd,
    },
    /// The 15-minute living circle: walking distances on an OpenStreetMap extract.
    Circle {
        #[command(subcommand)]
        cmd: crate::circle_cmd::CircleCmd,
    },
    /// Benchmarks (run in release mode; see BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        cmd: crate::bench::BenchCmd,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Walk the hash chain and report the first broken link.
    Verify {
        #[command(flatten)]
        db: DbArgs,
        /// An anchor printed earlier by `shequ audit anchor` (SEQ:HASH): fail unless the chain still holds it.
        #[arg(long)]
        anchor: Option<String>,
    },
    /// Print the head of the chain as SEQ:HASH, to keep outside the database (print, mail or publish it).
    Anchor {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Add a user.
    Add {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: Option<String>,
        /// resident, front_desk, back_office, community_admin, district_department,
        /// city_civil_affairs, auditor, organisation, provider, system_admin, unit_liaison
        #[arg(long)]
        role: String,
        #[arg(long)]
        community: Option<String>,
        #[arg(long)]
        district: Option<String>,
        /// A district department's account: which department it is (e.g. 铜官区财政局, the
        /// finance bureau, which alone allocates and approves money).
        #[arg(long)]
        department: Option<String>,
        /// Read from SHEQU_PASSWORD so it stays out of shell history.
        #[arg(long, env = "SHEQU_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Say which department an existing district department account is.
    Department {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        department: String,
    },
}

#[derive(Subcommand)]
enum ElectionCmd {
    /// Count one round (shared/data/elections/README.md format) and print the outcome as JSON;
    /// a refused, unreadable or malformed scenario prints {"error": …, "post": …} and exits 2.
    Tally {
        /// Combined ballot (rules §2.19): votes for a higher post count toward a lower one.
        #[arg(long)]
        combined_ballot: bool,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum Open311Cmd {
    /// API keys of the clients that post requests.
    Key {
        #[command(subcommand)]
        cmd: KeyCmd,
    },
}

#[derive(Subcommand)]
enum KeyCmd {
    /// Issue a key to a client; it is printed once and only its hash is kept.
    Add {
        #[command(flatten)]
        db: DbArgs,
        name: String,
    },
    /// Revoke a client's key.
    Revoke {
        #[command(flatten)]
        db: DbArgs,
        name: String,
    },
}

#[derive(Subcommand)]
enum ResidentsCmd {
    /// Import a CSV or XLSX file into a community.
    Import {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        community: String,
        file: PathBuf,
    },
    /// Export a community's residents (ID numbers masked).
    Export {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        community: String,
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Subcommand)]
enum PbCmd {
    /// Print the selected project ids, one per line.
    Solve {
        #[arg(long, default_value = "greedy")]
        rule: String,
        /// Tie-break: pabutools (smaller id as text) or cost (lower cost, then more votes).
        #[arg(long, default_value = "pabutools")]
        tie: String,
        #[arg(long)]
        json: bool,
        /// Print parse and solve times (ms) to stderr.
        #[arg(long)]
        timing: bool,
        file: PathBuf,
    },
    /// Load a real election as a closed call of a community, with its result.
    Import {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        community: String,
        #[arg(long, default_value = "mes-add1-greedy")]
        rule: String,
        file: PathBuf,
    },
    /// Write a call as a pabulib file.
    Export {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        call: i64,
        #[arg(long)]
        to: PathBuf,
    },
}

fn key_for(args: &DbArgs) -> Result<Seal> {
    if let Ok(hex) = std::env::var("SHEQU_KEY") {
        return Seal::from_hex(&hex).ok_or_else(|| anyhow!("SHEQU_KEY must be 64 hex digits"));
    }
    let path = args.key_file.clone().unwrap_or_else(|| {
        match args.db.strip_prefix("sqlite://").or(args.db.strip_prefix("sqlite:")) {
            Some(p) => PathBuf::from(format!("{}.key", p.split('?').next().unwrap_or(p))),
            None => PathBuf::from("shequ.key"),
        }
    });
    if path.exists() {
        let hex = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        return Seal::from_hex(&hex).ok_or_else(|| anyhow!("{} does not hold a 64-hex-digit key", path.display()));
    }
    let hex = Seal::generate_hex();
    write_private(&path, &hex)?;
    tracing::warn!(path = %path.display(), "created a new sealing key; back it up with the database");
    Ok(Seal::from_hex(&hex).expect("fresh key"))
}

fn write_private(path: &std::path::Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(text.as_bytes())?;
    Ok(())
}

pub async fn open(args: &DbArgs) -> Result<Db> {
    let db = Db::connect(&args.db, key_for(args)?)
        .await
        .with_context(|| format!("connecting to {}", store::redact_url(&args.db)))?;
    db.migrate().await.context("running migrations")?;
    Ok(db)
}

pub async fn serve(
    db: Db,
    listen: &str,
    banner: Option<String>,
    reach: &WebArgs,
    notify: &crate::deliver::NotifyArgs,
) -> Result<()> {
    // The outbox goes out through the configured channels (SMS gateway, SMTP, webhook).
    let delivery = crate::deliver::Config::from_args(notify)?;
    if delivery.any() {
        crate::deliver::Worker::new(delivery.clone()).spawn(db.clone());
    }
    // Escalation, inspection reminders and the audit anchor, at their intervals.
    crate::sweeps::spawn_all(&db);
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr()?;
    println!("shequ 社区 is serving on http://{addr}/");
    if let Some(b) = banner {
        println!("{b}");
    }
    let state = web::AppState::new(db).with_settings(reach.settings()).with_receipt_secret(delivery.secret.to_vec());
    web::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

pub async fn run(cli: Cli) -> Result<()> {
    match cli.cmd {
        Cmd::Serve { db, listen, web, notify } => serve(open(&db).await?, &listen, None, &web, &notify).await,
        Cmd::SmsSink(args) => crate::deliver::sink::run(args).await,
        Cmd::Demo { db, listen, scale, no_serve, web, notify } => {
            let db = open(&db).await?;
            let loaded = if db.is_empty().await? {
                if matches!(scale, crate::demo::Scale::City) {
                    println!(
                        "--scale city: ≈740,000 residents spread over the 23 urban communities, a load test. \
                         The source article's 74万 is the whole city's population (郊区 and the counties included), \
                         not these communities'; the residents are invented (示例)."
                    );
                }
                Some(crate::demo::load(&db, scale).await?)
            } else {
                println!("The database already holds data; the demo leaves it as it is.");
                None
            };
            let banner = crate::demo::banner(loaded.as_ref());
            if no_serve {
                print!("{banner}");
                Ok(())
            } else {
                serve(db, &listen, Some(banner), &web, &notify).await
            }
        }
        Cmd::Migrate { db } => {
            open(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Cmd::Audit { cmd: AuditCmd::Verify { db, anchor } } => {
            let d = open(&db).await?;
            let verdict = match anchor.as_deref() {
                Some(a) => {
                    let (seq, hash) = store::audit::parse_anchor(a)
                        .ok_or_else(|| anyhow!("--anchor must be SEQ:HASH (64 hex digits)"))?;
                    store::audit::verify_anchor(&d, seq, &hash).await?
                }
                None => store::audit::verify(&d).await?,
            };
            match verdict {
                store::audit::Verdict::Intact { entries } => {
                    match anchor {
                        Some(a) => println!("audit chain intact: {entries} entries, holding anchor {}", a.trim()),
                        None => println!("audit chain intact: {entries} entries"),
                    }
                    Ok(())
                }
                store::audit::Verdict::Broken { seq, reason } => {
                    eprintln!("audit chain BROKEN at entry {seq}: {reason}");
                    Err(ExitStatus(1).into())
                }
            }
        }
        Cmd::Audit { cmd: AuditCmd::Anchor { db } } => {
            let (seq, hash) = store::audit::anchor(&open(&db).await?).await?;
            println!("{seq}:{hash}");
            Ok(())
        }
        Cmd::Backup { db, to } => {
            let d = open(&db).await?;
            match d.dialect {
                store::Dialect::Sqlite => {
                    d.backup_sqlite(&to.to_string_lossy()).await?;
                    // The key travels with the copy, or the copy's ID numbers cannot be read.
                    if let Ok(hex) = std::env::var("SHEQU_KEY").or_else(|_| {
                        let k = db.key_file.clone().unwrap_or_else(|| {
                            PathBuf::from(format!(
                                "{}.key",
                                db.db
                                    .trim_start_matches("sqlite://")
                                    .trim_start_matches("sqlite:")
                                    .split('?')
                                    .next()
                                    .unwrap_or("")
                            ))
                        });
                        std::fs::read_to_string(k)
                    }) {
                        write_private(&PathBuf::from(format!("{}.key", to.display())), hex.trim())?;
                    }
                    println!("backed up to {} (restore with --db sqlite://{})", to.display(), to.display());
                }
                store::Dialect::Postgres => {
                    let status = std::process::Command::new("pg_dump")
                        .args(["--format=custom", "--file"])
                        .arg(&to)
                        .arg(&db.db)
                        .status()
                        .context("running pg_dump")?;
                    if !status.success() {
                        bail!("pg_dump failed");
                    }
                    println!("backed up to {} (restore with pg_restore)", to.display());
                }
            }
            Ok(())
        }
        Cmd::User { cmd: UserCmd::Add { db, username, name, role, community, district, department, password } } => {
            let d = open(&db).await?;
            let role = store::users::Role::parse(&role).ok_or_else(|| anyhow!("unknown role {role}"))?;
            let u = store::users::add(
                &d,
                "cli",
                store::users::NewUser {
                    username: &username,
                    display_name: name.as_deref().unwrap_or(&username),
                    password: &password,
                    role,
                    community_code: community.as_deref(),
                    district_code: district.as_deref(),
                    department: department.as_deref(),
                },
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
            println!("added user {} ({})", u.username, u.role);
            Ok(())
        }
        Cmd::User { cmd: UserCmd::Department { db, username, department } } => {
            let d = open(&db).await?;
            let u =
                store::users::set_department(&d, "cli", &username, &department).await.map_err(|e| anyhow!("{e}"))?;
            println!("{} is now {}", u.username, u.department.unwrap_or_default());
            Ok(())
        }
        Cmd::Residents { cmd: ResidentsCmd::Import { db, community, file } } => {
            let d = open(&db).await?;
            // Read as a stream (issue 12, point 12): one batch of rows in memory at a time.
            let size = std::fs::metadata(&file)?.len();
            let source = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(&file)?);
            let rows =
                store::residents_file::open(&file.to_string_lossy(), size, source).map_err(|m| anyhow!("{m}"))?;
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {pos} rows {per_sec}")
                    .unwrap_or(indicatif::ProgressStyle::default_spinner()),
            );
            let report = store::residents::import(&d, "cli", 0, &community, &file.to_string_lossy(), rows, |n| {
                bar.inc(n as u64)
            })
            .await
            .map_err(|e| anyhow!("{e}"))?;
            bar.finish_and_clear();
            println!(
                "{} rows: {} added, {} already present, {} rejected",
                report.total, report.inserted, report.unchanged, report.rejected_total
            );
            for r in &report.rejected {
                println!("  line {}: {} — {} / {}", r.line, r.field, r.zh, r.en);
            }
            if report.rejected_total > report.rejected.len() {
                println!("rejected rows by reason:");
                for c in &report.rejected_counts {
                    println!("  {} × {}: {} / {}", c.rows, c.field, c.zh, c.en);
                }
            }
            Ok(())
        }
        Cmd::Residents { cmd: ResidentsCmd::Export { db, community, to } } => {
            // The file leaves the system: the birth year only, like the roles that may not reveal an ID number.
            use store::residents_file::BirthColumn;
            let d = open(&db).await?;
            let mut f = store::residents::Filter { community: Some(community), limit: Some(500), ..Default::default() };
            let mut rows = Vec::new();
            loop {
                let p = store::residents::list(&d, &f).await?;
                rows.extend(p.rows);
                match p.next_after {
                    Some(a) => f.after = Some(a),
                    None => break,
                }
            }
            let bytes = if to.extension().is_some_and(|e| e == "xlsx") {
                store::residents_file::write_xlsx(&rows, BirthColumn::Year).map_err(|e| anyhow!(e))?
            } else {
                store::residents_file::write_csv(&rows, BirthColumn::Year)
            };
            f.after = None;
            let format = if to.extension().is_some_and(|e| e == "xlsx") { "xlsx" } else { "csv" };
            store::residents::record_export(&d, "cli", &f, format, rows.len()).await?;
            // Personal data: the file is readable by its owner only.
            store::create_private(&to)?;
            #[cfg(unix)]
            std::fs::set_permissions(&to, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
            std::fs::write(&to, bytes)?;
            println!("wrote {} residents to {}", rows.len(), to.display());
            Ok(())
        }
        Cmd::Pb { cmd: PbCmd::Solve { rule, tie, json, timing, file } } => {
            crate::pb_cmd::solve(&rule, &tie, json, timing, &file)
        }
        Cmd::Pb { cmd: PbCmd::Import { db, community, rule, file } } => {
            crate::pb_cmd::import(&open(&db).await?, &community, &rule, &file).await
        }
        Cmd::Pb { cmd: PbCmd::Export { db, call, to } } => crate::pb_cmd::export(&open(&db).await?, call, &to).await,
        Cmd::Election { cmd: ElectionCmd::Tally { combined_ballot, file } } => {
            let (code, out) = crate::election_cmd::tally(&file, combined_ballot);
            // A closed pipe (`… | head`) is not an error worth a panic.
            let _ = std::io::Write::write_all(&mut std::io::stdout(), format!("{out}\n").as_bytes());
            if code != 0 {
                return Err(ExitStatus(code).into());
            }
            Ok(())
        }
        Cmd::Open311 { cmd: Open311Cmd::Key { cmd: KeyCmd::Add { db, name } } } => {
            let (c, key) =
                store::open311::add_client(&open(&db).await?, "cli", &name).await.map_err(|e| anyhow!("{e}"))?;
            println!("Open311 client {} — api_key (shown once, keep it safe):\n{key}", c.name);
            Ok(())
        }
        Cmd::Open311 { cmd: Open311Cmd::Key { cmd: KeyCmd::Revoke { db, name } } } => {
            let c = store::open311::revoke_client(&open(&db).await?, "cli", &name).await.map_err(|e| anyhow!("{e}"))?;
            println!("revoked the api_key of Open311 client {}", c.name);
            Ok(())
        }
        Cmd::Circle { cmd } => crate::circle_cmd::run(cmd).await,
        Cmd::Bench { cmd } => crate::bench::run(cmd).await,
    }
}
