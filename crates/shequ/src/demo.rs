//! The Tongling demo: real districts and big communities (rules §4), their
//! three bodies, the functions register, resident units, staff for every
//! role, and generated residents with valid ID numbers.

use anyhow::{Result, anyhow};
use rules::division::{BIG_COMMUNITIES, DISTRICTS};
use rules::gb11643;
use store::residents::{ResidentInput, validate};
use store::users::{NewUser, Role};
use store::{Db, seed};
use time::{Date, Duration, macros::date};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Scale {
    /// 5 residents per community: for tests.
    #[value(hide = true)]
    Tiny,
    /// 23 communities, 200 residents each: starts in seconds.
    Small,
    /// Tongling-sized: ≈740,000 residents across the 23 big communities.
    City,
}

pub const DEMO_PASSWORD: &str = "shequ-demo-2010";

/// (username, display name, role, community) — every role has a log-in.
pub const DEMO_USERS: &[(&str, &str, Role, &str)] = &[
    ("frontdesk", "王芳（天井湖前台）", Role::FrontDesk, "340705402"),
    ("backoffice", "李强（天井湖后台）", Role::BackOffice, "340705402"),
    ("admin", "陈静（天井湖社区管理员）", Role::CommunityAdmin, "340705402"),
    ("frontdesk_yh", "赵敏（映湖前台）", Role::FrontDesk, "340705403"),
    ("admin_yh", "孙伟（映湖社区管理员）", Role::CommunityAdmin, "340705403"),
    ("district", "周涛（铜官区民政局）", Role::DistrictDepartment, "340705"),
    ("civil", "吴霞（市民政局）", Role::CityCivilAffairs, ""),
    ("auditor", "郑刚（审计）", Role::Auditor, ""),
    ("org", "天井湖社区社会组织联合会", Role::Organisation, "340705402"),
    ("provider", "2881890家政服务队", Role::Provider, "340705402"),
    ("resident", "刘洋（居民）", Role::Resident, "340705402"),
    ("sysadmin", "系统管理员", Role::SystemAdmin, ""),
];

pub fn banner() -> String {
    let mut s = String::from("Demo log-ins (password for all: ");
    s.push_str(DEMO_PASSWORD);
    s.push_str("):\n");
    for (u, name, role, _) in DEMO_USERS {
        s.push_str(&format!("  {u:<14} {:<20} {name}\n", role.as_str()));
    }
    s + &crate::demo_open311::banner()
}

/// A small deterministic generator, so every demo is the same city.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "汪", "程", "方", "章", "江", "檀", "钱", "鲍",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "玉兰", "文", "斌", "晨", "思远", "子涵", "浩然", "雨桐",
];
const STREETS: &[&str] = &[
    "长江路",
    "义安大道",
    "淮河路",
    "天井湖路",
    "石城路",
    "北京路",
    "人民路",
    "铜都大道",
    "翠湖路",
    "狮子山路",
    "露采路",
    "螺蛳山路",
];
/// Address codes people were born under: Tongling's old and new codes and a few elsewhere.
const BIRTH_CODES: &[&str] =
    &["340702", "340703", "340711", "340721", "340705", "340706", "340722", "340102", "340823", "320106"];

