//! Districts, the 23 big communities with their centers, bodies and
//! residents' groups, the functions register, committees and resident units.

use super::generate::{Lcg, STREETS, person};
use anyhow::{Result, anyhow};
use rules::division::{BIG_COMMUNITIES, DISTRICTS};
use store::{Db, seed};

pub(super) async fn load(db: &Db) -> Result<()> {
    let mut tx = db.begin().await?;
    for d in DISTRICTS {
        seed::district(&mut tx, d).await?;
    }
    let mut rng = Lcg(2010);
    for (i, c) in BIG_COMMUNITIES.iter().enumerate() {
        let center = seed::Center {
            address: format!("铜陵市铜官区{}{}号{}公共服务中心", rng.pick(STREETS), 10 + i * 7, c.name),
            // Invented (shown as 示例); never the real hotline 0562-2881890.
            phone: format!("0562-28820{:02}", i + 1),
            hours: "周一至周五 8:30–17:30，周六上午".into(),
        };
        seed::community(&mut tx, c, &center).await?;
        let short = c.name.trim_end_matches("社区");
        seed::body(&mut tx, c, "party_committee", &format!("中共铜陵市铜官区{short}社区工作委员会")).await?;
        seed::body(&mut tx, c, "service_center", &format!("{short}社区公共服务中心")).await?;
        let groups = 8 + (rng.next() % 12) as usize;
        for g in 1..=groups {
            seed::group(&mut tx, c, &format!("第{g}居民小组")).await?;
        }
    }
    for (name, name_en, dir, receiver) in FUNCTIONS {
        seed::function(
            &mut tx,
            // The directions are the source article's; dates and departments are invented (示例).
            [name, name_en, dir, receiver, "2010-07-01", "据改革原文归纳；承接部门与日期为示例"],
        )
        .await?;
    }
    store::audit::record(
        &mut tx,
        "demo",
        "structure.seed",
        "city",
        rules::division::CITY_CODE,
        store::audit::Scope::CITY,
        serde_json::json!({ "districts": DISTRICTS.len(), "communities": BIG_COMMUNITIES.len() }),
    )
    .await?;
    tx.commit().await?;

    // Party members of the committees, residents' committees (5–9, rules §1.1) and units.
    for (i, c) in BIG_COMMUNITIES.iter().enumerate() {
        let n = 5 + (rng.next() % 5) as usize;
        let mut roster = vec![(person(&mut rng), rules::committee::Post::Director)];
        roster.push((person(&mut rng), rules::committee::Post::DeputyDirector));
        while roster.len() < n {
            roster.push((person(&mut rng), rules::committee::Post::Member));
        }
        store::structure::set_committee(db, "demo", c.code, "2021-05-15", &roster).await.map_err(|e| anyhow!("{e}"))?;
        // The "big party working committee": full-time members and, as part-time members,
        // party secretaries of resident units (per the source article, 126 units city-wide).
        let short = c.name.trim_end_matches("社区");
        let party = vec![
            (person(&mut rng), "书记".to_string()),
            (roster[0].0.clone(), "副书记（兼居委会主任）".to_string()),
            (person(&mut rng), "委员（组织）".to_string()),
            (person(&mut rng), "委员（纪检）".to_string()),
            (format!("{}（{short}供电营业所党支部书记）", person(&mut rng)), "兼职委员".to_string()),
            (format!("{}（{short}小学党支部书记）", person(&mut rng)), "兼职委员".to_string()),
        ];
        store::structure::set_body_members(db, "demo", c.code, "party_committee", &party)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let center = vec![
            (person(&mut rng), "主任".to_string()),
            (person(&mut rng), "前台受理".to_string()),
            (person(&mut rng), "后台处置".to_string()),
        ];
        store::structure::set_body_members(db, "demo", c.code, "service_center", &center)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        for (j, (unit, kind)) in UNITS.iter().enumerate().filter(|(j, _)| (i + j) % 3 != 0) {
            let uscc = rules::gb32100::compose(&format!("{}{}340705MA{:02}{:05}", kind.1, kind.2, i, j * 37 + 11))
                .ok_or_else(|| anyhow!("uscc"))?;
            store::structure::add_unit(
                db,
                "demo",
                store::structure::NewUnit {
                    community_code: c.code.into(),
                    name: format!("{}{}", c.name.trim_end_matches("社区"), unit),
                    kind: kind.0.into(),
                    uscc,
                    party_org: format!("{}{}党支部", c.name.trim_end_matches("社区"), unit),
                    contact_name: person(&mut rng),
                    contact_phone: format!("139{:08}", rng.next() % 100_000_000),
                },
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
        }
    }
    Ok(())
}

/// Functions of the abolished street offices and where they went (seed article).
const FUNCTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "党的建设（原街道党工委职能）",
        "Party building (the former street party working committee)",
        "down",
        "社区党工委",
    ),
    ("工会、共青团、妇联等群团工作", "Trade union, Youth League and Women's Federation work", "down", "社区党工委"),
    ("人民武装工作", "Militia (people's armed forces) work", "down", "社区党工委"),
    ("社会保障与就业服务", "Social security and employment services", "down", "社区公共服务中心"),
    ("民政救助与优抚", "Civil-affairs assistance and care for veterans", "down", "社区公共服务中心"),
    ("计划生育与卫生服务", "Family planning and health services", "down", "社区公共服务中心"),
    ("部分审核审批事项", "Some reviews and approvals", "down", "社区公共服务中心"),
    ("社区综合治理与公共管理", "Community public management", "down", "社区公共服务中心"),
    ("街道经济与招商引资", "Street-level economy and investment", "up", "区发展和改革委员会等区直部门"),
    ("城市管理行政执法", "Urban-management enforcement", "up", "区城市管理行政执法局"),
    ("司法行政", "Judicial administration", "up", "区司法局"),
];

/// Unit name suffix and (type, USCC department digit, category digit).
const UNITS: &[(&str, (&str, char, char))] = &[
    ("小学", ("事业单位", '1', '2')),
    ("供电营业所", ("国有企业", '9', '1')),
    ("派出所", ("党政机关", '1', '1')),
    ("超市有限公司", ("非公企业", '9', '1')),
    ("志愿者协会", ("社会组织", '5', '1')),
];
