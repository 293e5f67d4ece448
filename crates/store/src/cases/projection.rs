//! What a case's history implies for its `cases` row (status, queues,
//! deadline, warning time, resolution, rating) and for the live tallies.
//! Everything here is recomputed from the engine's history at each write;
//! nothing is hand-set.

use super::{Case, ts};
use crate::Result;
use crate::sql::{Sql, Val};
use crate::typed::Word;
use cases::state::{Clock, Status};
use cases::{Calendar, CaseState, Event, HistoryRecord, SlaState};
use std::collections::BTreeMap;
use std::sync::LazyLock;
use time::OffsetDateTime;

/// China's working-day calendar, built once.
pub(crate) static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::china);

/// Warning this many working days before the deadline (the engine's default policy).
const WARN_DAYS: i64 = 1;

/// The projection columns of a case after its last history record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Proj {
    pub status: Status,
    pub lead: Option<String>,
    pub co_handlers: String,
    pub deadline_at: Option<String>,
    pub warn_at: Option<String>,
    pub resolved_at: Option<String>,
    pub on_time: Option<i64>,
    pub rating: Option<i64>,
    pub updated_at: String,
}

pub(crate) fn project(h: &[HistoryRecord], st: &CaseState, limit_days: i64) -> Proj {
    let at = st.updated_at;
    let s = cases::sla(h, limit_days as u32, &CAL, at).ok();
    let clock = st.status.clock();
    let deadline_at = s.as_ref().filter(|_| clock != Clock::Stopped).map(|s| ts(s.deadline));
    let warn_at = s.as_ref().filter(|_| clock == Clock::Running).map(|s| {
        let window = WARN_DAYS * CAL.minutes_per_working_day();
        let left = s.remaining_working_minutes - window;
        ts(if left > 0 { CAL.advance(at, left * 60) } else { at })
    });
    let on_time = st.resolved_at.and(s.as_ref()).map(|s| i64::from(s.state == SlaState::Met));
    let (lead, co) = match &st.assignment {
        Some(a) => (Some(a.lead.0.clone()), a.co_handlers.iter().map(|q| q.0.clone()).collect::<Vec<_>>()),
        None => (None, vec![]),
    };
    Proj {
        status: st.status,
        lead,
        co_handlers: serde_json::json!(co).to_string(),
        deadline_at,
        warn_at,
        resolved_at: st.resolved_at.map(ts),
        on_time,
        rating: st.rating.as_ref().map(|r| i64::from(r.overall)),
        updated_at: ts(at),
    }
}

/// The sla state shown in lists, from the projection alone (no history read).
pub(crate) fn sla_state(c: &Case, now: &str) -> Option<&'static str> {
    Some(match c.status {
        Status::ReturnedForMaterials => "stopped",
        Status::Resolved | Status::Callback | Status::Closed => {
            if c.on_time == Some(1) {
                "met"
            } else {
                "missed"
            }
        }
        Status::Rejected => return None,
        _ => match (&c.deadline_at, &c.warn_at) {
            (Some(d), _) if d.as_str() < now => "overdue",
            (_, Some(w)) if w.as_str() <= now => "warning",
            (Some(_), _) => "on_time",
            _ => return None,
        },
    })
}

/// Keys of both tallies: community, district, channel, category, queue.
pub(crate) type Key = (String, String, String, String, String);

pub(crate) fn key(c: &Case, queue: Option<&str>) -> Key {
    (
        c.community_code.clone(),
        c.district_code.clone(),
        c.channel.word().to_string(),
        c.category.clone(),
        queue.unwrap_or("").to_string(),
    )
}

/// Changes to `case_tally` (per status) and `case_outcome` (sums).
#[derive(Debug, Default)]
pub(crate) struct Deltas {
    pub tally: BTreeMap<(Key, String), i64>,
    pub outcome: BTreeMap<Key, [i64; 11]>,
}

/// Indexes into an outcome row.
pub(crate) mod o {
    pub const RESOLVED: usize = 0;
    pub const ON_TIME: usize = 1;
    pub const HANDLE_SECS: usize = 2;
    pub const RESPOND: usize = 3;
    pub const RESPOND_SECS: usize = 4;
    pub const RATED: usize = 5;
    pub const OVERALL: usize = 6;
    pub const SPEED: usize = 7;
    pub const ATTITUDE: usize = 8;
    pub const UNHAPPY: usize = 9;
    pub const REOPENED: usize = 10;
    pub const COLUMNS: [&str; 11] = [
        "resolved_n",
        "on_time_n",
        "handle_secs",
        "respond_n",
        "respond_secs",
        "rated_n",
        "overall_sum",
        "speed_sum",
        "attitude_sum",
        "unhappy_n",
        "reopened_n",
    ];
}

