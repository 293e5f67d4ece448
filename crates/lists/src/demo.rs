//! Demo data: the example items of rules §3c as the four lists.
//!
//! **Illustrative, not Tongling.** Tongling's 2014 list contents were not
//! found (rules §3c, \[NOT FOUND\]); these items come from national law and
//! policy and from other cities, each entry naming its source. Funding
//! standards, caps, departments and the effective date are invented for the
//! demo. The assessment-access list has no known item names at all (rules
//! §3c(iv)); its two entries are made up to exercise the rules.

use crate::inforce::{CheckConfig, ListsInForce};
use crate::model::*;
use crate::version::ListVersion;
use time::Date;
use time::macros::date;

pub const ILLUSTRATIVE: &str = "取自各地清单范例（规则§3c），非铜陵清单原文";
/// Effective date of the demo versions (invented).
pub const DEMO_EFFECTIVE: Date = date!(2014 - 07 - 01);

const S2015: &str = "民发〔2015〕136号";
const XIANNING: &str = "咸宁 取消37项证明 (rules §3c)";
const ZHAOQING: &str = "肇庆 证明清单 (rules §3c)";
const JZF: &str = "居组法";
const ZJK: &str = "张家口 证明正面清单 (rules §3c)";
const JX: &str = "江西 实施办法 (rules §3c)";

fn entry(code: String, title: &str, basis: &str, t: ItemType, dept: &str, source: &str, terms: Terms) -> Entry {
    Entry {
        code,
        title: title.into(),
        legal_basis: basis.into(),
        item_type: t,
        department: dept.into(),
        source: source.into(),
        terms,
    }
}

const XIANNING_CERTS: [&str; 37] = [
    "廉租房申请人证明",
    "公租房申请人就业和收入证明",
    "经济适用房申请人信息证明",
    "住房证明",
    "直系血亲关系证明",
    "意外伤害确认证明",
    "社会养老保险人员丧葬补助继承人员关系证明",
    "死者与受益人关系证明",
    "婚育证明",
    "计生证明",
    "婚姻状况证明",
    "结(离)婚证遗失补办证明",
    "五保低保证明",
    "贫困生身份证明",
    "房屋无人居住证明",
    "家庭用电报户证明",
    "安装光伏房屋产权证明",
    "关系证明",
    "收入证明(低收入、无固定收入)",
    "家庭困难情况证明",
    "居民身份信息证明",
    "户口登记项目内容变更申请证明",
    "居民养犬证明",
    "无犯罪记录证明",
    "社区戒毒社区康复人员情况证明",
    "人员失踪证明",
    "出生证明",
    "健在证明",
    "死亡证明",
    "疾病状况证明",
    "残疾状况证明",
    "居民就业状况证明",
    "居民个人档案证明",
    "居民财产证明",
    "遗产继承权证明",
    "市场主体住所证明",
    "证件遗失证明",
];
const ZHAOQING_CERTS: [&str; 4] = ["夫妻关系证明", "非医学性死亡证明", "独生证明", "家庭关系证明"];

/// 退出 list: the 7 items of 民发〔2015〕136号 and the negative certificates.
pub fn exit_entries() -> Vec<Entry> {
    let always = Terms::Exit { scope: ExitScope::Always };
    let principal = Terms::Exit { scope: ExitScope::AsPrincipal };
    let mut v = vec![
        entry("EX-001".into(), "招商引资", S2015, ItemType::WorkTask, "—", S2015, always.clone()),
        entry("EX-002".into(), "协税护税", S2015, ItemType::WorkTask, "—", S2015, always.clone()),
        entry("EX-003".into(), "经济创收指标", S2015, ItemType::WorkTask, "—", S2015, always.clone()),
        entry("EX-004".into(), "行政执法", S2015, ItemType::WorkTask, "—", S2015, principal.clone()),
        entry("EX-005".into(), "拆迁拆违", S2015, ItemType::WorkTask, "—", S2015, principal.clone()),
        entry("EX-006".into(), "环境整治", S2015, ItemType::WorkTask, "—", S2015, principal.clone()),
        entry("EX-007".into(), "城市管理", S2015, ItemType::WorkTask, "—", S2015, principal),
    ];
    for (i, t) in XIANNING_CERTS.iter().enumerate() {
        v.push(entry(format!("EX-C{:02}", i + 1), t, "", ItemType::Certificate, "—", XIANNING, always.clone()));
    }
    for (i, t) in ZHAOQING_CERTS.iter().enumerate() {
        v.push(entry(format!("EX-Z{:02}", i + 1), t, "", ItemType::Certificate, "—", ZHAOQING, always.clone()));
    }
    v
}

