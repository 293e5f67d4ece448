//! The outbox's delivery worker (issue 19), run by `shequ serve`: every
//! interval it takes the database lease (`store::WriteLock::Delivery`, one
//! process at a time on PostgreSQL), claims due messages in batches
//! (`store::notify::claim`, a lease per row that a killed worker leaves to run
//! out), routes each by the recipient's consent and preferences
//! (`notify::route`), holds non-urgent SMS in quiet hours, renders the city's
//! template, signs and sends it through its channel ([`channels`]) under the
//! gateway's rate limit, on a sending thread of its own ([`sender`]), and
//! settles the batch in one transaction: sent, failed (backoff with jitter,
//! dead after the last attempt), skipped or held.
//! `shequ sms-sink` ([`sink`]) is a local gateway and SMTP server to point it at.

pub mod channels;
pub mod sender;
pub mod sink;
pub mod smtp;

use notify::route::{Ask, Available, Channel, Route};
use notify::{quiet::QuietHours, retry::Next, retry::Retry};
use std::sync::Arc;
use std::time::Duration;
use store::Db;
use store::notify::{Outcome, Pending};

/// Where and how to deliver; read from flags and the environment.
#[derive(Clone, Default, clap::Args)]
pub struct NotifyArgs {
    /// The SMS gateway's URL, http:// or https:// (JSON POST signed with SHEQU_SMS_SECRET). Unset: SMS waits in the outbox.
    #[arg(long, env = "SHEQU_SMS_GATEWAY")]
    pub sms_gateway: Option<String>,
    /// Email to staff: smtp://host:port (a local relay), smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465.
    #[arg(long, env = "SHEQU_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The webhook for the app and WeChat Work bridges (signed like the SMS gateway).
    #[arg(long, env = "SHEQU_WEBHOOK_URL")]
    pub webhook_url: Option<String>,
}

/// The worker's settings.
#[derive(Clone)]
pub struct Config {
    pub sms_gateway: Option<String>,
    pub smtp: Option<smtp::Relay>,
    pub webhook: Option<String>,
    /// Signs requests to the gateway and webhook and checks their receipts.
    pub secret: Arc<Vec<u8>>,
    pub webhook_secret: Arc<Vec<u8>>,
    pub retry: Retry,
    pub quiet: Option<QuietHours>,
    pub interval: Duration,
    pub lease_secs: i64,
    pub batch: i64,
    /// Messages a second to the SMS gateway (0: no limit), and the burst.
    pub sms_rate: u64,
    pub concurrency: usize,
    /// The most SMS segments a text may take (longer ones are cut).
    pub max_parts: usize,
}