pub async fn load(db: &Db, scale: Scale) -> Result<()> {
    let t0 = std::time::Instant::now();
    structure(db).await?;
    for (u, name, role, scope) in DEMO_USERS {
        let (community, district) = match role.scope_level() {
            store::users::ScopeLevel::Community => (Some(*scope), None),
            store::users::ScopeLevel::District => (None, Some(*scope)),
            store::users::ScopeLevel::City => (None, None),
        };
        store::users::add(
            db,
            "demo",
            NewUser {
                username: u,
                display_name: name,
                password: DEMO_PASSWORD,
                role: *role,
                community_code: community,
                district_code: district,
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    }
    let per_community = match scale {
        Scale::Tiny => 5,
        Scale::Small => 200,
        Scale::City => 740_000 / BIG_COMMUNITIES.len(),
    };
    residents(db, per_community).await?;
    projects(db).await?;
    deliberation(db).await?;
    finance(db).await?;
    access(db).await?;
    service_items(db).await?;
    store::cases::adopt_all(db).await.map_err(|e| anyhow!("{e}"))?;
    crate::demo_open311::load(db).await?;
    crate::demo_providers::load(db).await?;
    crate::demo_cases::load(db, scale).await?;
    println!("demo loaded in {:.1}s", t0.elapsed().as_secs_f64());
    Ok(())
}

/// The four lists (illustrative, rules §3c examples) and one task a department
/// pushed onto 天井湖 without an access approval, so that refusal can be tried.
async fn access(db: &Db) -> Result<()> {
    let e = |e: store::StoreError| anyhow!("{e}");
    store::lists::seed_demo(db).await.map_err(e)?;
    store::lists::record_push(
        db,
        "demo",
        None,
        store::lists::NewPush {
            community: "340705402".into(),
            department: "铜官区某局（示例）".into(),
            title: "填报辖区商户经营情况统计表（未经准入）".into(),
            kind: "ledger_report".into(),
            ..Default::default()
        },
    )
    .await
    .map_err(e)?;
    Ok(())
}

/// Community finance: the district's 2026 allocation to every community, and
/// in 天井湖 project funds for last year's first chosen project and a few paid claims.
async fn finance(db: &Db) -> Result<()> {
    use store::finance::{self as fin, NewAllocation, NewClaim, Stage};
    let e = |e: store::StoreError| anyhow!("{e}");
    let year = fin::current_quarter().0;
    for c in store::structure::communities(db, None).await.map_err(e)? {
        fin::allocate(
            db,
            "demo",
            NewAllocation {
                community: c.code.clone(),
                fund: "operating".into(),
                amount: "200000".into(),
                date: format!("{year}-01-05"),
                memo: format!("{year}年度社区公用经费核拨"),
                reference: format!("铜官财〔{year}〕1号"),
                key: format!("demo-{year}-{}", c.code),
            },
        )
        .await
        .map_err(e)?;
    }
    let community = "340705402";
    let user = |name: &'static str| async move {
        store::users::by_username(db, name).await.map_err(e)?.ok_or_else(|| anyhow!("demo user {name}"))
    };
    let (desk, admin, district) = (user("frontdesk").await?, user("admin").await?, user("district").await?);
    let line = store::budgeting::budget_lines(db, community).await.map_err(e)?.into_iter().next();
    if let Some(l) = &line {
        fin::allocate(
            db,
            "demo",
            NewAllocation {
                community: community.into(),
                fund: format!("project:{}", l.id),
                amount: yuan(l.amount_fen),
                date: format!("{year}-01-10"),
                memo: format!("项目经费：{}", l.title),
                reference: String::new(),
                key: format!("demo-project-{}", l.id),
            },
        )
        .await
        .map_err(e)?;
    }
    let mut claims = vec![
        ("铜陵市文具店", "860", "社区服务中心办公用品", "operating".to_string()),
        ("国网铜陵供电公司", "2310.50", "服务中心一季度电费", "operating".to_string()),
        ("铜陵市安居物业", "12000", "老旧小区楼道照明维修", "operating".to_string()),
    ];
    if let Some(l) = &line {
        claims.push(("铜陵市惠民建材", "3000", "项目材料首批采购", format!("project:{}", l.id)));
    }
    for (i, (payee, amount, purpose, fund)) in claims.into_iter().enumerate() {
        let c = fin::file_claim(
            db,
            "demo",
            desk.id,
            &desk.display_name,
            community,
            NewClaim {
                payee: payee.into(),
                amount: amount.into(),
                purpose: purpose.into(),
                fund,
                key: format!("demo-claim-{i}"),
            },
            None,
        )
        .await
        .map_err(e)?;
        let c = fin::approve(db, "demo", admin.id, Stage::Head, c.id).await.map_err(e)?;
        if c.status == fin::ClaimStatus::HeadApproved {
            fin::approve(db, "demo", district.id, Stage::District, c.id).await.map_err(e)?;
        }
    }
    Ok(())
}

fn yuan(fen: i64) -> String {
    store::budgeting::yuan(fen)
}

async fn structure(db: &Db) -> Result<()> {
    let mut tx = db.begin().await?;
    for d in DISTRICTS {
        seed::district(&mut tx, d).await?;
    }
    let mut rng = Lcg(2010);
    for (i, c) in BIG_COMMUNITIES.iter().enumerate() {
        let center = seed::Center {
            address: format!("铜陵市铜官区{}{}号{}公共服务中心", rng.pick(STREETS), 10 + i * 7, c.name),
            phone: format!("0562-28{:05}", 81890 + i),
            hours: "周一至周五 8:30–17:30，周六上午 · 热线2881890 全天".into(),
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
            [name, name_en, dir, receiver, "2010-07-01", "《铜陵市社区管理体制改革的探索与实践》(2010)"],
        )
        .await?;
    }
    store::audit::append(
        &mut tx,
        store::audit::Entry {
            actor: "demo",
            action: "structure.seed",
            entity: "city",
            entity_id: rules::division::CITY_CODE,
            community_code: None,
            district_code: None,
            change: serde_json::json!({ "districts": DISTRICTS.len(), "communities": BIG_COMMUNITIES.len() }),
        },
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

fn person(rng: &mut Lcg) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
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

/// `n` residents with valid, distinct ID numbers (per `seen`), spread over
/// buildings and the given residents' groups; deterministic for a seed.
pub fn generate_inputs(
    seed: u64,
    n: usize,
    groups: &[String],
    seen: &mut std::collections::HashSet<String>,
) -> Vec<ResidentInput> {
    let mut rng = Lcg(seed);
    let today = store::clock::today();
    let buildings = (n / 60).max(4);
    let mut rows = Vec::with_capacity(n);
    while rows.len() < n {
        let birth = date!(1930 - 01 - 01) + Duration::days((rng.next() % 34_000) as i64);
        if birth > today {
            continue;
        }
        let id = gb11643::compose(*rng.pick(BIRTH_CODES), birth, (rng.next() % 1000) as u16);
        if !seen.insert(id.clone()) {
            continue;
        }
        let building = 1 + rng.next() as usize % buildings;
        let moved: Date = (birth + Duration::days((rng.next() % 9000) as i64)).min(today);
        rows.push(ResidentInput {
            name: person(&mut rng),
            id_number: id,
            household: format!("{}-{}-{:03}", building, 1 + rng.next() % 4, 101 + rng.next() % 600),
            building: format!("{building}栋"),
            address: format!("{}{}号{building}栋", rng.pick(STREETS), 1 + rng.next() % 300),
            phone: format!("1{}{:08}", rng.pick(&["38", "39", "58", "86", "87"]), rng.next() % 100_000_000),
            hukou: if rng.next() % 10 < 8 { "是".into() } else { "否".into() },
            moved_in: moved.to_string(),
            group: if groups.is_empty() { String::new() } else { rng.pick(groups).clone() },
        });
    }
    rows
}

async fn residents(db: &Db, per_community: usize) -> Result<()> {
    let total = per_community * BIG_COMMUNITIES.len();
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("residents {bar:40} {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or(indicatif::ProgressStyle::default_bar()),
    );
    let mut seen = std::collections::HashSet::with_capacity(total);
    for (i, c) in BIG_COMMUNITIES.iter().enumerate() {
        let groups: Vec<String> = store::structure::groups(db, c.code).await?.into_iter().map(|g| g.name).collect();
        let rows = generate_inputs(740_000 + i as u64, per_community, &groups, &mut seen)
            .into_iter()
            .enumerate()
            .map(|(n, input)| (n + 2, validate(&input)))
            .collect();
        store::residents::import(db, "demo", 0, c.code, "demo-residents.csv", rows, |n| bar.inc(n as u64)).await?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// Resident-chosen community service projects in 天井湖: last year's call,
/// closed with its result, and this year's, open for voting. The demo
/// resident's account is linked to a registry record so that it can vote.
async fn projects(db: &Db) -> Result<()> {
    use store::budgeting::{self as bg, NewCall, NewProject, Review};
    let e = |e: store::StoreError| anyhow!("{e}");
    let community = "340705402";
    let voters = store::residents::first_indexes(db, community, 200).await.map_err(e)?;
    let resident_user =
        store::users::by_username(db, "resident").await.map_err(e)?.ok_or_else(|| anyhow!("demo resident"))?;
    if let Some((rid, _)) = voters.last() {
        bg::link_resident(db, "demo", resident_user.id, *rid).await.map_err(e)?;
    }
    let ideas: [(&str, &str, &str, &str); 9] = [
        ("老旧小区加装扶手与坡道", "为12栋老楼单元门口加装扶手和无障碍坡道", "适老化", "45000"),
        ("社区食堂助餐点", "为80岁以上老人提供午餐配送", "养老服务", "120000"),
        ("儿童放学后托管", "双职工家庭子女课后托管与作业辅导", "青少年", "80000"),
        ("楼道照明更新", "更换感应节能灯", "环境", "30000"),
        ("天井湖健身步道修缮", "修补步道破损路面、增设休息座椅", "环境", "150000"),
        ("居民议事厅改造", "改造活动室为居民议事和调解场所", "自治", "60000"),
        ("垃圾分类督导员", "招募志愿督导员并培训", "环境", "25000"),
        ("社区法律援助站", "每周两次律师坐班", "法律服务", "40000"),
        ("智慧门禁（已由物业承担）", "由物业维修基金解决，不属社区项目", "安全", "90000"),
    ];
    let mut rng = Lcg(2014);
    for (year, close) in [(2025, true), (2026, false)] {
        let call = bg::create_call(
            db,
            "demo",
            community,
            NewCall {
                title: format!("{year}年天井湖社区服务项目（居民点单）"),
                description: "居民提出、评审可行性、全体居民投票，按均等份额法选出项目".into(),
                budget: "300000".into(),
                ballot_kind: "approval".into(),
                max_choices: Some("4".into()),
                rule: "mes-add1-greedy".into(),
                ..Default::default()
            },
        )
        .await
        .map_err(e)?;
        for (t, d, cat, cost) in ideas {
            bg::propose(
                db,
                "resident#demo",
                call.id,
                NewProject {
                    title: t.into(),
                    description: d.into(),
                    category: cat.into(),
                    location: "天井湖社区".into(),
                    cost: cost.into(),
                },
            )
            .await
            .map_err(e)?;
        }
        bg::advance(db, "demo", call.id).await.map_err(e)?;
        for p in bg::projects(db, call.id).await.map_err(e)? {
            let review = if p.title.contains("物业") {
                Review {
                    decision: "reject".into(),
                    note: "属物业维修基金支出范围，与已有渠道重复".into(),
                    ..Default::default()
                }
            } else if p.title.contains("步道") {
                Review {
                    decision: "approve".into(),
                    score: Some("82".into()),
                    cost: Some("120000".into()),
                    note: "按市政定额核减".into(),
                }
            } else {
                Review {
                    decision: "approve".into(),
                    score: Some(format!("{}", 70 + rng.next() % 25)),
                    ..Default::default()
                }
            };
            bg::review(db, "demo", p.id, review).await.map_err(e)?;
        }
        bg::advance(db, "demo", call.id).await.map_err(e)?;
        if close {
            let approved: Vec<i64> = bg::projects(db, call.id)
                .await
                .map_err(e)?
                .into_iter()
                .filter(|p| p.status == store::budgeting::ProjectStatus::Approved)
                .map(|p| p.id)
                .collect();
            for (n, (_, voter)) in voters.iter().enumerate().take(voters.len().saturating_sub(1)) {
                let mut picks: Vec<(i64, i64)> = Vec::new();
                for (k, pid) in approved.iter().enumerate() {
                    // Tastes differ by building: a few popular projects, and a minority with its own.
                    let weight = [9, 7, 5, 3, 6, 2, 4, 3][k % 8] + if n % 5 == 0 && k >= 5 { 6 } else { 0 };
                    if (rng.next() % 12) < weight && picks.len() < 4 {
                        picks.push((*pid, 1));
                    }
                }
                if picks.is_empty() {
                    picks.push((approved[0], 1));
                }
                let channel = if n % 3 == 0 { "paper" } else { "web" };
                bg::vote(db, "demo", call.id, voter, channel, &picks).await.map_err(e)?;
            }
            bg::advance(db, "demo", call.id).await.map_err(e)?;
        }
    }
    Ok(())
}

/// Resident deliberation and stewards in 天井湖: two topics, last autumn's
/// 居民会议 (validly held, one resolution passed, which closes the important
/// question), an upcoming 议事会, and the demo resident as approved steward
/// of 1栋. Needs the resident link made by `projects`.
async fn deliberation(db: &Db) -> Result<()> {
    use store::deliberation::{
        self as dl, Attendance, Close, Minutes, NewFollowup, NewMeeting, NewResolution, NewTopic,
    };
    use store::stewards::{self as sw, Decision, NewIssue, Volunteer};
    let e = |e: store::StoreError| anyhow!("{e}");
    let community = "340705402";
    let parking = dl::create_topic(
        db,
        "admin#demo",
        community,
        NewTopic {
            title: "小区公共停车位划线与收费办法".into(),
            description: "新增停车位的划线方案和收费标准，收入用于小区公共设施维护".into(),
            raised_by_kind: "committee".into(),
            raised_by_name: "天井湖社区居民委员会".into(),
            important: Some("on".into()),
        },
    )
    .await
    .map_err(e)?;
    let corridor = dl::create_topic(
        db,
        "resident#demo",
        community,
        NewTopic {
            title: "1栋楼道堆物清理与电动车充电".into(),
            description: "楼道内堆放杂物、电动车入户充电存在消防隐患，建议集中清理并设置充电桩".into(),
            raised_by_kind: "resident".into(),
            raised_by_name: "刘洋（居民）".into(),
            important: None,
        },
    )
    .await
    .map_err(e)?;
    let totals = dl::totals(db, community).await.map_err(e)?;
    let assembly = dl::create_meeting(
        db,
        "admin#demo",
        community,
        NewMeeting {
            kind: "assembly".into(),
            title: "2025年秋季居民会议（户代表）".into(),
            held_on: "2025-10-18".into(),
            base_kind: "households".into(),
            base_count: None,
            topics: vec![parking.id],
        },
    )
    .await
    .map_err(e)?;
    let present = totals.households / 2 + 1 + totals.households / 10;
    dl::record_attendance(
        db,
        "admin#demo",
        assembly.id,
        Attendance { present: Some(present.to_string()), attendees: String::new() },
    )
    .await
    .map_err(e)?;
    dl::record_minutes(
        db,
        "admin#demo",
        assembly.id,
        Minutes {
            minutes: "居委会主任报告停车位划线方案；户代表分组讨论后表决。收费标准每月60元，收入专户管理、每季度公开。"
                .into(),
        },
    )
    .await
    .map_err(e)?;
    let yes = present * 2 / 3 + 1;
    let resolution = dl::resolve(
        db,
        "admin#demo",
        assembly.id,
        NewResolution {
            motion: "通过停车位划线方案，收费每月60元，收入专户管理".into(),
            topic_id: Some(parking.id.to_string()),
            yes: Some(yes.min(present).to_string()),
            no: Some((present - yes.min(present)).min(2).to_string()),
            abstain: Some("0".into()),
        },
    )
    .await
    .map_err(e)?;
    dl::close_topic(
        db,
        "admin#demo",
        parking.id,
        Close { resolution_id: Some(resolution.id.to_string()), note: "按居民会议决议实施".into() },
    )
    .await
    .map_err(e)?;
    let followup = dl::create_followup(
        db,
        "admin#demo",
        community,
        NewFollowup {
            title: "停车位划线施工并公示收费账目".into(),
            owner: "社区居委会环境和物业管理委员".into(),
            due_on: "2025-12-31".into(),
            resolution_id: Some(resolution.id.to_string()),
        },
    )
    .await
    .map_err(e)?;
    dl::followup_done(db, "admin#demo", followup.id, Default::default()).await.map_err(e)?;
    dl::create_meeting(
        db,
        "admin#demo",
        community,
        NewMeeting {
            kind: "council".into(),
            title: "居民议事会：楼道安全".into(),
            held_on: (store::clock::today() + Duration::days(14)).to_string(),
            base_kind: String::new(),
            base_count: Some("11".into()),
            topics: vec![corridor.id],
        },
    )
    .await
    .map_err(e)?;
    let resident_user =
        store::users::by_username(db, "resident").await.map_err(e)?.ok_or_else(|| anyhow!("demo resident"))?;
    let steward = sw::volunteer(
        db,
        "resident#demo",
        resident_user.id,
        community,
        Volunteer { area: "1栋".into(), motivation: "退休教师，住在1栋二十年".into() },
    )
    .await
    .map_err(e)?;
    sw::decide(db, "admin#demo", steward.id, Decision { decision: "approve".into(), note: String::new() })
        .await
        .map_err(e)?;
    sw::raise_issue(
        db,
        "resident#demo",
        resident_user.id,
        community,
        NewIssue {
            title: "1栋单元门门禁损坏".into(),
            description: "二单元门禁无法关闭已一周".into(),
            building: "1栋".into(),
            steward_id: None,
        },
    )
    .await
    .map_err(e)?;
    Ok(())
}

/// The demo city's service items catalogue (事项目录) of a community one-stop
/// service center: (code, name, category, unit kind, unit, materials, working
/// days, fee in fen or free). Illustrative, not Tongling's official catalogue;
/// certificates are only those a community may issue (rules §3c positive list).
/// (code, name, category, unit kind, unit, materials joined by 、, working days, fee in fen).
type ItemRow = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, i64, Option<i64>);

#[rustfmt::skip]
const SERVICE_ITEMS: &[ItemRow] = &[
    ("SA-001", "最低生活保障（低保）申请受理", "社会救助", "department", "区民政局", "身份证、户口簿、家庭收入及财产情况说明", 20, None),
    ("SA-002", "低保家庭年度复核", "社会救助", "department", "区民政局", "身份证、户口簿、收入变化情况说明", 15, None),
    ("SA-003", "特困人员救助供养申请", "社会救助", "department", "区民政局", "身份证、户口簿、本人申请书", 20, None),
    ("SA-004", "临时救助申请", "社会救助", "department", "区民政局", "身份证、急难情况说明", 5, None),
    ("SA-005", "低收入家庭认定申请", "社会救助", "department", "区民政局", "身份证、户口簿、家庭成员收入说明", 20, None),
    ("SA-006", "医疗救助申请", "社会救助", "department", "区医疗保障局", "身份证、医疗费用票据、出院小结", 15, None),
    ("SA-007", "教育救助申请", "社会救助", "department", "区教育局", "身份证、学生证或录取通知书", 15, None),
    ("EL-001", "高龄津贴申领", "养老服务", "department", "区民政局", "老年人身份证、户口簿、银行卡", 10, None),
    ("EL-002", "经济困难老年人养老服务补贴申请", "养老服务", "department", "区民政局", "身份证、户口簿、能力评估表", 15, None),
    ("EL-003", "老年人能力评估申请", "养老服务", "department", "区民政局", "身份证、近期病历", 10, None),
    ("EL-004", "居家养老上门服务预约", "养老服务", "provider", "居家养老服务商", "身份证", 3, None),
    ("EL-005", "老年助餐服务登记", "养老服务", "provider", "社区老年食堂", "身份证", 2, Some(1200)),
    ("EL-006", "老年人优待证办理", "养老服务", "community", "社区", "身份证、一寸照片", 5, None),
    ("EL-007", "独居老人定期探访登记", "养老服务", "community", "社区", "身份证、紧急联系人电话", 3, None),
    ("DS-001", "残疾人证办理申请", "残疾人服务", "department", "区残疾人联合会", "身份证、户口簿、二寸照片", 20, None),
    ("DS-002", "困难残疾人生活补贴申请", "残疾人服务", "department", "区残疾人联合会", "残疾人证、身份证、银行卡", 15, None),
    ("DS-003", "重度残疾人护理补贴申请", "残疾人服务", "department", "区残疾人联合会", "残疾人证、身份证", 15, None),
    ("DS-004", "残疾人辅助器具适配申请", "残疾人服务", "department", "区残疾人联合会", "残疾人证、身份证", 20, None),
    ("CT-001", "居民在社区居住证明", "社区证明", "community", "社区", "身份证、租赁合同或房屋权属证明", 3, None),
    ("CT-002", "参加社区实践活动证明", "社区证明", "community", "社区", "身份证、学生证、活动记录", 3, None),
    ("CT-003", "住宅专项维修资金工程相关证明", "社区证明", "community", "社区", "业主签字表决材料、工程预算", 5, None),
    ("EM-001", "失业登记", "就业创业", "department", "区人力资源和社会保障局", "身份证、解除劳动合同证明", 5, None),
    ("EM-002", "就业困难人员认定申请", "就业创业", "department", "区人力资源和社会保障局", "身份证、就业创业证", 10, None),
    ("EM-003", "就业创业证办理", "就业创业", "department", "区人力资源和社会保障局", "身份证、一寸照片", 5, None),
    ("EM-004", "灵活就业人员社保补贴申请", "就业创业", "department", "区人力资源和社会保障局", "身份证、就业创业证、缴费凭证", 15, None),
    ("EM-005", "公益性岗位求职登记", "就业创业", "community", "社区", "身份证", 5, None),
    ("EM-006", "职业技能培训报名", "就业创业", "department", "区人力资源和社会保障局", "身份证、学历证明", 10, None),
    ("MI-001", "城乡居民医疗保险参保登记", "医疗保障", "department", "区医疗保障局", "身份证、户口簿", 5, None),
    ("MI-002", "城乡居民医保缴费咨询与代办", "医疗保障", "community", "社区", "身份证、医保卡", 3, None),
    ("MI-003", "门诊慢特病待遇申请", "医疗保障", "department", "区医疗保障局", "身份证、医保卡、诊断证明、病历", 15, None),
    ("MI-004", "城乡居民养老保险参保登记", "社会保险", "department", "区人力资源和社会保障局", "身份证、户口簿", 5, None),
    ("MI-005", "养老保险待遇领取资格认证协助", "社会保险", "community", "社区", "身份证、社保卡", 3, None),
    ("HR-001", "家庭水管维修", "家政维修", "provider", "水电维修服务商", "", 2, Some(5000)),
    ("HR-002", "家庭电路维修", "家政维修", "provider", "水电维修服务商", "", 2, Some(5000)),
    ("HR-003", "门锁开启与更换", "家政维修", "provider", "开锁服务商", "身份证、房屋权属或居住证明", 1, Some(8000)),
    ("HR-004", "家电清洗", "家政维修", "provider", "家政服务商", "", 3, Some(12000)),
    ("HR-005", "家庭保洁", "家政维修", "provider", "家政服务商", "", 3, Some(3500)),
    ("HR-006", "公益理发（老年人、残疾人）", "家政维修", "provider", "志愿服务队", "", 5, None),
    ("PS-001", "楼道照明、公共设施报修", "物业与环境", "community", "社区", "", 3, None),
    ("PS-002", "小区环境卫生问题反映", "物业与环境", "community", "社区", "", 3, None),
    ("PS-003", "违章搭建反映", "物业与环境", "department", "区城市管理局", "现场照片（可选）", 10, None),
    ("PS-004", "邻里纠纷调解申请", "矛盾调解", "community", "社区", "", 10, None),
    ("FM-001", "流动人口居住登记", "人口服务", "community", "社区", "身份证、租赁合同", 3, None),
    ("FM-002", "生育登记服务", "人口服务", "department", "区卫生健康委员会", "夫妻双方身份证、结婚证", 5, None),
    ("FM-003", "退役军人优待证申领协助", "优抚服务", "department", "区退役军人事务局", "身份证、退役证件", 15, None),
    ("YO-001", "未成年人关爱服务登记", "未成年人服务", "community", "社区", "监护人身份证", 5, None),
];

async fn service_items(db: &Db) -> Result<()> {
    use store::cases::{NewItem, add_item};
    for (code, name, category, kind, unit, materials, days, fee) in SERVICE_ITEMS {
        let questions = match *category {
            "家政维修" | "物业与环境" => serde_json::json!([
                { "key": "place", "label": "具体位置", "kind": "text", "required": false },
                { "key": "urgency", "label": "紧急程度", "kind": "single", "required": false, "options": ["一般", "紧急"] }
            ]),
            "养老服务" => serde_json::json!([
                { "key": "age", "label": "老人年龄", "kind": "number", "required": false },
                { "key": "lives_alone", "label": "是否独居", "kind": "single", "required": false, "options": ["是", "否"] }
            ]),
            _ => serde_json::json!([
                { "key": "household_size", "label": "家庭人口数", "kind": "number", "required": false }
            ]),
        };
        add_item(
            db,
            "demo",
            NewItem {
                code: code.to_string(),
                name: name.to_string(),
                category: category.to_string(),
                unit_kind: kind.to_string(),
                unit_name: unit.to_string(),
                materials: materials.split('、').filter(|m| !m.is_empty()).map(str::to_string).collect(),
                limit_days: *days,
                fee_fen: *fee,
                channels: vec![],
                questions,
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    }
    Ok(())
}
