//! Government purchase of services (政府购买服务, 财政部令第102号; rules §5.1–§5.9).
//! Money is integer fen.

use super::refuse;
use crate::Msg;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// What a party to a purchase is (Art 5, 6, 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// 国家机关.
    StateOrgan,
    /// 居委会 (基层群众性自治组织): a provider, never a buyer.
    ResidentsCommittee,
    /// A registered social organisation (a legal person).
    SocialOrganisation,
    /// A filed (备案) or small group: no legal person (rule 5.12).
    FiledGroup,
    Enterprise,
    /// 公益二类或从事生产经营活动的事业单位.
    PublicInstitution,
    /// 公益一类事业单位: barred (rule 5.2).
    PublicWelfareOne,
    /// 使用事业编制且由财政拨款保障的群团组织: barred (rule 5.2).
    FundedMassOrganisation,
    RuralCollective,
    Individual,
}

impl PartyKind {
    pub const ALL: [PartyKind; 10] = [
        PartyKind::StateOrgan,
        PartyKind::ResidentsCommittee,
        PartyKind::SocialOrganisation,
        PartyKind::FiledGroup,
        PartyKind::Enterprise,
        PartyKind::PublicInstitution,
        PartyKind::PublicWelfareOne,
        PartyKind::FundedMassOrganisation,
        PartyKind::RuralCollective,
        PartyKind::Individual,
    ];

    pub fn word(self) -> &'static str {
        match self {
            PartyKind::StateOrgan => "state_organ",
            PartyKind::ResidentsCommittee => "residents_committee",
            PartyKind::SocialOrganisation => "social_organisation",
            PartyKind::FiledGroup => "filed_group",
            PartyKind::Enterprise => "enterprise",
            PartyKind::PublicInstitution => "public_institution",
            PartyKind::PublicWelfareOne => "public_welfare_one",
            PartyKind::FundedMassOrganisation => "funded_mass_organisation",
            PartyKind::RuralCollective => "rural_collective",
            PartyKind::Individual => "individual",
        }
    }

    pub fn from_word(s: &str) -> Option<PartyKind> {
        PartyKind::ALL.into_iter().find(|k| k.word() == s)
    }

    pub fn name(self) -> Msg {
        match self {
            PartyKind::StateOrgan => Msg::new("国家机关", "state organ"),
            PartyKind::ResidentsCommittee => Msg::new("居民委员会", "residents' committee"),
            PartyKind::SocialOrganisation => Msg::new("登记的社会组织", "registered social organisation"),
            PartyKind::FiledGroup => Msg::new("备案的社区社会组织", "filed community group"),
            PartyKind::Enterprise => Msg::new("企业", "enterprise"),
            PartyKind::PublicInstitution => Msg::new("公益二类事业单位", "public institution (class two)"),
            PartyKind::PublicWelfareOne => Msg::new("公益一类事业单位", "public welfare institution (class one)"),
            PartyKind::FundedMassOrganisation => {
                Msg::new("财政拨款保障的群团组织", "mass organisation funded by the budget")
            }
            PartyKind::RuralCollective => Msg::new("农村集体经济组织", "rural collective economic organisation"),
            PartyKind::Individual => Msg::new("个人", "individual"),
        }
    }
}

/// 5.1: the buyer is a state organ (Art 5); a residents' committee cannot buy.
pub fn rule_5_1_buyer_is_state_organ(buyer: PartyKind) -> Result<(), Msg> {
    if buyer == PartyKind::StateOrgan {
        return Ok(());
    }
    let n = buyer.name();
    Err(refuse(
        "5.1",
        format!("购买主体须是国家机关，{}不能作为购买主体", n.zh),
        format!("the buyer must be a state organ; a {} cannot buy services", n.en),
    ))
}

/// 5.1: a provider is one of Art 6's kinds (a residents' committee may provide; a state organ may not).
pub fn rule_5_1_provider_eligible(provider: PartyKind) -> Result<(), Msg> {
    if provider == PartyKind::StateOrgan {
        return Err(refuse("5.1", "国家机关不能作为承接主体", "a state organ cannot be the provider"));
    }
    Ok(())
}

/// 5.2: 公益一类事业单位 and budget-funded mass organisations are neither buyer nor provider (Art 8).
pub fn rule_5_2_not_barred(party: PartyKind) -> Result<(), Msg> {
    match party {
        PartyKind::PublicWelfareOne | PartyKind::FundedMassOrganisation => {
            let n = party.name();
            Err(refuse(
                "5.2",
                format!("{}不得作为政府购买服务的购买主体或承接主体", n.zh),
                format!("a {} may be neither buyer nor provider", n.en),
            ))
        }
        _ => Ok(()),
    }
}