impl std::fmt::Debug for Config {
    /// The secrets stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("sms_gateway", &self.sms_gateway)
            .field("smtp", &self.smtp.as_ref().map(|r| r.addr.clone()))
            .field("webhook", &self.webhook)
            .field("secret", &"***")
            .field("retry", &self.retry)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// `21:00-08:00`, or `off`.
fn parse_quiet(s: &str) -> Option<QuietHours> {
    let (a, b) = s.trim().split_once('-')?;
    let t = |x: &str| {
        let (h, m) = x.trim().split_once(':')?;
        time::Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
    };
    Some(QuietHours { start: t(a)?, end: t(b)? })
}

impl Config {
    /// From the flags and SHEQU_SMS_SECRET, SHEQU_WEBHOOK_SECRET, SHEQU_SMTP_FROM, SHEQU_NOTIFY_INTERVAL_MS (2000),
    /// SHEQU_NOTIFY_RETRY_BASE_MS (30000), SHEQU_NOTIFY_RETRY_CAP_MS (3600000), SHEQU_NOTIFY_MAX_ATTEMPTS (8),
    /// SHEQU_NOTIFY_QUIET (21:00-08:00 China time, or off), SHEQU_NOTIFY_LEASE_SECS (60, and at least twice
    /// the time a batch takes at the rate cap, plus 10 s), SHEQU_NOTIFY_BATCH (1000, claimed in one statement and
    /// settled in one transaction), SHEQU_SMS_RATE (per second, 100, sent at an even pace; 0 = none),
    /// SHEQU_NOTIFY_CONCURRENCY (16).
    pub fn from_args(a: &NotifyArgs) -> anyhow::Result<Config> {
        let secret = std::env::var("SHEQU_SMS_SECRET").unwrap_or_default().into_bytes();
        if a.sms_gateway.is_some() && secret.is_empty() {
            anyhow::bail!("--sms-gateway needs SHEQU_SMS_SECRET (the HMAC key shared with the gateway)");
        }
        let webhook_secret = std::env::var("SHEQU_WEBHOOK_SECRET").map(String::into_bytes).unwrap_or(secret.clone());
        if a.webhook_url.is_some() && webhook_secret.is_empty() {
            anyhow::bail!("SHEQU_WEBHOOK_URL needs SHEQU_WEBHOOK_SECRET or SHEQU_SMS_SECRET");
        }
        let smtp = match &a.smtp_url {
            Some(u) => {
                Some(smtp::Relay::parse(u, &std::env::var("SHEQU_SMTP_FROM").unwrap_or("shequ@localhost".into()))?)
            }
            None => None,
        };
        let quiet = match std::env::var("SHEQU_NOTIFY_QUIET") {
            Ok(v) if v.trim() == "off" => None,
            Ok(v) => {
                Some(parse_quiet(&v).ok_or_else(|| anyhow::anyhow!("SHEQU_NOTIFY_QUIET must be HH:MM-HH:MM or off"))?)
            }
            Err(_) => Some(QuietHours::default()),
        };
        // A batch is sent at the gateway's pace before it is settled: the lease
        // on its rows must outlast that, or another worker would send them again.
        let (batch, sms_rate) = (env_num("SHEQU_NOTIFY_BATCH", 1000i64), env_num("SHEQU_SMS_RATE", 100u64));
        let pace = if sms_rate == 0 { 0 } else { batch.max(0) as u64 * 2 / sms_rate + 10 };
        Ok(Config {
            sms_gateway: a.sms_gateway.clone(),
            smtp,
            webhook: a.webhook_url.clone(),
            secret: Arc::new(secret),
            webhook_secret: Arc::new(webhook_secret),
            retry: Retry {
                base: Duration::from_millis(env_num("SHEQU_NOTIFY_RETRY_BASE_MS", 30_000)),
                cap: Duration::from_millis(env_num("SHEQU_NOTIFY_RETRY_CAP_MS", 3_600_000)),
                max_attempts: env_num("SHEQU_NOTIFY_MAX_ATTEMPTS", 8),
            },
            quiet,
            interval: Duration::from_millis(env_num("SHEQU_NOTIFY_INTERVAL_MS", 2000)),
            lease_secs: env_num("SHEQU_NOTIFY_LEASE_SECS", 60i64).max(pace as i64),
            batch,
            sms_rate,
            concurrency: env_num("SHEQU_NOTIFY_CONCURRENCY", 16),
            max_parts: env_num("SHEQU_SMS_MAX_PARTS", 4),
        })
    }

    /// True when some channel is configured (else the worker does not run).
    pub fn any(&self) -> bool {
        self.sms_gateway.is_some() || self.smtp.is_some() || self.webhook.is_some()
    }

    fn available(&self) -> Available {
        Available { sms: self.sms_gateway.is_some(), email: self.smtp.is_some(), webhook: self.webhook.is_some() }
    }
}

/// The worker: its settings and its sending thread ([`sender`]: the HTTP
/// client, the SMS gateway's bucket and the requests).
#[derive(Clone)]
pub struct Worker {
    cfg: Config,
    sender: Arc<std::sync::Mutex<sender::Sender>>,
}

/// Now plus `d`, rounded up to the whole second the outbox stores (so a
/// short backoff never lands before now and is claimed again in the same round).
fn later(d: Duration) -> String {
    let t = time::OffsetDateTime::now_utc() + d;
    let up = if t.nanosecond() > 0 { t + time::Duration::seconds(1) } else { t };
    store::clock::text(up)
}

impl Worker {
    pub fn new(cfg: Config) -> Worker {
        Worker { sender: Arc::new(std::sync::Mutex::new(sender::Sender::start(cfg.clone()))), cfg }
    }