/// 履职 list: the 居委会's own duties (居组法) and positive certificates.
pub fn duty_entries() -> Vec<Entry> {
    let items: [(&str, &str, ItemType, &str); 21] = [
        ("宣传宪法法律政策,维护居民合法权益", "居组法第三条", ItemType::WorkTask, JZF),
        ("办理本居住地区公共事务和公益事业", "居组法第三条", ItemType::WorkTask, JZF),
        ("调解民间纠纷", "居组法第三条", ItemType::WorkTask, JZF),
        ("向政府反映居民意见、要求和建议", "居组法第三条", ItemType::WorkTask, JZF),
        ("开展便民利民社区服务", "居组法第四条", ItemType::WorkTask, JZF),
        ("管理居委会财产", "居组法第四条", ItemType::WorkTask, JZF),
        ("多民族地区民族团结教育", "居组法第五条", ItemType::WorkTask, JZF),
        ("召集主持居民会议、向居民会议报告工作", "居组法第十条", ItemType::WorkTask, JZF),
        ("设立人民调解、治安保卫、公共卫生等下属委员会", "居组法第十三条", ItemType::Organization, JZF),
        ("划分居民小组、小组长推选", "居组法第十四条", ItemType::WorkTask, JZF),
        ("组织制定居民公约并监督执行", "居组法第十五条", ItemType::WorkTask, JZF),
        ("公益事业筹资及收支账目公布", "居组法第十六条", ItemType::WorkTask, JZF),
        ("组织居委会换届选举", "居组法第八条", ItemType::WorkTask, JZF),
        ("居民在社区居住证明", "居组法", ItemType::Certificate, ZJK),
        ("困难家庭生活困难证明", "居组法", ItemType::Certificate, ZJK),
        ("参加社区实践活动证明", "居组法", ItemType::Certificate, ZJK),
        ("住宅专项维修资金工程相关证明", "居组法", ItemType::Certificate, ZJK),
        ("居委会职责范围内依法应出具的其他证明", "居组法", ItemType::Certificate, ZJK),
        ("居(租)住证明", "居组法", ItemType::Certificate, ZHAOQING),
        ("权属来源证明", "居组法", ItemType::Certificate, ZHAOQING),
        ("贫困学生证明", "居组法", ItemType::Certificate, ZHAOQING),
    ];
    items
        .iter()
        .enumerate()
        .map(|(i, (t, basis, ty, src))| {
            entry(format!("DU-{:03}", i + 1), t, basis, *ty, "社区居委会", src, Terms::Duty)
        })
        .collect()
}

fn per_year(fen: Fen, dept: &str) -> Terms {
    Terms::Assistance(AssistanceTerms {
        standard_fen: fen,
        basis: FundingBasis::PerCommunityPerYear,
        paying_department: dept.into(),
    })
}

fn per_unit(fen: Fen, unit: &str, dept: &str) -> Terms {
    Terms::Assistance(AssistanceTerms {
        standard_fen: fen,
        basis: FundingBasis::PerUnit { unit: unit.into() },
        paying_department: dept.into(),
    })
}

