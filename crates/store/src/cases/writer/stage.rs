//! A batch of the case writer made ready: its cases numbered and staged one
//! by one ([`Stage::add`]), then its statements made at once ([`Stage::finish`]).

use super::Heads;
use crate::Dialect;
use crate::Result;
use crate::audit::{Entry, Reserved};
use crate::cases::intake::Accepted;
use crate::cases::nearby::{Nearby, Probe};
use crate::cases::projection::{Deltas, key};
use crate::cases::{Case, ts};
use crate::sql::{Sql, Val};
use crate::typed::Word;
use cases::CaseId;
use serde_json::json;

/// A batch ready to be written in one call: its statements (after `stmts`,
/// the ones that begin it), its rows, and the heads it leaves.
pub(super) struct Built {
    pub(super) stmts: Vec<Sql>,
    pub(super) rows: Vec<Case>,
    pub(super) after: Heads,
}

/// Stages every case of the batch and makes its statements.
pub(super) fn build(
    dialect: Dialect,
    nearby: &mut Nearby,
    mut stage: Stage,
    batch: &[&Accepted],
    probes: &[Probe],
    stmts: Vec<Sql>,
) -> Result<Built> {
    for (r, probe) in batch.iter().zip(probes) {
        stage.add(nearby, r, probe)?;
    }
    Ok(stage.finish(dialect, batch, stmts))
}

/// A batch's cases numbered after the heads it started from, with their
/// duplicates flagged, rows, history and tally moves: all but the statements.
pub(super) struct Stage {
    base: i64,
    head: Reserved,
    appends: u64,
    rows: Vec<Case>,
    history: Vec<(i64, cases::HistoryRecord, String)>,
    deltas: Deltas,
}

impl Stage {
    pub(super) fn new(base: i64, head: Reserved, appends: u64) -> Stage {
        Stage { base, head, appends, rows: Vec::new(), history: Vec::new(), deltas: Deltas::default() }
    }

    /// Numbered after what the writer's last commit left.
    pub(super) fn after(h: &Heads) -> Stage {
        Stage::new(h.last_case, h.audit.clone(), h.appends)
    }

    /// No other write of this process has begun an audit append since the heads were read.
    pub(super) fn current(&self) -> bool {
        self.appends == crate::audit::appends()
    }

    /// Numbers the next case, flags its duplicates (adding it to the picture
    /// of open cases), and builds its row and history.
    pub(super) fn add(&mut self, nearby: &mut Nearby, r: &Accepted, probe: &Probe) -> Result<()> {
        let id = self.base + 1 + self.rows.len() as i64;
        let cid = CaseId::new(id.to_string());
        let summary = probe.summary(cid.clone());
        let dups = nearby.duplicates(probe, &summary);
        nearby.add(probe, &summary);
        let t = &r.taken;
        let mut row = t.row.clone();
        row.id = id;
        row.duplicates = json!(dups).to_string();
        for rec in &t.history {
            let mut rec = rec.clone();
            rec.case_id = cid.clone();
            let text = crate::cases::history_text(&rec)?;
            self.history.push((id, rec, text));
        }
        self.deltas.moved(None, (key(&row, row.lead_queue.as_deref()), row.status));
        self.rows.push(row);
        Ok(())
    }