    /// Messages claimed at once.
    pub fn batch(&self) -> i64 {
        self.cfg.batch
    }

    /// Runs forever: a round every interval, under the database lease.
    pub fn spawn(self, db: Db) {
        tokio::spawn(async move {
            tracing::info!(config = ?self.cfg, "delivery worker started");
            let mut tick = tokio::time::interval(self.cfg.interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match db.exclusively(store::WriteLock::Delivery, || self.drain(&db)).await {
                    Ok(None | Some(0)) => {}
                    Ok(Some(n)) => tracing::info!(messages = n, "outbox delivered"),
                    Err(e) => tracing::warn!(%e, "delivery round"),
                }
            }
        });
    }

    /// Claims and settles batches until nothing is due; how many were settled.
    pub async fn drain(&self, db: &Db) -> store::Result<usize> {
        let mut done = 0;
        loop {
            match self.round(db).await? {
                0 => return Ok(done),
                n => done += n,
            }
        }
    }

    /// One batch: claimed in one statement, sent at the gateway's even pace,
    /// settled in one transaction; how many messages it settled (0: none due).
    pub async fn round(&self, db: &Db) -> store::Result<usize> {
        let token = format!("{:016x}", rand::random::<u64>());
        let batch = store::notify::claim(db, &token, self.cfg.lease_secs, self.cfg.batch).await?;
        if batch.is_empty() {
            return Ok(0);
        }
        let templates = store::notify::templates::all(db).await?;
        let outcomes = self.deliver(batch, &templates).await;
        store::notify::settle(db, &token, &outcomes).await?;
        Ok(outcomes.len())
    }

    async fn deliver(
        &self,
        batch: Vec<Pending>,
        templates: &[store::notify::templates::Template],
    ) -> Vec<(i64, Outcome)> {
        let now = time::OffsetDateTime::now_utc();
        let mut out = Vec::with_capacity(batch.len());
        let mut jobs = Vec::with_capacity(batch.len());
        for m in batch {
            let ask = Ask { recipient_kind: &m.recipient_kind, recipient: &m.recipient, channel: &m.channel };
            match notify::route::route(ask, m.prefs().as_ref(), self.cfg.available()) {
                Route::Skip(why) => out.push((m.id, Outcome::Skipped { reason: why.to_string() })),
                Route::Hold(why) => {
                    out.push((m.id, Outcome::Held { until: later(Duration::from_secs(300)), reason: why.to_string() }))
                }
                Route::Send { channel, to } => {
                    let held = (channel == Channel::Sms && m.recipient_kind == "resident")
                        .then(|| self.cfg.quiet.and_then(|q| q.hold_until(now, m.urgent != 0)))
                        .flatten();
                    if let Some(until) = held {
                        let reason = "免打扰时段，次日早晨发送 / quiet hours: sent in the morning".to_string();
                        out.push((m.id, Outcome::Held { until: store::clock::text(until), reason }));
                        continue;
                    }
                    let (zh_t, en_t) = store::notify::templates::effective(templates, &m.kind);
                    jobs.push(sender::Job { m, channel, to, zh_t, en_t });
                }
            }
        }
        let to_send = self.sender.lock().expect("sender").clone();
        let sent = match to_send.send(jobs).await {
            Ok(sent) => sent,
            Err(sender::Stopped) => {
                // The batch's messages keep their claim until the lease runs out and are sent again then.
                tracing::error!("the delivery thread stopped; a new one is started");
                *self.sender.lock().expect("sender") = sender::Sender::start(self.cfg.clone());
                Vec::new()
            }
        };
        for (m, r) in sent {
            let o = match r {
                Ok(via) => Outcome::Sent { via },
                Err(error) => {
                    let attempts = u32::try_from(m.attempts).unwrap_or(u32::MAX).saturating_add(1);
                    let seed = notify::retry::mix(m.id as u64);
                    let retry_at = match self.cfg.retry.after_failure(attempts, seed) {
                        Next::After(d) => Some(later(d)),
                        Next::Dead => None,
                    };
                    Outcome::Failed { error, retry_at }
                }
            };
            out.push((m.id, o));
        }
        out
    }
}