/// 协助 list: 居组法 Art 3(4)(5) and 江西 items; standards invented.
pub fn assistance_entries() -> Vec<Entry> {
    let a3 = "居组法第三条";
    let items: [(&str, &str, &str, &str, Terms); 11] = [
        ("协助维护社会治安", a3, "铜陵市公安局", JZF, per_year(2_000_000, "铜陵市公安局")),
        ("协助做好公共卫生工作", a3, "铜陵市卫生健康委员会", JZF, per_year(1_500_000, "铜陵市卫生健康委员会")),
        ("协助做好计划生育工作", a3, "铜陵市卫生健康委员会", JZF, per_year(800_000, "铜陵市卫生健康委员会")),
        ("协助做好优抚救济工作", a3, "铜陵市民政局", JZF, per_year(1_000_000, "铜陵市民政局")),
        ("协助做好青少年教育工作", a3, "铜陵市教育局", JZF, per_year(600_000, "铜陵市教育局")),
        ("协助环境绿化美化", "江西 实施办法", "铜陵市城市管理局", JX, per_year(1_200_000, "铜陵市城市管理局")),
        ("协助暂住人口管理", "江西 实施办法", "铜陵市公安局", JX, per_unit(300, "人次", "铜陵市公安局")),
        ("协助婚丧嫁娶移风易俗工作", "江西 实施办法", "铜陵市民政局", JX, per_year(300_000, "铜陵市民政局")),
        (
            "协助社会治安综合治理",
            "江西 实施办法",
            "中共铜陵市委政法委员会",
            JX,
            per_year(1_000_000, "中共铜陵市委政法委员会"),
        ),
        (
            "协助对被判处剥夺政治权利、管制、缓刑、假释、保外就医、取保候审等人员进行监督教育",
            "江西 实施办法",
            "铜陵市司法局",
            JX,
            per_unit(5_000, "人", "铜陵市司法局"),
        ),
        (
            "协助完成人民政府依法交办的其他任务",
            "江西 实施办法",
            "铜陵市人民政府",
            JX,
            per_year(500_000, "铜陵市财政局"),
        ),
    ];
    items
        .into_iter()
        .enumerate()
        .map(|(i, (t, basis, dept, src, terms))| {
            entry(format!("AS-{:03}", i + 1), t, basis, ItemType::WorkTask, dept, src, terms)
        })
        .collect()
}

/// 考核准入 list: invented entries (no item names were found).
pub fn assessment_entries() -> Vec<Entry> {
    vec![
        entry(
            "AA-001".into(),
            "全国综合减灾示范社区创建评定",
            "示例（虚构）",
            ItemType::Assessment,
            "铜陵市应急管理局",
            "示例（虚构）",
            Terms::Assessment(AssessmentTerms {
                origin_level: GovLevel::National,
                max_times_per_year: 1,
                max_duration_days: 10,
                content_scope: vec!["减灾设施".into(), "应急预案".into(), "居民满意度".into()],
            }),
        ),
        entry(
            "AA-002".into(),
            "省级和谐社区建设示范单位测评",
            "示例（虚构）",
            ItemType::Assessment,
            "铜陵市民政局",
            "示例（虚构）",
            Terms::Assessment(AssessmentTerms {
                origin_level: GovLevel::Provincial,
                max_times_per_year: 2,
                max_duration_days: 15,
                content_scope: vec!["居民满意度".into(), "居民自治".into(), "社区服务".into()],
            }),
        ),
    ]
}

/// Build, review and publish one demo list.
pub fn published(kind: ListKind, entries: Vec<Entry>, effective: Date) -> ListVersion {
    let mut v = ListVersion::draft(kind, 1, ILLUSTRATIVE);
    for e in entries {
        v.add(e).expect("demo codes are unique");
    }
    v.review("demo").expect("demo entries are valid");
    v.publish(effective).expect("reviewed");
    v
}

/// The four demo lists, published with [`DEMO_EFFECTIVE`]. Illustrative.
pub fn demo_lists() -> [ListVersion; 4] {
    [
        published(ListKind::Exit, exit_entries(), DEMO_EFFECTIVE),
        published(ListKind::Duty, duty_entries(), DEMO_EFFECTIVE),
        published(ListKind::Assistance, assistance_entries(), DEMO_EFFECTIVE),
        published(ListKind::AssessmentAccess, assessment_entries(), DEMO_EFFECTIVE),
    ]
}

/// The demo lists in force on `date` with the default configuration.
pub fn demo_in_force(date: Date) -> ListsInForce {
    ListsInForce::in_force(demo_lists().iter(), date, CheckConfig::default()).expect("demo lists are in force")
}
