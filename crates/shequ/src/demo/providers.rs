//! The demo hotline's service providers (illustrative names): two
//! public-welfare volunteer teams serving free and three market companies
//! with GB 32100 credit codes and price lists, all serving 铜官区; the demo
//! `provider` log-in works for the housekeeping company. A few hotline cases
//! from the demo resident's phone are dispatched and left in different
//! states so that the console, the provider page and the outbox show
//! something.

use anyhow::{Result, anyhow};
use serde_json::json;
use store::Db;
use store::cases::{self as cs, NewCase};
use store::providers::{self as pv, Completion, NewDispatch, NewProvider};

const DISTRICT: &str = "340705";
const COMMUNITY: &str = "340705402";

/// A credit code whose check character GB 32100 computes: 91 (an enterprise
/// registered with market regulation), the registering area, the organisation code.
fn credit(org9: &str) -> String {
    rules::gb32100::compose(&format!("91{DISTRICT}{org9}")).unwrap_or_default()
}

pub async fn load(db: &Db) -> Result<()> {
    let e = |e: store::StoreError| anyhow!("{e}");
    let rows = [
        ("天井湖社区志愿服务队", "public_welfare", "志愿服务队", String::new(), "0562-2883001", json!({})),
        ("铜官区助老志愿服务队", "public_welfare", "居家养老服务商", String::new(), "0562-2881891", json!({})),
        (
            "铜陵市安居家政服务有限公司",
            "market",
            "家政服务商",
            credit("MA2N3XK1A"),
            "0562-5881234",
            json!({ "HR-004": 12000, "HR-005": 3500 }),
        ),
        (
            "铜陵市水电通维修服务有限公司",
            "market",
            "水电维修服务商",
            credit("MA2P7YQ4B"),
            "0562-5882345",
            json!({ "HR-001": 5000, "HR-002": 5500 }),
        ),
        (
            "铜陵市安心开锁服务部",
            "market",
            "开锁服务商",
            credit("MA2R1TU8C"),
            "0562-5883456",
            json!({ "HR-003": 8000 }),
        ),
    ];
    let mut ids = Vec::new();
    for (name, kind, ptype, code, phone, prices) in rows {
        let p = pv::add(
            db,
            "demo",
            NewProvider {
                name: name.into(),
                kind: kind.into(),
                provider_type: ptype.into(),
                credit_code: code,
                phone: phone.into(),
                district_code: DISTRICT.into(),
                price_list: prices,
            },
        )
        .await
        .map_err(e)?;
        ids.push(p);
    }
    let housekeeping = ids[2].clone();
    pv::link_user(db, "demo", "provider", housekeeping.id).await.map_err(e)?;

    // The demo resident calls the hotline from their registered phone.
    let phone = store::hotline::user_phone(db, "resident").await.map_err(e)?;
    let phone = phone.filter(|p| !p.is_empty()).unwrap_or_else(|| "13905620000".into());
    // As the console would: the caller found in the registry by the number.
    let found = store::hotline::caller(db, COMMUNITY, &phone).await.map_err(e)?.residents.into_iter().next();
    let (name, resident_id) = found.map(|r| (r.name, Some(r.id))).unwrap_or(("刘洋".into(), None));
    let call = |item: &str, what: &str| NewCase {
        item: item.into(),
        channel: "hotline".into(),
        caller_name: name.clone(),
        resident_id,
        caller_phone: phone.clone(),
        description: what.into(),
        building: "5栋".into(),
        address: "2单元301".into(),
        ..Default::default()
    };
    let desk = cases::Role::FrontDesk;
    let done = cs::create(db, "demo", desk, COMMUNITY, call("HR-004", "空调清洗")).await.map_err(e)?;
    let waiting = cs::create(db, "demo", desk, COMMUNITY, call("HR-005", "家庭保洁，周六上午")).await.map_err(e)?;
    let offer = |case_id: i64| {
        pv::offer(
            db,
            "demo",
            case_id,
            NewDispatch { provider_id: Some(housekeeping.id.to_string()), note: String::new() },
        )
    };
    let d = offer(done.id).await.map_err(e)?;
    pv::accept(db, "demo", &housekeeping, d.id).await.map_err(e)?;
    pv::arrive(db, "demo", &housekeeping, d.id).await.map_err(e)?;
    let summary = Completion { summary: "已清洗客厅空调一台".into(), price_fen: None, price_yuan: None };
    pv::complete(db, "demo", &housekeeping, d.id, summary).await.map_err(e)?;
    let d = offer(waiting.id).await.map_err(e)?;
    pv::decline(db, "demo", &housekeeping, d.id, "周六人手已满").await.map_err(e)?;
    offer(waiting.id).await.map_err(e)?;
    Ok(())
}