impl Deltas {
    /// A case moved from (queue, status) to (queue, status).
    pub fn moved(&mut self, before: Option<(Key, Status)>, after: (Key, Status)) {
        if let Some((k, s)) = before {
            *self.tally.entry((k, s.word().to_string())).or_default() -= 1;
        }
        *self.tally.entry((after.0, after.1.word().to_string())).or_default() += 1;
    }

    /// What one history record adds to the outcome sums.
    pub fn record(&mut self, k: Key, r: &HistoryRecord, accepted_at: OffsetDateTime, on_time: Option<i64>) {
        let secs = (r.at - accepted_at).whole_seconds().max(0);
        let row = self.outcome.entry(k).or_default();
        match &r.event {
            Event::Start | Event::Arrive if r.from == Some(Status::Routed) => {
                row[o::RESPOND] += 1;
                row[o::RESPOND_SECS] += secs;
            }
            Event::Resolve { .. } => {
                row[o::RESOLVED] += 1;
                row[o::ON_TIME] += on_time.unwrap_or(0);
                row[o::HANDLE_SECS] += secs;
            }
            Event::Rate { rating, .. } => {
                row[o::RATED] += 1;
                row[o::OVERALL] += i64::from(rating.overall);
                row[o::SPEED] += i64::from(rating.speed);
                row[o::ATTITUDE] += i64::from(rating.attitude);
                row[o::UNHAPPY] += i64::from(rating.is_dissatisfied());
            }
            Event::Reopen { .. } => row[o::REOPENED] += 1,
            _ => {}
        }
    }

    /// Writes both tallies with one upsert each.
    pub async fn write(self, dialect: crate::Dialect, tx: &mut sqlx::AnyConnection) -> Result<()> {
        crate::sql::execute_all(tx, self.statements(dialect)).await
    }

    /// The upserts that apply these deltas.
    pub fn statements(self, dialect: crate::Dialect) -> Vec<Sql> {
        self.statements_padded(dialect, 0)
    }

    /// [`Deltas::statements`] with, on SQLite, at least `rows` tally rows
    /// (the first repeated with nothing to add): an upsert whose text depends
    /// only on the batch's size stays prepared. SQLite applies a repeated
    /// key in one upsert row by row; PostgreSQL refuses it, so there the
    /// tally is never padded.
    pub fn statements_padded(self, dialect: crate::Dialect, rows: usize) -> Vec<Sql> {
        let mut out = Vec::new();
        let mut tally: Vec<_> = self.tally.into_iter().filter(|(_, n)| *n != 0).collect();
        if dialect == crate::Dialect::Sqlite
            && let Some(first) = tally.first().map(|(k, _)| k.clone())
        {
            tally.resize(rows.max(tally.len()), (first, 0));
        }
        if !tally.is_empty() {
            let mut q = Sql::new(
                dialect,
                "INSERT INTO case_tally (community_code, district_code, channel, category, queue, status, n)",
            );
            q.values(&tally, |((k, s), n)| {
                vec![
                    Val::from(k.0.as_str()),
                    k.1.as_str().into(),
                    k.2.as_str().into(),
                    k.3.as_str().into(),
                    k.4.as_str().into(),
                    s.as_str().into(),
                    (*n).into(),
                ]
            });
            // A padding row (nothing to add) finds its key and writes nothing.
            q.push(
                " ON CONFLICT (community_code, channel, category, queue, status) DO UPDATE SET n = case_tally.n + excluded.n \
                 WHERE excluded.n <> 0",
            );
            out.push(q);
        }
        let outcome: Vec<_> = self.outcome.into_iter().filter(|(_, r)| r.iter().any(|v| *v != 0)).collect();
        if !outcome.is_empty() {
            let mut q = Sql::new(
                dialect,
                format!(
                    "INSERT INTO case_outcome (community_code, district_code, channel, category, queue, {})",
                    o::COLUMNS.join(", ")
                ),
            );
            q.values(&outcome, |(k, r)| {
                let mut v = vec![
                    Val::from(k.0.as_str()),
                    k.1.as_str().into(),
                    k.2.as_str().into(),
                    k.3.as_str().into(),
                    k.4.as_str().into(),
                ];
                v.extend(r.iter().map(|n| Val::from(*n)));
                v
            });
            let sets: Vec<String> =
                o::COLUMNS.iter().map(|c| format!("{c} = case_outcome.{c} + excluded.{c}")).collect();
            q.push(&format!(
                " ON CONFLICT (community_code, channel, category, queue) DO UPDATE SET {}",
                sets.join(", ")
            ));
            out.push(q);
        }
        out
    }
}