/// 5.12: a filed (备案) group has no legal personality and cannot sign a contract as a legal person.
pub fn rule_5_12_filed_group_cannot_sign(provider: PartyKind) -> Result<(), Msg> {
    if provider == PartyKind::FiledGroup {
        return Err(refuse(
            "5.12",
            "备案的社区社会组织不具有独立法人资格，不能以法人身份签订购买服务合同",
            "a filed community group has no legal personality and cannot sign the contract as a legal person",
        ));
    }
    Ok(())
}

/// 5.9: a purchase from an individual needs a recorded reason why the service suits one.
pub fn rule_5_9_individual_suits(provider: PartyKind, reason: &str) -> Result<(), Msg> {
    if provider == PartyKind::Individual && reason.trim().is_empty() {
        return Err(refuse(
            "5.9",
            "向个人购买服务须说明该服务适合由个人承接的理由",
            "buying from an individual needs the reason the service suits an individual",
        ));
    }
    Ok(())
}

/// 5.3: content Art 10 bars from purchase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BarredContent {
    NotGovernmentDuty,
    MustDoDirectly,
    GoodsOrWorks,
    Financing,
    OwnStaffing,
    OtherBarred,
}

impl BarredContent {
    pub const ALL: [BarredContent; 6] = [
        BarredContent::NotGovernmentDuty,
        BarredContent::MustDoDirectly,
        BarredContent::GoodsOrWorks,
        BarredContent::Financing,
        BarredContent::OwnStaffing,
        BarredContent::OtherBarred,
    ];

    pub fn word(self) -> &'static str {
        match self {
            BarredContent::NotGovernmentDuty => "not_government_duty",
            BarredContent::MustDoDirectly => "must_do_directly",
            BarredContent::GoodsOrWorks => "goods_or_works",
            BarredContent::Financing => "financing",
            BarredContent::OwnStaffing => "own_staffing",
            BarredContent::OtherBarred => "other_barred",
        }
    }

    pub fn from_word(s: &str) -> Option<BarredContent> {
        BarredContent::ALL.into_iter().find(|k| k.word() == s)
    }

    pub fn name(self) -> Msg {
        match self {
            BarredContent::NotGovernmentDuty => {
                Msg::new("不属于政府职责范围的服务", "a service outside the government's duties")
            }
            BarredContent::MustDoDirectly => {
                Msg::new("应当由政府直接履职的事项", "a matter the government must do directly")
            }
            BarredContent::GoodsOrWorks => {
                Msg::new("货物或工程，或将工程与服务打包", "goods or works, or works bundled with services")
            }
            BarredContent::Financing => Msg::new("融资行为", "financing"),
            BarredContent::OwnStaffing => Msg::new(
                "购买主体的人员招聘、劳务派遣或公益性岗位",
                "the buyer's own hiring, agency staff or public-welfare posts",
            ),
            BarredContent::OtherBarred => Msg::new(
                "法律、行政法规及国务院规定的其他不得购买的事项",
                "other items barred by law or the State Council",
            ),
        }
    }
}

/// 5.3: a project whose content is any of Art 10's items is refused.
pub fn rule_5_3_content_allowed(flags: &[BarredContent]) -> Result<(), Msg> {
    match flags.first() {
        None => Ok(()),
        Some(b) => Err(refuse(
            "5.3",
            format!("不得作为政府购买服务内容：{}", b.name().zh),
            format!("not purchasable as a service: {}", b.name().en),
        )),
    }
}

/// An item of the published guiding catalogue (指导性目录), as the project cites it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogueItem {
    pub published: bool,
    /// On the local negative list (负面清单).
    pub negative: bool,
}

/// 5.4: the project cites a published catalogue item not on the negative list.
pub fn rule_5_4_catalogue_item(item: Option<CatalogueItem>) -> Result<(), Msg> {
    match item {
        Some(CatalogueItem { published: true, negative: false }) => Ok(()),
        Some(CatalogueItem { negative: true, .. }) => {
            Err(refuse("5.4", "该事项在负面清单内，不得购买", "the item is on the negative list and cannot be bought"))
        }
        _ => Err(refuse(
            "5.4",
            "须引用已公开的政府购买服务指导性目录中的事项",
            "cite an item of the published guiding catalogue",
        )),
    }
}

