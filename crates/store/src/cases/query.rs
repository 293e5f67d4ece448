//! Reading cases: queues and lists from the projection columns (no history
//! replay per row), a resident's own cases, a caller's cases by phone, and the
//! statistics and league table from the live tallies.

use super::projection::{o, sla_state};
use super::{Case, CaseView, item_cached, now, ts};
use crate::sql::Sql;
use crate::typed::Word;
use crate::{Db, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// Also the WHERE of the partial indexes `cases_open_by_community` and `cases_open_by_district` (0013).
const OPEN: &str = "('accepted', 'routed', 'in_progress', 'returned_for_materials')";

/// Adds the item's name and the time-limit state to a case.
pub async fn view(db: &Db, c: Case) -> Result<CaseView> {
    let it = item_cached(db, &c.item_code).await?;
    let state = sla_state(&c, &ts(now()));
    Ok(CaseView {
        item_name: it.name.clone(),
        limit_days: it.limit_days,
        deadline: c.deadline_at.clone(),
        sla_state: state.map(str::to_string),
        overdue: matches!(state, Some("overdue" | "missed")),
        case: c,
    })
}

async fn views(db: &Db, rows: Vec<Case>) -> Result<Vec<CaseView>> {
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        out.push(view(db, c).await?);
    }
    Ok(out)
}

/// Which cases a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub community: Option<String>,
    pub district: Option<String>,
    /// Cases led by this queue (or co-handled by it).
    pub queue: Option<String>,
    /// open | overdue | callback | done | a status name; None: all.
    pub status: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

/// One page of a list.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub cases: Vec<CaseView>,
    pub offset: i64,
    pub more: bool,
}

/// A page of cases: a queue's open cases most urgent first, otherwise newest first.
pub async fn list(db: &Db, f: &ListFilter) -> Result<Page> {
    let limit = if f.limit <= 0 { 50 } else { f.limit.min(200) };
    let offset = f.offset.max(0);
    let filter = |q: &mut Sql| -> bool {
        if let Some(c) = &f.community {
            q.push(" AND community_code = ").bind(c.as_str());
        }
        if let Some(d) = &f.district {
            q.push(" AND district_code = ").bind(d.as_str());
        }
        if let Some(queue) = &f.queue {
            q.push(" AND (lead_queue = ").bind(queue.as_str());
            // Co-handled cases: only the open ones are scanned.
            q.push(&format!(" OR (status IN {OPEN} AND co_handlers LIKE "))
                .bind(format!("%\"{}\"%", queue.replace(['%', '_'], "")))
                .push("))");
        }
        match f.status.as_deref() {
            None | Some("" | "all") => false,
            Some("open") => {
                q.push(&format!(" AND status IN {OPEN}"));
                true
            }
            Some("overdue") => {
                q.push(&format!(" AND status IN {OPEN} AND deadline_at < ")).bind(ts(now()));
                true
            }
            Some("callback") => {
                q.push(" AND status IN ('resolved', 'callback')");
                false
            }
            Some("done") => {
                q.push(" AND status IN ('resolved', 'callback', 'closed', 'rejected')");
                false
            }
            Some(s) => {
                q.push(" AND status = ").bind(s);
                false
            }
        }
    };
    let mut q = Sql::new(db.dialect, "SELECT * FROM cases WHERE 1 = 1");
    let by_deadline = filter(&mut q);
    if by_deadline && f.status.as_deref() == Some("overdue") {
        // Overdue cases all have a deadline: one run in deadline order.
        q.push(&format!(" ORDER BY deadline_at, id LIMIT {} OFFSET {offset}", limit + 1));
    } else if by_deadline {
        // Most urgent first, then the cases whose clock is stopped (no deadline), on both
        // databases. Two ordered runs, each read straight off an index in order and cut
        // at the page's end, then the few rows of both put in order: one ORDER BY with a
        // CASE over all the open cases of a queue would sort them all for every page.
        let end = limit + 1 + offset;
        let mut u =
            Sql::new(db.dialect, "SELECT * FROM (SELECT 0 AS stopped, r.* FROM (SELECT * FROM cases WHERE 1 = 1");
        filter(&mut u);
        u.push(&format!(" AND deadline_at IS NOT NULL ORDER BY deadline_at, id LIMIT {end}) AS r"));
        u.push(" UNION ALL SELECT 1 AS stopped, s.* FROM (SELECT * FROM cases WHERE 1 = 1");
        filter(&mut u);
        // Ordered as the index is ((community|district), deadline_at, id), not by the primary
        // key, which the planner might walk end to end looking for a few stopped clocks.
        u.push(&format!(" AND deadline_at IS NULL ORDER BY deadline_at, id LIMIT {end}) AS s) AS page"));
        u.push(&format!(" ORDER BY stopped, deadline_at, id LIMIT {} OFFSET {offset}", limit + 1));
        q = u;
    } else {
        q.push(&format!(" ORDER BY id DESC LIMIT {} OFFSET {offset}", limit + 1));
    }
    let mut rows: Vec<Case> = q.query_as().fetch_all(&db.pool).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok(Page { cases: views(db, rows).await?, offset, more })
}

