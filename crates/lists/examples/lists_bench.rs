//! Times `lists::check` against four lists of 5,000 generated entries each.
//!
//! Run: `cargo run --release -p lists --example lists_bench [entries] [runs]`.
//! Titles are composed from realistic fragments of community work items, so
//! common bigrams such as 社区 and 居民 have posting lists thousands long.

use lists::*;
use std::time::Instant;
use time::macros::date;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next() % xs.len()]
    }
}

const VERB: [&str; 12] =
    ["协助", "开展", "组织", "做好", "配合", "落实", "推进", "负责", "参与", "加强", "完成", "实施"];
const WHO: [&str; 16] = [
    "社区",
    "居民",
    "老年人",
    "流动人口",
    "低保户",
    "残疾人",
    "退役军人",
    "青少年",
    "困难家庭",
    "独居老人",
    "新就业群体",
    "物业小区",
    "辖区单位",
    "志愿者",
    "育龄妇女",
    "社区矫正对象",
];
const WHAT: [&str; 24] = [
    "消防安全",
    "食品安全",
    "垃圾分类",
    "文明创建",
    "人口普查",
    "经济普查",
    "医疗保险",
    "养老保险",
    "就业援助",
    "法律援助",
    "禁毒宣传",
    "防汛抗旱",
    "燃气安全",
    "电动车充电",
    "违章搭建",
    "环境卫生",
    "爱国卫生",
    "疫苗接种",
    "健康档案",
    "住房保障",
    "优抚救济",
    "信访维稳",
    "安全生产",
    "网格化管理",
];
const ACT: [&str; 16] = [
    "排查",
    "登记",
    "统计",
    "宣传",
    "检查",
    "调查",
    "台账",
    "报表",
    "走访",
    "摸底",
    "核查",
    "巡查",
    "培训",
    "测评",
    "公示",
    "信息采集",
];
const TAIL: [&str; 8] = ["工作", "任务", "专项行动", "情况报送", "", "", "证明", "活动"];

fn title(r: &mut Lcg) -> String {
    format!("{}{}{}{}{}", r.pick(&VERB), r.pick(&WHO), r.pick(&WHAT), r.pick(&ACT), r.pick(&TAIL))
}

fn entries(kind: ListKind, n: usize, r: &mut Lcg) -> Vec<Entry> {
    let types = ItemType::ALL;
    (0..n)
        .map(|i| {
            let terms = match kind {
                ListKind::Exit => {
                    Terms::Exit { scope: if i % 3 == 0 { ExitScope::AsPrincipal } else { ExitScope::Always } }
                }
                ListKind::Duty => Terms::Duty,
                ListKind::Assistance => Terms::Assistance(AssistanceTerms {
                    standard_fen: 10_000 + (r.next() % 1_000_000) as Fen,
                    basis: if i % 4 == 0 {
                        FundingBasis::PerUnit { unit: "户次".into() }
                    } else {
                        FundingBasis::PerCommunityPerYear
                    },
                    paying_department: format!("铜陵市{}局", r.pick(&["民政", "公安", "卫健", "城管", "人社"])),
                }),
                ListKind::AssessmentAccess => Terms::Assessment(AssessmentTerms {
                    origin_level: if i % 2 == 0 { GovLevel::National } else { GovLevel::Provincial },
                    max_times_per_year: 1 + (i % 3) as u32,
                    max_duration_days: 5 + (i % 20) as u32,
                    content_scope: vec!["居民满意度".into(), "台账规范".into()],
                }),
            };
            Entry {
                code: format!("{kind:?}-{i:05}"),
                title: title(r),
                legal_basis: "居组法".into(),
                item_type: if kind == ListKind::AssessmentAccess { ItemType::Assessment } else { types[i % 8] },
                department: "铜陵市民政局".into(),
                source: "generated for lists_bench".into(),
                terms,
            }
        })
        .collect()
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(5_000);
    let runs = args.get(1).copied().unwrap_or(2_000);
    let mut r = Lcg(0x5EED_2014);
    let effective = date!(2014 - 07 - 01);
    let t0 = Instant::now();
    let versions: Vec<ListVersion> =
        ListKind::ALL.iter().map(|&k| lists::demo::published(k, entries(k, n, &mut r), effective)).collect();
    let t_gen = t0.elapsed();
    let t0 = Instant::now();
    let lists = ListsInForce::in_force(versions.iter(), date!(2015 - 03 - 10), CheckConfig::default()).unwrap();
    let t_index = t0.elapsed();

    // A mix of applications: similar titles, claimed entries, assessments.
    let base = Application {
        id: "BENCH".into(),
        department: Department { name: "铜陵市民政局".into(), level: DeptLevel::City },
        kind: ItemType::WorkTask,
        title: String::new(),
        description: String::new(),
        legal_basis: "居组法".into(),
        targets: Targets::All,
        start: date!(2015 - 04 - 01),
        duration_days: 180,
        workload: Workload { description: String::new(), units: Units::Uniform(10) },
        community_as_principal: false,
        duty_holder: DutyHolder::Government,
        emergency: None,
        claimed_entry: None,
        funding: Some(FundingOffer {
            amount_fen: 500_000,
            basis: FundingBasis::PerCommunityPerYear,
            paying_department: "铜陵市民政局".into(),
        }),
        assessment: None,
    };
    let mut apps = Vec::new();
    for i in 0..64 {
        let mut a = base.clone();
        a.title = title(&mut r);
        match i % 4 {
            0 => a.claimed_entry = Some(format!("Assistance-{:05}", r.next() % n)),
            1 => a.community_as_principal = i % 8 == 1,
            2 => {
                a.kind = ItemType::Assessment;
                a.claimed_entry = Some(format!("AssessmentAccess-{:05}", r.next() % n));
                a.assessment = Some(AssessmentPlan {
                    origin_level: GovLevel::Provincial,
                    duration_days: 7,
                    run_by_department_alone: false,
                    one_vote_veto: false,
                    content: vec!["居民满意度".into()],
                });
            }
            _ => a.title = format!("{}社区居民{}", a.title, title(&mut r)),
        }
        apps.push(a);
    }
    let history = AssessmentHistory::default();
    let mut times = Vec::with_capacity(runs);
    let mut verdicts = [0usize; 3];
    for i in 0..runs {
        let app = &apps[i % apps.len()];
        let t = Instant::now();
        let rep = check(app, &lists, &history, date!(2015 - 03 - 10));
        times.push(t.elapsed());
        verdicts[rep.verdict as usize] += 1;
        std::hint::black_box(rep);
    }
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!("lists_bench: {n} entries per list × 4 lists, {runs} checks over {} applications", apps.len());
    println!("  generate + review + publish: {t_gen:?}");
    println!("  index (ListsInForce::in_force): {t_index:?}");
    println!(
        "  check: median {:?}, p90 {:?}, p99 {:?}, max {:?}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        times[times.len() - 1]
    );
    println!("  verdicts: AutoReject {}, NeedsReview {}, PassToReviewer {}", verdicts[0], verdicts[1], verdicts[2]);
    println!("  target: median < 5 ms → {}", if pct(0.5).as_micros() < 5_000 { "OK" } else { "MISSED" });
}
