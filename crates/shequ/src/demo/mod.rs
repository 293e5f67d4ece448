//! The Tongling demo: real districts and big communities (rules §4), their
//! three bodies, the functions register, resident units, staff for every
//! role, and generated residents with valid ID numbers.
//!
//! One file per concept, loaded in this order by [`load`]: `structure`
//! (districts, communities, bodies, committees, units), `users` (a log-in for
//! every role), `residents`, `budgeting` (resident-chosen projects),
//! `deliberation` (topics, meetings, stewards), `finance`, `party` (co-building
//! with resident units, illustrative), `lists`,
//! `service_items`, then `open311`, `providers` and `cases`. `generate` holds
//! the deterministic generator and word lists they share.

mod budgeting;
mod cases;
mod deliberation;
mod elections;
mod finance;
mod generate;
mod lists;
mod living_circle;
pub use living_circle::DEMO_NETWORK;
pub mod open311;
mod orgs;
mod party;
mod providers;
mod residents;
mod service_items;
mod structure;
mod users;

use anyhow::{Result, anyhow};
use rules::division::BIG_COMMUNITIES;
use store::Db;

pub use residents::generate_inputs;
pub use users::{DEMO_DEPARTMENTS, DEMO_USERS};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Scale {
    /// 5 residents per community: for tests.
    #[value(hide = true)]
    Tiny,
    /// 23 communities, 200 residents each: starts in seconds.
    Small,
    /// A stress size: ≈740,000 residents spread over the 23 urban communities.
    /// The source article's 74万 is the population of the whole city (郊区 and
    /// the counties included), not of these 23 communities.
    City,
}

pub const DEMO_PASSWORD: &str = "shequ-demo-2010";

/// What loading the demo drew at random and can show only now.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The demo Open311 client's api_key (the database keeps only its hash).
    pub open311_key: String,
}

/// The demo's log-ins, and the Open311 key if the demo was just loaded.
pub fn banner(loaded: Option<&Loaded>) -> String {
    let mut s = String::from("Demo log-ins (password for all: ");
    s.push_str(DEMO_PASSWORD);
    s.push_str("):\n");
    for (u, name, role, _) in DEMO_USERS {
        s.push_str(&format!("  {u:<14} {:<20} {name}\n", role.as_str()));
    }
    s + &open311::banner(loaded.map(|l| l.open311_key.as_str())) + NOTIFY_BANNER
}

/// How to watch the outbox go out (issue 19): a local gateway and mail sink.
const NOTIFY_BANNER: &str = "Notifications: the outbox waits until a channel is configured. To watch it go out:\n  \
SHEQU_SMS_SECRET=demo-secret shequ sms-sink --listen 127.0.0.1:9099 --smtp 127.0.0.1:2525 \
--receipts http://127.0.0.1:8080/api/v1/notify/receipts\n  \
SHEQU_SMS_SECRET=demo-secret SHEQU_SMTP_URL=smtp://127.0.0.1:2525 SHEQU_WEBHOOK_URL=http://127.0.0.1:9099/webhook \
shequ demo --sms-gateway http://127.0.0.1:9099/sms\n";

pub async fn load(db: &Db, scale: Scale) -> Result<Loaded> {
    let t0 = std::time::Instant::now();
    structure::load(db).await?;
    users::load(db).await?;
    let per_community = match scale {
        Scale::Tiny => 5,
        Scale::Small => 200,
        Scale::City => 740_000 / BIG_COMMUNITIES.len(),
    };
    residents::load(db, per_community).await?;
    elections::load(db).await?;
    budgeting::load(db).await?;
    deliberation::load(db).await?;
    finance::load(db).await?;
    party::load(db).await?;
    orgs::load(db).await?;
    lists::load(db).await?;
    service_items::load(db).await?;
    store::cases::adopt_all(db).await.map_err(|e| anyhow!("{e}"))?;
    let open311_key = open311::load(db).await?;
    providers::load(db).await?;
    cases::load(db, scale).await?;
    living_circle::load(db, if matches!(scale, Scale::Tiny) { 400.0 } else { 100.0 }).await?;
    println!("demo loaded in {:.1}s", t0.elapsed().as_secs_f64());
    store::seed::mark_invented(db).await?;
    Ok(Loaded { open311_key })
}
