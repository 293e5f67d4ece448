//! The service items catalogue (事项目录) of a community service center.

use anyhow::{Result, anyhow};
use store::Db;

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

pub(super) async fn load(db: &Db) -> Result<()> {
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
