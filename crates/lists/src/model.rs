//! Plain data for the four lists and for an access application.
//!
//! Tongling's 2014 de-administration (source article, §二.2) published four
//! lists: 社区退出事务清单 ([`ListKind::Exit`], the negative list),
//! 社区履职清单 ([`ListKind::Duty`], the 居委会's own statutory duties),
//! 社区协助工作清单 ([`ListKind::Assistance`], work the community only assists
//! with, funded by the department under 权随责走、费随事转) and
//! 社区考核准入清单 ([`ListKind::AssessmentAccess`], the only assessments still
//! allowed). Every affair or assessment a department wants to push onto
//! communities must pass the city's access approval (rules §1.16, §3.1, §3b).
//!
//! Everything here is plain, serializable data; money is integer fen.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

/// Money in fen (分, 1/100 yuan).
pub type Fen = i64;

/// A message in both of shequ's languages (the one type of every engine).
pub use rules::Msg;

/// Where a rule comes from: `id` is the requirement in `rules.md` (or a
/// Tongling-specific id), `source` the document behind it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RuleRef {
    /// e.g. `"rules §3.3"`, `"铜陵 2014 考核准入"`.
    pub id: String,
    /// e.g. `"民发〔2015〕136号"`.
    pub source: String,
    pub title: Msg,
}

impl RuleRef {
    pub fn new(id: &str, source: &str, zh: &str, en: &str) -> RuleRef {
        RuleRef { id: id.into(), source: source.into(), title: Msg::new(zh, en) }
    }
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.id, self.source)
    }
}

/// The four lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// 社区退出事务清单: what communities no longer do (negative list).
    Exit,
    /// 社区履职清单: the community's own statutory duties.
    Duty,
    /// 社区协助工作清单: work the community only assists with.
    Assistance,
    /// 社区考核准入清单: the only assessments of communities still allowed.
    AssessmentAccess,
}

impl ListKind {
    pub const ALL: [ListKind; 4] = [ListKind::Exit, ListKind::Duty, ListKind::Assistance, ListKind::AssessmentAccess];

    pub fn name(self) -> Msg {
        match self {
            ListKind::Exit => Msg::new("社区退出事务清单", "exit list"),
            ListKind::Duty => Msg::new("社区履职清单", "duty list"),
            ListKind::Assistance => Msg::new("社区协助工作清单", "assistance list"),
            ListKind::AssessmentAccess => Msg::new("社区考核准入清单", "assessment-access list"),
        }
    }
}

/// The eight item types an access application must pick one of (rules §3b,
/// 张家口: 组织机构, 挂牌, 台账报表, 调查统计, 专项检查, 考核评比, 证明事项; plus
/// 工作任务 for ordinary work items).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemType {
    /// 组织机构
    Organization,
    /// 挂牌
    Plaque,
    /// 台账报表
    LedgerReport,
    /// 调查统计
    Survey,
    /// 专项检查
    Inspection,
    /// 考核评比
    Assessment,
    /// 证明事项
    Certificate,
    /// 工作任务
    WorkTask,
}

impl ItemType {
    pub const ALL: [ItemType; 8] = [
        ItemType::Organization,
        ItemType::Plaque,
        ItemType::LedgerReport,
        ItemType::Survey,
        ItemType::Inspection,
        ItemType::Assessment,
        ItemType::Certificate,
        ItemType::WorkTask,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            ItemType::Organization => "组织机构",
            ItemType::Plaque => "挂牌",
            ItemType::LedgerReport => "台账报表",
            ItemType::Survey => "调查统计",
            ItemType::Inspection => "专项检查",
            ItemType::Assessment => "考核评比",
            ItemType::Certificate => "证明事项",
            ItemType::WorkTask => "工作任务",
        }
    }
}

/// Level of the government that requires an assessment. Ordered from the
/// top: `National < Provincial < Municipal < District`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GovLevel {
    National,
    Provincial,
    Municipal,
    District,
}

impl GovLevel {
    /// The level's name for a page, in both languages.
    pub fn name(self) -> Msg {
        match self {
            GovLevel::National => Msg::new("国家", "national"),
            GovLevel::Provincial => Msg::new("省级", "provincial"),
            GovLevel::Municipal => Msg::new("市级", "municipal"),
            GovLevel::District => Msg::new("区级", "district"),
        }
    }

    /// Tongling 2014: only assessments required by provincial-level or higher
    /// governments survive.
    pub fn is_provincial_or_higher(self) -> bool {
        self <= GovLevel::Provincial
    }
}

/// How assistance funding is counted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
pub enum FundingBasis {
    /// fen per target community per year (pro-rated by duration).
    PerCommunityPerYear,
    /// fen per unit of work (e.g. `"户次"`, `"份"`); the unit name must match.
    PerUnit { unit: String },
}

impl FundingBasis {
    /// Same basis, and for per-unit the same unit after normalisation.
    pub fn same_as(&self, other: &FundingBasis) -> bool {
        match (self, other) {
            (FundingBasis::PerCommunityPerYear, FundingBasis::PerCommunityPerYear) => true,
            (FundingBasis::PerUnit { unit: a }, FundingBasis::PerUnit { unit: b }) => {
                crate::similarity::normalize(a) == crate::similarity::normalize(b)
            }
            _ => false,
        }
    }

    pub fn describe(&self) -> Msg {
        match self {
            FundingBasis::PerCommunityPerYear => Msg::new("每社区每年", "per community per year"),
            FundingBasis::PerUnit { unit } => Msg::new(format!("每{unit}"), format!("per unit ({unit})")),
        }
    }
}

