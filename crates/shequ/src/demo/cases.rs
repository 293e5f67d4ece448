//! The service center's past weeks for the demo: cases at the counter, on the
//! hotline, online and through Open311 across several communities, most
//! handled and rated, some open, a few overdue, waiting for materials or
//! rejected — written through the same engine and store as live work, at
//! their past times, so that the queues, statistics and league table show
//! what a working center looks like.

use super::Scale;
use anyhow::{Result, anyhow};
use store::Db;
use store::cases::{self as cs, NewCase, NewEvent};
use time::{Duration, OffsetDateTime};

/// A small deterministic generator: the same demo every time.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

const NAMES: [&str; 10] =
    ["张秀英", "李建国", "王桂兰", "刘志强", "陈美华", "杨德福", "赵丽娟", "黄国平", "周玉梅", "吴长林"];
const COMMUNITIES: [&str; 6] = ["340705402", "340705403", "340705401", "340705404", "340705405", "340705406"];

fn ev(event: &str, reason: &str) -> NewEvent {
    NewEvent { event: event.into(), reason: reason.into(), ..Default::default() }
}

pub async fn load(db: &Db, scale: Scale) -> Result<()> {
    let e = |e: store::StoreError| anyhow!("{e}");
    let n = match scale {
        Scale::Tiny => 24,
        Scale::Small | Scale::City => 360,
    };
    let items = cs::items(db).await.map_err(e)?;
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(OffsetDateTime::now_utc());
    let mut g = Lcg(2010);
    for i in 0..n {
        let community = COMMUNITIES[g.next(COMMUNITIES.len() as u64) as usize];
        let it = &items[g.next(items.len() as u64) as usize];
        let channel = match g.next(100) {
            0..45 => "counter",
            45..75 => "hotline",
            75..90 => "web",
            _ => "open311",
        };
        // Office hours on a day in the last eight weeks.
        let at = now
            - Duration::days(1 + g.next(56) as i64)
            - Duration::hours(g.next(7) as i64)
            - Duration::minutes(g.next(60) as i64);
        let new = NewCase {
            item: it.code.clone(),
            channel: channel.into(),
            caller_name: NAMES[i % NAMES.len()].into(),
            caller_phone: format!("1390562{:04}", g.next(10_000)),
            building: format!("{}栋", 1 + g.next(30)),
            description: format!("{}：请尽快办理。", it.name),
            ..Default::default()
        };
        let role = if matches!(channel, "counter" | "hotline") { cases::Role::FrontDesk } else { cases::Role::System };
        let c = cs::create_at(db, "demo", role, community, new, at).await.map_err(e)?;
        let later = |t: OffsetDateTime, hours: u64| (t + Duration::hours(hours as i64)).min(now);
        let step = |event: NewEvent, role: cases::Role, t: OffsetDateTime| {
            let id = c.id;
            async move { cs::apply_at(db, "demo", role, id, event, Some(t)).await }
        };
        let roll = g.next(100);
        if roll < 4 {
            step(ev("reject", "不属于本中心受理范围，已告知居民向相关单位咨询"), cases::Role::Supervisor, later(at, 2))
                .await
                .map_err(e)?;
            continue;
        }
        if roll < 12 {
            continue; // routed, not yet started: the older ones are overdue
        }
        let started = later(at, 1 + g.next(20));
        step(ev("start", ""), cases::Role::Supervisor, started).await.map_err(e)?;
        if roll < 18 {
            step(ev("return_for_materials", "请补充户口簿复印件"), cases::Role::Handler, later(started, 3))
                .await
                .map_err(e)?;
            continue;
        }
        if roll < 26 {
            continue; // in progress
        }
        // Mostly within the time limit, sometimes later.
        let days =
            if g.next(10) < 8 { 1 + g.next(it.limit_days.max(1) as u64) } else { it.limit_days as u64 + 3 + g.next(5) };
        let resolved = later(started, days * 24);
        if resolved >= now - Duration::hours(1) {
            continue;
        }
        step(ev("resolve", "已按规定办结，结果已告知居民"), cases::Role::Handler, resolved).await.map_err(e)?;
        if g.next(10) < 2 {
            continue; // not rated yet: a callback is due
        }
        let overall = match g.next(20) {
            0 => 2,
            1..4 => 3,
            4..10 => 4,
            _ => 5,
        };
        let rate = NewEvent {
            event: "rate".into(),
            overall: Some(overall.to_string()),
            speed: Some((overall.max(3) - g.next(2)).to_string()),
            attitude: Some(5.min(overall + 1).to_string()),
            ..Default::default()
        };
        step(rate, cases::Role::Resident, later(resolved, 20)).await.map_err(e)?;
        if overall <= 2 {
            let t = later(resolved, 30);
            step(ev("reopen", "居民不满意，重新办理"), cases::Role::Supervisor, t).await.map_err(e)?;
        }
    }
    Ok(())
}