/// 5.4: an approved budget line with enough left: `approved − committed ≥ price` (先有预算后购买).
pub fn rule_5_4_budget_line(line: Option<(i64, i64)>, price: i64) -> Result<(), Msg> {
    let Some((approved, committed)) = line else {
        return Err(refuse(
            "5.4",
            "须引用已批准的预算科目，年度预算未安排资金的项目一律不得实施",
            "cite an approved budget line",
        ));
    };
    let left = approved - committed;
    if price <= left {
        Ok(())
    } else {
        Err(refuse(
            "5.4",
            format!("预算科目余额{}元不足合同金额{}元", yuan(left), yuan(price)),
            format!("the budget line has {} yuan left, less than the price {} yuan", yuan(left), yuan(price)),
        ))
    }
}

/// 5.4 with the lists (rules §3): a purchased service is a government duty, not an item the
/// exit list took away from the community; `matches` are the exit-list entries the project's
/// item matches (by code or title).
pub fn rule_5_4_not_exit_list(matches: &[String]) -> Result<(), Msg> {
    match matches.first() {
        None => Ok(()),
        Some(t) => Err(refuse(
            "5.4",
            format!("“{t}”是退出清单事项，不能作为政府购买服务项目"),
            format!("“{t}” is an exit-list item and cannot be a purchased service"),
        )),
    }
}

fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// 5.5: a 政府采购 method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    OpenTender,
    InvitedTender,
    CompetitiveNegotiation,
    CompetitiveConsultation,
    SingleSource,
    Inquiry,
}

impl Method {
    pub const ALL: [Method; 6] = [
        Method::OpenTender,
        Method::InvitedTender,
        Method::CompetitiveNegotiation,
        Method::CompetitiveConsultation,
        Method::SingleSource,
        Method::Inquiry,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Method::OpenTender => "open_tender",
            Method::InvitedTender => "invited_tender",
            Method::CompetitiveNegotiation => "competitive_negotiation",
            Method::CompetitiveConsultation => "competitive_consultation",
            Method::SingleSource => "single_source",
            Method::Inquiry => "inquiry",
        }
    }

    pub fn from_word(s: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|k| k.word() == s)
    }

    pub fn name(self) -> Msg {
        match self {
            Method::OpenTender => Msg::new("公开招标", "open tender"),
            Method::InvitedTender => Msg::new("邀请招标", "invited tender"),
            Method::CompetitiveNegotiation => Msg::new("竞争性谈判", "competitive negotiation"),
            Method::CompetitiveConsultation => Msg::new("竞争性磋商", "competitive consultation"),
            Method::SingleSource => Msg::new("单一来源采购", "single source"),
            Method::Inquiry => Msg::new("询价", "request for quotation"),
        }
    }
}

/// 5.5: the provider was selected by a recorded procurement method, on conditions
/// that do not discriminate.
pub fn rule_5_5_procurement(method: Option<Method>, discriminatory: bool) -> Result<(), Msg> {
    if method.is_none() {
        return Err(refuse("5.5", "须记录政府采购方式", "record the procurement method"));
    }
    if discriminatory {
        return Err(refuse("5.5", "承接主体的条件不得有歧视性", "the provider conditions must not discriminate"));
    }
    Ok(())
}

/// 5.6: the written contract's required terms (Art 23).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms<'a> {
    pub content: &'a str,
    pub quantity: &'a str,
    pub quality: &'a str,
    pub settlement: &'a str,
    pub rights: &'a str,
    pub liability: &'a str,
    /// Price and term are checked as numbers and dates (5.7); here only that they exist.
    pub price: i64,
    pub published_on: Option<Date>,
}

/// 5.6: every term is written and the contract is published (公告). Every missing term is named.
pub fn rule_5_6_contract_terms(t: &Terms<'_>) -> Result<(), Msg> {
    let mut missing: Vec<(&str, &str)> = Vec::new();
    for (v, zh, en) in [
        (t.content, "服务内容", "service content"),
        (t.quantity, "服务数量", "quantity"),
        (t.quality, "质量要求", "quality"),
        (t.settlement, "资金结算方式", "settlement method"),
        (t.rights, "双方权利义务", "rights and obligations"),
        (t.liability, "违约责任", "liability for breach"),
    ] {
        if v.trim().is_empty() {
            missing.push((zh, en));
        }
    }
    if t.price <= 0 {
        missing.push(("服务价格", "price"));
    }
    if t.published_on.is_none() {
        missing.push(("合同公告日期", "date published"));
    }
    if missing.is_empty() {
        return Ok(());
    }
    let zh: Vec<&str> = missing.iter().map(|m| m.0).collect();
    let en: Vec<&str> = missing.iter().map(|m| m.1).collect();
    Err(refuse(
        "5.6",
        format!("书面合同须载明并公告：缺{}", zh.join("、")),
        format!("the written contract must state and publish: missing {}", en.join(", ")),
    ))
}