/// A resident's own cases, newest first (the newest 100).
pub async fn mine(db: &Db, resident_id: i64) -> Result<crate::Capped<CaseView>> {
    let rows: Vec<Case> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM cases WHERE resident_id = $1 ORDER BY id DESC{}",
        crate::capped::limit(100)
    )))
    .bind(resident_id)
    .fetch_all(&db.pool)
    .await?;
    let crate::Capped { rows, cap, more } = crate::Capped::cut(rows, 100);
    Ok(crate::Capped { rows: views(db, rows).await?, cap, more })
}

/// A caller's cases in a community by phone number, newest first.
pub async fn lookup_phone(db: &Db, community: &str, phone: &str) -> Result<Vec<CaseView>> {
    let rows: Vec<Case> =
        sqlx::query_as("SELECT * FROM cases WHERE caller_phone = $1 AND community_code = $2 ORDER BY id DESC LIMIT 50")
            .bind(phone.trim())
            .bind(community)
            .fetch_all(&db.pool)
            .await?;
    views(db, rows).await
}

/// A count per name.
pub type Tally = Vec<(String, i64)>;

/// The service center's figures for a scope, from the live tallies.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CaseStats {
    pub total: i64,
    pub open: i64,
    pub overdue_now: i64,
    pub by_status: Tally,
    pub by_channel: Tally,
    pub by_category: Tally,
    pub resolved: i64,
    pub on_time: i64,
    /// Share of resolutions before their deadline, 0–1.
    pub on_time_rate: Option<f64>,
    pub avg_handle_hours: Option<f64>,
    pub avg_respond_hours: Option<f64>,
    pub rated: i64,
    /// Mean overall rating, 1–5.
    pub satisfaction: Option<f64>,
    /// Share of ratings that were not dissatisfied (overall ≥ 3), 0–1.
    pub satisfied_rate: Option<f64>,
    pub reopened: i64,
    /// Hotline cases resolved (the 2881890 counter).
    pub hotline_solved: i64,
}

fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn sorted(m: BTreeMap<String, i64>) -> Tally {
    let mut v: Tally = m.into_iter().filter(|(_, n)| *n != 0).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

type OutcomeRow = (String, String, String, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

async fn outcome_rows(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Vec<OutcomeRow>> {
    let sums: Vec<String> = o::COLUMNS.iter().map(|c| format!("CAST(SUM({c}) AS BIGINT)")).collect();
    let sql = format!(
        "SELECT channel, category, queue, {} FROM case_outcome WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) GROUP BY channel, category, queue",
        sums.join(", ")
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(community.map(str::to_string))
        .bind(district.map(str::to_string))
        .fetch_all(&db.pool)
        .await?)
}

async fn tally_rows(
    db: &Db,
    community: Option<&str>,
    district: Option<&str>,
) -> Result<Vec<(String, String, String, String, i64)>> {
    crate::sql::scoped(
        db,
        "SELECT channel, category, queue, status, CAST(SUM(n) AS BIGINT) FROM case_tally WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) GROUP BY channel, category, queue, status",
        community,
        district,
    )
    .await
}

/// Live figures for a community, a district or (both None) the city.
pub async fn stats(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<CaseStats> {
    let mut s = CaseStats::default();
    let (mut st, mut ch, mut cat) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    // Summed over the queues in SQL: a tenth of the rows to carry over (issue 13, point 4).
    let rows: Vec<(String, String, String, i64)> = crate::sql::scoped(
        db,
        "SELECT channel, category, status, CAST(SUM(n) AS BIGINT) FROM case_tally WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) GROUP BY channel, category, status",
        community,
        district,
    )
    .await?;
    for (channel, category, status, n) in rows {
        s.total += n;
        use cases::Status::*;
        if matches!(cases::Status::from_word(&status)?, Accepted | Routed | InProgress | ReturnedForMaterials) {
            s.open += n;
        }
        *st.entry(status).or_insert(0) += n;
        *ch.entry(channel).or_insert(0) += n;
        *cat.entry(category).or_insert(0) += n;
    }
    (s.by_status, s.by_channel, s.by_category) = (sorted(st), sorted(ch), sorted(cat));
    let (mut handle, mut respond_n, mut respond) = (0i64, 0i64, 0i64);
    let (mut overall, mut unhappy) = (0i64, 0i64);
    for r in outcome_rows(db, community, district).await? {
        s.resolved += r.3;
        s.on_time += r.4;
        handle += r.5;
        respond_n += r.6;
        respond += r.7;
        s.rated += r.8;
        overall += r.9;
        unhappy += r.12;
        s.reopened += r.13;
        if r.0 == "hotline" {
            s.hotline_solved += r.3;
        }
    }
    s.on_time_rate = ratio(s.on_time, s.resolved);
    s.avg_handle_hours = ratio(handle, s.resolved).map(|x| x / 3600.0);
    s.avg_respond_hours = ratio(respond, respond_n).map(|x| x / 3600.0);
    s.satisfaction = ratio(overall, s.rated);
    s.satisfied_rate = ratio(s.rated - unhappy, s.rated);
    let mut q = Sql::new(
        db.dialect,
        &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE status IN {OPEN} AND deadline_at < "),
    );
    q.bind(ts(now()));
    if let Some(c) = community {
        q.push(" AND community_code = ").bind(c);
    }
    if let Some(d) = district {
        q.push(" AND district_code = ").bind(d);
    }
    s.overdue_now = q.query_scalar().fetch_one(&db.pool).await?;
    Ok(s)
}

/// One handling unit (queue) in the public league table.
#[derive(Debug, Clone, Serialize)]
pub struct League {
    pub queue: String,
    pub name: String,
    pub resolved: i64,
    pub open: i64,
    pub on_time_rate: Option<f64>,
    pub avg_respond_hours: Option<f64>,
    pub avg_handle_hours: Option<f64>,
    pub satisfaction: Option<f64>,
    pub rated: i64,
    pub reopened: i64,
}

/// Handling units ranked by on-time rate, then satisfaction.
pub async fn league(db: &Db, district: Option<&str>) -> Result<Vec<League>> {
    let names: BTreeMap<String, String> = sqlx::query_as::<_, (String, String)>("SELECT code, name FROM communities")
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .collect();
    let mut acc: BTreeMap<String, [i64; 12]> = BTreeMap::new();
    for r in outcome_rows(db, None, district).await? {
        let a = acc.entry(r.2.clone()).or_default();
        for (i, v) in [r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13].into_iter().enumerate() {
            a[i] += v;
        }
    }
    for (_, _, queue, status, n) in tally_rows(db, None, district).await? {
        use cases::Status::*;
        if matches!(cases::Status::from_word(&status)?, Routed | InProgress | ReturnedForMaterials) {
            acc.entry(queue).or_default()[11] += n;
        }
    }
    let mut out: Vec<League> = acc
        .into_iter()
        .filter(|(q, _)| !q.is_empty())
        .map(|(queue, a)| {
            let name = match queue.split_once(':') {
                Some(("community", c)) => names.get(c).cloned().unwrap_or_else(|| c.to_string()),
                Some((_, n)) => n.to_string(),
                None => queue.clone(),
            };
            League {
                name,
                resolved: a[o::RESOLVED],
                open: a[11],
                on_time_rate: ratio(a[o::ON_TIME], a[o::RESOLVED]),
                avg_respond_hours: ratio(a[o::RESPOND_SECS], a[o::RESPOND]).map(|x| x / 3600.0),
                avg_handle_hours: ratio(a[o::HANDLE_SECS], a[o::RESOLVED]).map(|x| x / 3600.0),
                satisfaction: ratio(a[o::OVERALL], a[o::RATED]),
                rated: a[o::RATED],
                reopened: a[o::REOPENED],
                queue,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let k = |l: &League| (l.on_time_rate.unwrap_or(-1.0), l.satisfaction.unwrap_or(0.0));
        k(b).partial_cmp(&k(a)).unwrap_or(std::cmp::Ordering::Equal).then(a.name.cmp(&b.name))
    });
    Ok(out)
}