    /// The batch's rows, history, acknowledgements, audit entries chained on
    /// the head, tallies and the commit, after `stmts`; `batch` is the cases
    /// staged, in order.
    pub(super) fn finish(self, dialect: Dialect, batch: &[&Accepted], mut stmts: Vec<Sql>) -> Built {
        let Stage { base, head, appends, rows, history, deltas } = self;
        for chunk in rows.chunks(200) {
            let mut q = Sql::new(dialect, CASE_COLUMNS);
            q.values(chunk, |c| {
                vec![
                    c.id.into(),
                    c.community_code.as_str().into(),
                    c.district_code.as_str().into(),
                    c.item_code.as_str().into(),
                    c.channel.into(),
                    c.resident_id.into(),
                    c.caller_name.as_str().into(),
                    c.caller_phone.as_str().into(),
                    c.description.as_str().into(),
                    c.answers.as_str().into(),
                    c.address.as_str().into(),
                    c.building.as_str().into(),
                    c.lat.into(),
                    c.lon.into(),
                    c.lead_queue.clone().into(),
                    c.status.into(),
                    c.duplicates.as_str().into(),
                    c.created_at.as_str().into(),
                    c.updated_at.as_str().into(),
                    c.category.as_str().into(),
                    c.deadline_at.clone().into(),
                    c.warn_at.clone().into(),
                    Val::Text(None),
                    Val::Int(None),
                    Val::Int(None),
                    c.co_handlers.as_str().into(),
                    Val::Int(None),
                ]
            });
            stmts.push(q);
        }
        for chunk in history.chunks(400) {
            let mut q = Sql::new(dialect, "INSERT INTO case_history (case_id, seq, at, record)");
            q.values(chunk, |(id, r, text)| {
                vec![(*id).into(), i64::from(r.seq).into(), ts(r.at).into(), text.as_str().into()]
            });
            stmts.push(q);
        }
        stmts.extend(acknowledgements(dialect, &rows));
        let ids: Vec<String> = rows.iter().map(|c| c.id.to_string()).collect();
        // The one write whose audit entries do not go through `audit::record`:
        // the batch is sent as one multi-statement call (reserve, rows, entries,
        // head, commit), so its entries are built as statements, chained on the
        // head the stage started from.
        let entries: Vec<Entry> = rows
            .iter()
            .zip(batch)
            .zip(&ids)
            .map(|((c, r), id)| Entry {
                actor: &r.ready.actor,
                action: "case.create",
                entity: "case",
                entity_id: id,
                community_code: Some(&c.community_code),
                district_code: Some(&c.district_code),
                change: json!({ "item": c.item_code, "channel": c.channel.word(), "queue": c.lead_queue, "duplicates": c.duplicates }),
            })
            .collect();
        let (audit, (last_seq, last_hash)) = crate::audit::append_statements(dialect, head, &entries);
        stmts.extend(audit);
        // The rows, history, acknowledgements, audit entries, tallies and the
        // commit: a text that depends only on the batch's size, so it stays prepared.
        stmts.extend(deltas.statements_padded(dialect, batch.len()));
        stmts.push(Sql::new(dialect, "COMMIT"));
        let after =
            Heads { last_case: base + batch.len() as i64, audit: Reserved::after(last_seq, last_hash), appends };
        Built { stmts, rows, after }
    }
}

/// Tells each resident their case number and deadline (one outbox insert for the batch).
fn acknowledgements(dialect: Dialect, rows: &[Case]) -> Vec<Sql> {
    let now = crate::clock::now_text();
    let notes: Vec<(&Case, crate::outbox::To)> =
        rows.iter().filter_map(|c| crate::cases::events::resident_address(c).map(|to| (c, to))).collect();
    let mut out = Vec::new();
    for chunk in notes.chunks(200) {
        let mut q = Sql::new(
            dialect,
            "INSERT INTO outbox (community_code, district_code, case_id, recipient_kind, recipient, channel, body_zh, body_en, created_at, kind)",
        );
        q.values(chunk, |(c, to)| {
            let due = c.deadline_at.as_deref().map(crate::cases::due_day).unwrap_or_default();
            vec![
                c.community_code.as_str().into(),
                c.district_code.as_str().into(),
                c.id.into(),
                to.kind.into(),
                to.recipient.into(),
                to.channel.into(),
                format!("您的诉求已受理，编号第{}号，办理期限至{due}。", c.id).into(),
                format!("Your request is registered as no. {}; it is due by {due}.", c.id).into(),
                now.as_str().into(),
                "case_ack".into(),
            ]
        });
        out.push(q);
    }
    out
}

const CASE_COLUMNS: &str = "INSERT INTO cases (id, community_code, district_code, item_code, channel, resident_id, caller_name, \
     caller_phone, description, answers, address, building, lat, lon, lead_queue, status, duplicates, created_at, updated_at, \
     category, deadline_at, warn_at, resolved_at, on_time, rating, co_handlers, linked_to)";