/// The last day of a term of `years` years from `from`.
fn term_end(from: Date, years: i32) -> Date {
    let y = from.year() + years;
    let d = Date::from_calendar_date(y, from.month(), from.day())
        .or_else(|_| Date::from_calendar_date(y, from.month(), from.day() - 1))
        .unwrap_or(from);
    d - Duration::days(1)
}

/// 5.7: a term of at most one year; up to three only with a recorded justification and a
/// budget guarantee; never more.
pub fn rule_5_7_term(from: Date, to: Date, justification: &str, budget_guarantee: bool) -> Result<(), Msg> {
    if to < from {
        return Err(refuse("5.7", "合同期限的结束日期早于开始日期", "the term ends before it begins"));
    }
    if to <= term_end(from, 1) {
        return Ok(());
    }
    if to > term_end(from, 3) {
        return Err(refuse("5.7", "购买服务合同期限不得超过3年", "a service contract's term cannot exceed 3 years"));
    }
    if justification.trim().is_empty() || !budget_guarantee {
        return Err(refuse(
            "5.7",
            "合同期限超过1年须记录理由（服务内容稳定、连续性强、经费来源稳定、价格变化幅度小）并有预算保障",
            "a term over 1 year needs a recorded justification (fixed content, continuity, stable funding, stable price) and a budget guarantee",
        ));
    }
    Ok(())
}

/// 5.8: before contracting, a prior performance assessment and performance targets.
pub fn rule_5_8_prior_assessment(assessment: &str, targets: &str) -> Result<(), Msg> {
    if assessment.trim().is_empty() || targets.trim().is_empty() {
        return Err(refuse(
            "5.8",
            "签订合同前须完成事前绩效评估并设定绩效目标",
            "a prior performance assessment and performance targets come before the contract",
        ));
    }
    Ok(())
}

/// What a contract has earned so far: the price pro rata to the confirmed quantity against the
/// contracted quantity (floored, never above the price).
pub fn earned(price: i64, target_quantity: i64, confirmed_quantity: i64) -> i64 {
    if target_quantity <= 0 {
        return 0;
    }
    let q = confirmed_quantity.clamp(0, target_quantity);
    (i128::from(price) * i128::from(q) / i128::from(target_quantity)) as i64
}

/// 5.8: where a payment stands: the contract, what is paid, what the confirmed service earned,
/// and whether the final evaluation passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentState {
    pub price: i64,
    pub target_quantity: i64,
    pub confirmed_quantity: i64,
    pub paid: i64,
    /// None: no final evaluation yet.
    pub final_passed: Option<bool>,
}

/// 5.8: a payment is positive, never takes the total above the contract, is covered by
/// confirmed service records (quantity), and the instalment that completes the contract
/// needs a passed final evaluation (quality).
pub fn rule_5_8_payment(s: PaymentState, amount: i64) -> Result<(), Msg> {
    if amount <= 0 {
        return Err(refuse("5.8", "付款金额须大于零", "a payment is more than zero"));
    }
    if s.paid + amount > s.price {
        return Err(refuse(
            "5.8",
            format!("累计付款不得超过合同金额{}元（已付{}元）", yuan(s.price), yuan(s.paid)),
            format!("payments cannot exceed the contract's {} yuan ({} yuan paid)", yuan(s.price), yuan(s.paid)),
        ));
    }
    let e = earned(s.price, s.target_quantity, s.confirmed_quantity);
    if s.paid + amount > e {
        return Err(refuse(
            "5.8",
            format!("付款须依据已确认的服务记录：按已确认服务量只可累计支付{}元（已付{}元）", yuan(e), yuan(s.paid)),
            format!(
                "payment follows confirmed service records: {} yuan earned so far ({} yuan paid)",
                yuan(e),
                yuan(s.paid)
            ),
        ));
    }
    if s.paid + amount == s.price && s.final_passed != Some(true) {
        return Err(refuse(
            "5.8",
            "结清合同款须在终期评价合格之后",
            "the instalment that completes the contract needs a passed final evaluation",
        ));
    }
    Ok(())
}

#[cfg(test)]
#[path = "purchase_tests.rs"]
mod tests;