/// Scope of an exit-list entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitScope {
    /// Cancelled outright (招商引资, 协税护税, 经济创收, negative certificates…).
    Always,
    /// Cancelled only where the community would be the responsible principal
    /// (作为责任主体的执法、拆迁拆违、环境整治、城市管理; rules §3.4).
    AsPrincipal,
}

/// Terms of an assistance-list entry (rules §3.3: 权随责走、费随事转).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AssistanceTerms {
    /// Minimum funding, in fen per [`FundingBasis`].
    pub standard_fen: Fen,
    pub basis: FundingBasis,
    pub paying_department: String,
}

/// Terms of an assessment-access entry (Tongling 2014; caps \[UNSURE\] in
/// rules.md, so they live on each entry).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AssessmentTerms {
    pub origin_level: GovLevel,
    pub max_times_per_year: u32,
    pub max_duration_days: u32,
    /// Allowed content items; empty means "not restricted by the entry".
    pub content_scope: Vec<String>,
}

/// List-specific terms of an entry; must agree with the list's kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "terms")]
pub enum Terms {
    Exit { scope: ExitScope },
    Duty,
    Assistance(AssistanceTerms),
    Assessment(AssessmentTerms),
}

impl Terms {
    pub fn kind(&self) -> ListKind {
        match self {
            Terms::Exit { .. } => ListKind::Exit,
            Terms::Duty => ListKind::Duty,
            Terms::Assistance(_) => ListKind::Assistance,
            Terms::Assessment(_) => ListKind::AssessmentAccess,
        }
    }
}

/// One list entry. `code` is unique within a list version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub code: String,
    pub title: String,
    pub legal_basis: String,
    pub item_type: ItemType,
    /// Responsible department (for duty entries: the 居委会 itself).
    pub department: String,
    /// Where the entry comes from (a document, or "illustrative").
    pub source: String,
    pub terms: Terms,
}

/// Level of the applying department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeptLevel {
    City,
    District,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Department {
    pub name: String,
    pub level: DeptLevel,
}

/// Which communities an application targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Targets {
    All,
    List(Vec<String>),
}

/// Declared units of work, for per-unit funding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Units {
    None,
    /// The same number of units in every target community.
    Uniform(u64),
    /// Units per community id; a target community missing here has 0 units.
    PerCommunity(Vec<(String, u64)>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    pub description: String,
    pub units: Units,
}

/// Who holds the legal duty for the item (rules §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyHolder {
    /// The 居委会's own statutory duty (居组法 Arts 3–16).
    ResidentsCommittee,
    /// 基层人民政府及其职能部门、街道办事处 or a 区 body.
    Government,
}

/// Emergency categories that may bypass access (rules §3b, 张家口: 生命财产安全、
/// 国家安全、公共安全、环境安全、公共卫生; natural disaster added by the issue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmergencyCategory {
    LifeAndPropertySafety,
    NationalSecurity,
    PublicSecurity,
    EnvironmentalSafety,
    PublicHealth,
    NaturalDisaster,
}

/// Emergency tag with its expiry (inclusive: in force on `expires`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Emergency {
    pub category: EmergencyCategory,
    pub expires: Date,
}

impl Emergency {
    pub fn in_force(&self, today: Date) -> bool {
        today <= self.expires
    }
}

/// Funding a department offers for assistance work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingOffer {
    pub amount_fen: Fen,
    pub basis: FundingBasis,
    pub paying_department: String,
}

/// Assessment details of an application of type 考核评比.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentPlan {
    pub origin_level: GovLevel,
    pub duration_days: u32,
    /// The department organises it on its own (not inside the city's unified
    /// comprehensive assessment).
    pub run_by_department_alone: bool,
    /// Contains a 一票否决 item against communities.
    pub one_vote_veto: bool,
    /// Content items assessed.
    pub content: Vec<String>,
}

/// A department's application to push an affair or assessment onto
/// communities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: String,
    pub department: Department,
    pub kind: ItemType,
    pub title: String,
    pub description: String,
    pub legal_basis: String,
    pub targets: Targets,
    pub start: Date,
    pub duration_days: u32,
    pub workload: Workload,
    /// The community would act as the responsible principal (责任主体);
    /// `false` means it only assists.
    pub community_as_principal: bool,
    pub duty_holder: DutyHolder,
    pub emergency: Option<Emergency>,
    /// Code of the list entry the department says the item falls under.
    pub claimed_entry: Option<String>,
    pub funding: Option<FundingOffer>,
    pub assessment: Option<AssessmentPlan>,
}

/// One past assessment of communities (input to the count cap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRecord {
    pub entry_code: Option<String>,
    pub department: String,
    pub title: String,
    pub date: Date,
}

/// Assessments already held, as data passed in by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentHistory {
    pub records: Vec<AssessmentRecord>,
}

impl AssessmentHistory {
    /// Times held in `year`: matched by entry code when `code` is given,
    /// otherwise by department and normalised title.
    pub fn times_in_year(&self, code: Option<&str>, department: &str, title: &str, year: i32) -> u32 {
        let norm = crate::similarity::normalize(title);
        let n = self
            .records
            .iter()
            .filter(|r| r.date.year() == year)
            .filter(|r| match code {
                Some(c) => r.entry_code.as_deref() == Some(c),
                None => r.department == department && crate::similarity::normalize(&r.title) == norm,
            })
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}
