//! Subcommands: serve, demo, migrate, audit, backup, user, residents, pb, open311, circle, bench.

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use store::Db;
use store::seal::Seal;

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

#[derive(Subcommand)]
enum Cmd {
    /// Serve the web UI and the JSON API.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, env = "SHEQU_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
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
    },
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
        /// city_civil_affairs, auditor, organisation, provider, system_admin
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

pub async fn serve(db: Db, listen: &str, banner: Option<String>) -> Result<()> {
    // Overdue cases are escalated to their queue's supervisor by a sweep every five minutes.
    let sweeper = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            match store::cases::escalate_overdue(&sweeper).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(notices = n, "overdue cases escalated"),
                Err(e) => tracing::warn!(%e, "escalation sweep"),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr()?;
    println!("shequ 社区 is serving on http://{addr}/");
    if let Some(b) = banner {
        println!("{b}");
    }
    web::serve(listener, web::AppState::new(db), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

pub async fn run(cli: Cli) -> Result<()> {
    match cli.cmd {
        Cmd::Serve { db, listen } => serve(open(&db).await?, &listen, None).await,
        Cmd::Demo { db, listen, scale, no_serve } => {
            let db = open(&db).await?;
            if db.is_empty().await? {
                crate::demo::load(&db, scale).await?;
            } else {
                println!("The database already holds data; the demo leaves it as it is.");
            }
            if no_serve { Ok(()) } else { serve(db, &listen, Some(crate::demo::banner())).await }
        }
        Cmd::Migrate { db } => {
            open(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Cmd::Audit { cmd: AuditCmd::Verify { db } } => match store::audit::verify(&open(&db).await?).await? {
            store::audit::Verdict::Intact { entries } => {
                println!("audit chain intact: {entries} entries");
                Ok(())
            }
            store::audit::Verdict::Broken { seq, reason } => {
                eprintln!("audit chain BROKEN at entry {seq}: {reason}");
                std::process::exit(1);
            }
        },
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
            let bytes = std::fs::read(&file)?;
            let rows = store::residents_file::parse(&file.to_string_lossy(), &bytes).map_err(|m| anyhow!("{m}"))?;
            let bar = indicatif::ProgressBar::new(rows.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta}")
                    .unwrap_or(indicatif::ProgressStyle::default_bar()),
            );
            let report = store::residents::import(&d, "cli", 0, &community, &file.to_string_lossy(), rows, |n| {
                bar.inc(n as u64)
            })
            .await
            .map_err(|e| anyhow!("{e}"))?;
            bar.finish_and_clear();
            println!(
                "{} rows: {} added, {} already present, {} rejected",
                report.total,
                report.inserted,
                report.unchanged,
                report.rejected.len()
            );
            for r in &report.rejected {
                println!("  line {}: {} — {} / {}", r.line, r.field, r.zh, r.en);
            }
            Ok(())
        }
        Cmd::Residents { cmd: ResidentsCmd::Export { db, community, to } } => {
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
                store::residents_file::write_xlsx(&rows).map_err(|e| anyhow!(e))?
            } else {
                store::residents_file::write_csv(&rows)
            };
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
