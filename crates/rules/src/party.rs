//! Party building with resident units (驻区单位): the community's big party
//! working committee (大党工委) on which units hold part-time seats, the
//! co-building agreements (共驻共建协议) by which they commit venues,
//! volunteers, money, goods, services and jobs, the community's yearly
//! evaluation of each unit, and its one-vote veto (一票否决) over a unit's
//! community party-building assessment. Source: the seed text ¶11–12 (in
//! 2014, 126 units held posts on Tongling's community party working committees
//! and 358 units signed co-building agreements; the community party
//! organisation was given the right to review, evaluate and recommend on the
//! promotion of unit cadres and a one-vote veto), and 居组法 Art 19 (rules
//! §1.17: units send representatives to the meetings that concern them).
//!
//! The rules, each a function named after its id:
//! - P1 [`p1_unit_seated_once`]: a unit holds at most one seat at a time.
//! - P2 [`p2_fulfilment_in_period`]: fulfilment only inside its commitment's period.
//! - P3 [`p3_fulfilment_of_kind`]: fulfilment only of the commitment's own kind.
//! - P4 [`p4_quantity`] and [`fulfilled_percent`]: quantities are non-negative,
//!   and fulfilment is shown against the commitment.
//! - P5 [`p5_veto_grounds`]: a veto only with grounds drawn from the unit's own
//!   fulfilment record of that year.
//! - P6 [`p6_evaluation_by_own_community`]: only the unit's own community evaluates it.
//! - P7 [`p7_representative_of_own_community`]: a unit's representative sits at
//!   its own community's meetings (rules §1.17).
//! - P8 [`p8_money_by_residents_meeting`]: money from a unit is collected only on a
//!   decision of the community's 居民会议 (rules §1.14; the signed agreement is the unit's consent).
//!
//! Dates are whole days; periods are inclusive at both ends. No I/O.

use crate::Msg;
use time::Date;

/// What a unit commits, each counted in its own measure ([`CommitmentKind::measure`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentKind {
    /// A venue opened to residents: hours open.
    Venue,
    /// Volunteers: volunteer hours.
    Volunteers,
    /// Money for the community's funds: fen.
    Money,
    /// Goods: items.
    Goods,
    /// Services to residents: times.
    Services,
    /// Jobs for residents: posts.
    Jobs,
}

impl CommitmentKind {
    pub const ALL: [CommitmentKind; 6] = [
        CommitmentKind::Venue,
        CommitmentKind::Volunteers,
        CommitmentKind::Money,
        CommitmentKind::Goods,
        CommitmentKind::Services,
        CommitmentKind::Jobs,
    ];

    pub fn name(self) -> Msg {
        match self {
            CommitmentKind::Venue => Msg::new("场地开放", "venue opened to residents"),
            CommitmentKind::Volunteers => Msg::new("志愿服务", "volunteers"),
            CommitmentKind::Money => Msg::new("资金", "money"),
            CommitmentKind::Goods => Msg::new("物资", "goods"),
            CommitmentKind::Services => Msg::new("服务项目", "services"),
            CommitmentKind::Jobs => Msg::new("就业岗位", "jobs"),
        }
    }

    /// What a quantity of this kind counts (money: fen, shown as yuan).
    pub fn measure(self) -> Msg {
        match self {
            CommitmentKind::Venue => Msg::new("小时", "hours"),
            CommitmentKind::Volunteers => Msg::new("志愿服务小时", "volunteer hours"),
            CommitmentKind::Money => Msg::new("元", "yuan"),
            CommitmentKind::Goods => Msg::new("件", "items"),
            CommitmentKind::Services => Msg::new("次", "times"),
            CommitmentKind::Jobs => Msg::new("个岗位", "posts"),
        }
    }
}

/// An inclusive period of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// A period whose end is not before its start.
    pub fn new(from: Date, to: Date) -> Result<Period, Msg> {
        if to < from {
            return Err(Msg::new(
                format!("结束日期{to}早于开始日期{from}"),
                format!("the end {to} is before the start {from}"),
            ));
        }
        Ok(Period { from, to })
    }

    pub fn contains(&self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }

    pub fn overlaps(&self, o: &Period) -> bool {
        self.from <= o.to && o.from <= self.to
    }

    /// The calendar year `year` as a period.
    pub fn year(year: i32) -> Option<Period> {
        let from = Date::from_calendar_date(year, time::Month::January, 1).ok()?;
        let to = Date::from_calendar_date(year, time::Month::December, 31).ok()?;
        Some(Period { from, to })
    }

    fn days(&self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }
}

/// P1: a unit holds at most one seat on the committee at a time: the new
/// term must not overlap any term the unit already holds (`held`).
pub fn p1_unit_seated_once(unit: &str, held: &[Period], new: Period) -> Result<(), Msg> {
    match held.iter().find(|p| p.overlaps(&new)) {
        None => Ok(()),
        Some(p) => Err(Msg::new(
            format!("{unit}在{}至{}已有委员席位，同一单位同一时间只能占一个席位", p.from, p.to),
            format!("{unit} already holds a seat from {} to {}; a unit holds one seat at a time", p.from, p.to),
        )),
    }
}

/// P2: a fulfilment is dated inside its commitment's period (the agreement's).
pub fn p2_fulfilment_in_period(period: Period, done_on: Date) -> Result<(), Msg> {
    if period.contains(done_on) {
        Ok(())
    } else {
        Err(Msg::new(
            format!("履行日期{done_on}不在承诺期限{}至{}之内", period.from, period.to),
            format!("{done_on} is outside the commitment's period {} to {}", period.from, period.to),
        ))
    }
}

/// P3: a fulfilment is of its commitment's own kind (volunteer hours do not fulfil money).
pub fn p3_fulfilment_of_kind(committed: CommitmentKind, fulfilled: CommitmentKind) -> Result<(), Msg> {
    if committed == fulfilled {
        Ok(())
    } else {
        Err(Msg::new(
            format!("该承诺是“{}”，不能以“{}”履行", committed.name().zh, fulfilled.name().zh),
            format!("the commitment is {}; it cannot be fulfilled with {}", committed.name().en, fulfilled.name().en),
        ))
    }
}

/// P4: a quantity (committed or fulfilled) is not negative.
pub fn p4_quantity(quantity: i64) -> Result<(), Msg> {
    if quantity >= 0 { Ok(()) } else { Err(Msg::new("数量不能为负数", "a quantity cannot be negative")) }
}

/// P4: fulfilment shown against the commitment, in whole percent (floored;
/// above 100 when more was done than promised). A commitment of nothing is
/// fulfilled (100).
pub fn fulfilled_percent(committed: i64, fulfilled: i64) -> i64 {
    if committed <= 0 {
        return 100;
    }
    (i128::from(fulfilled.max(0)) * 100 / i128::from(committed)) as i64
}

/// A unit's record for a year in one figure: the mean over its commitments of
/// what was fulfilled against what was due (each capped at 100, floored); a
/// unit with nothing due stands at 100. Each pair is (due, fulfilled).
pub fn record_percent(lines: &[(i64, i64)]) -> i64 {
    if lines.is_empty() {
        return 100;
    }
    let sum: i64 = lines.iter().map(|&(due, done)| fulfilled_percent(due, done).min(100)).sum();
    sum / lines.len() as i64
}

/// How much of a commitment of `quantity` over `period` is due by the end of
/// `by` (pro rata by days, floored): all of it once the period has ended.
pub fn due_by(period: Period, quantity: i64, by: Date) -> i64 {
    if by < period.from {
        return 0;
    }
    if by >= period.to {
        return quantity;
    }
    let elapsed = (by - period.from).whole_days() + 1;
    (i128::from(quantity) * i128::from(elapsed) / i128::from(period.days())) as i64
}

/// One line of a unit's fulfilment record cited as a ground for a veto.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ground {
    /// The unit whose commitment this is.
    pub unit: i64,
    pub kind: CommitmentKind,
    pub period: Period,
    pub committed: i64,
    /// Confirmed fulfilment up to the end of the veto's year.
    pub fulfilled: i64,
}

/// P5: a veto over unit `unit`'s assessment for `year` needs at least one
/// ground, and every ground is a commitment of that unit, in force during that
/// year, whose confirmed fulfilment fell short of what was due by the year's end.
pub fn p5_veto_grounds(unit: i64, year: i32, grounds: &[Ground]) -> Result<(), Msg> {
    let Some(y) = Period::year(year) else {
        return Err(Msg::new(format!("年度{year}无效"), format!("{year} is not a valid year")));
    };
    if grounds.is_empty() {
        return Err(Msg::new(
            "一票否决须列明理由：引用该单位本年度履行承诺的记录",
            "a veto needs grounds: cite the unit's own fulfilment record of that year",
        ));
    }
    for g in grounds {
        if g.unit != unit {
            return Err(Msg::new(
                "所引理由不是该单位自己的承诺履行记录",
                "a ground is not from this unit's own fulfilment record",
            ));
        }
        if !g.period.overlaps(&y) {
            return Err(Msg::new(
                format!("所引承诺（{}至{}）不在{year}年度内", g.period.from, g.period.to),
                format!("a cited commitment ({} to {}) is not in force in {year}", g.period.from, g.period.to),
            ));
        }
        let due = due_by(g.period, g.committed, y.to);
        if g.fulfilled >= due {
            return Err(Msg::new(
                format!("所引“{}”承诺截至{year}年底已按期履行，不能作为否决理由", g.kind.name().zh),
                format!(
                    "the cited {} commitment was fulfilled as due by the end of {year}; it is no ground",
                    g.kind.name().en
                ),
            ));
        }
    }
    Ok(())
}

/// P6: only the unit's own community (its party organisation) evaluates the unit.
/// `evaluator` is the evaluating community (`None`: not a community at all).
pub fn p6_evaluation_by_own_community(unit_community: &str, evaluator: Option<&str>) -> Result<(), Msg> {
    if evaluator == Some(unit_community) {
        Ok(())
    } else {
        Err(Msg::new(
            "只有驻区单位所在社区的党组织可以评价该单位",
            "only the party organisation of the unit's own community evaluates it",
        ))
    }
}

/// P7 (rules §1.17): a unit's representative attends its own community's meetings.
pub fn p7_representative_of_own_community(unit_community: &str, meeting_community: &str) -> Result<(), Msg> {
    if unit_community == meeting_community {
        Ok(())
    } else {
        Err(Msg::new(
            "驻区单位只能派代表参加本社区的居民会议或议事会议",
            "a unit sends representatives to its own community's meetings only",
        ))
    }
}

/// What a meeting cited for a money commitment is: of which community, and whether a 居民会议.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CitedMeeting<'a> {
    pub community: &'a str,
    pub residents_meeting: bool,
}

/// P8 (居组法 Art 16, rules §1.14): money collected from a unit in the area needs a
/// decision of the community's own 居民会议 (and the unit's consent: its signed agreement).
pub fn p8_money_by_residents_meeting(community: &str, cited: Option<CitedMeeting<'_>>) -> Result<(), Msg> {
    match cited {
        Some(m) if m.community == community && m.residents_meeting => Ok(()),
        _ => Err(Msg::new(
            "向驻区单位筹集资金须经本社区居民会议讨论决定（居组法第十六条），请选择作出决定的居民会议",
            "money from a unit needs a decision of this community's residents' meeting (Organic Law Art 16); cite that meeting",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn p(from: Date, to: Date) -> Period {
        Period::new(from, to).unwrap()
    }

    #[test]
    fn p1_unit_seated_once_accepts_a_later_term() {
        let held = [p(date!(2024 - 01 - 01), date!(2025 - 12 - 31))];
        assert!(p1_unit_seated_once("某单位", &held, p(date!(2026 - 01 - 01), date!(2028 - 12 - 31))).is_ok());
    }

    #[test]
    fn p1_unit_seated_once_refuses_an_overlapping_term() {
        let held = [p(date!(2024 - 01 - 01), date!(2026 - 12 - 31))];
        let e = p1_unit_seated_once("某单位", &held, p(date!(2026 - 12 - 31), date!(2028 - 12 - 31))).unwrap_err();
        assert!(e.zh.contains("只能占一个席位") && e.en.contains("one seat at a time"), "{e}");
        assert!(Period::new(date!(2026 - 01 - 02), date!(2026 - 01 - 01)).is_err());
    }

    #[test]
    fn p2_fulfilment_in_period_accepts_both_ends() {
        let per = p(date!(2026 - 01 - 01), date!(2026 - 12 - 31));
        assert!(p2_fulfilment_in_period(per, date!(2026 - 01 - 01)).is_ok());
        assert!(p2_fulfilment_in_period(per, date!(2026 - 12 - 31)).is_ok());
    }

    #[test]
    fn p2_fulfilment_in_period_refuses_a_day_after() {
        let per = p(date!(2026 - 01 - 01), date!(2026 - 12 - 31));
        let e = p2_fulfilment_in_period(per, date!(2027 - 01 - 01)).unwrap_err();
        assert!(e.zh.contains("不在承诺期限"), "{e}");
    }

    #[test]
    fn p3_fulfilment_of_kind_accepts_the_same_kind() {
        assert!(p3_fulfilment_of_kind(CommitmentKind::Volunteers, CommitmentKind::Volunteers).is_ok());
    }

    #[test]
    fn p3_fulfilment_of_kind_refuses_another_kind() {
        let e = p3_fulfilment_of_kind(CommitmentKind::Money, CommitmentKind::Volunteers).unwrap_err();
        assert!(e.zh.contains("资金") && e.zh.contains("志愿服务"), "{e}");
    }

    #[test]
    fn p4_quantity_accepts_zero_and_shows_percent() {
        assert!(p4_quantity(0).is_ok());
        assert_eq!(fulfilled_percent(300, 150), 50);
        assert_eq!(fulfilled_percent(3, 1), 33);
        assert_eq!(fulfilled_percent(100, 130), 130);
        assert_eq!(fulfilled_percent(0, 0), 100);
        assert_eq!(fulfilled_percent(i64::MAX, i64::MAX), 100);
    }

    #[test]
    fn a_record_is_the_mean_of_its_lines_each_capped() {
        assert_eq!(record_percent(&[]), 100);
        assert_eq!(record_percent(&[(100, 50), (10, 30)]), 75);
    }

    #[test]
    fn p4_quantity_refuses_a_negative() {
        assert!(p4_quantity(-1).unwrap_err().zh.contains("负数"));
    }

    fn ground(unit: i64, committed: i64, fulfilled: i64) -> Ground {
        Ground {
            unit,
            kind: CommitmentKind::Volunteers,
            period: p(date!(2025 - 07 - 01), date!(2026 - 06 - 30)),
            committed,
            fulfilled,
        }
    }

    #[test]
    fn p5_veto_grounds_accepts_a_shortfall_of_that_year() {
        // Half the period falls in 2025: 184 of 365 days, so 91 of 182 hours were due by its end.
        assert_eq!(due_by(ground(1, 182, 0).period, 182, date!(2025 - 12 - 31)), 91);
        assert!(p5_veto_grounds(1, 2025, &[ground(1, 182, 90)]).is_ok());
        assert!(p5_veto_grounds(1, 2026, &[ground(1, 182, 181)]).is_ok());
    }

    #[test]
    fn p5_veto_grounds_refuses_no_grounds_anothers_record_another_year_or_no_shortfall() {
        assert!(p5_veto_grounds(1, 2025, &[]).unwrap_err().zh.contains("须列明理由"));
        assert!(p5_veto_grounds(1, 2025, &[ground(2, 182, 0)]).unwrap_err().zh.contains("不是该单位"));
        assert!(p5_veto_grounds(1, 2024, &[ground(1, 182, 0)]).unwrap_err().zh.contains("不在2024年度"));
        assert!(p5_veto_grounds(1, 2025, &[ground(1, 182, 91)]).unwrap_err().zh.contains("已按期履行"));
    }

    #[test]
    fn p6_evaluation_by_own_community_accepts_the_units_community() {
        assert!(p6_evaluation_by_own_community("340705402", Some("340705402")).is_ok());
    }

    #[test]
    fn p6_evaluation_by_own_community_refuses_another_or_none() {
        assert!(p6_evaluation_by_own_community("340705402", Some("340705403")).is_err());
        assert!(p6_evaluation_by_own_community("340705402", None).unwrap_err().zh.contains("所在社区"));
    }

    #[test]
    fn p7_representative_of_own_community_accepts_its_own() {
        assert!(p7_representative_of_own_community("340705402", "340705402").is_ok());
    }

    #[test]
    fn p8_money_by_residents_meeting_accepts_its_own_residents_meeting() {
        let m = CitedMeeting { community: "340705402", residents_meeting: true };
        assert!(p8_money_by_residents_meeting("340705402", Some(m)).is_ok());
    }

    #[test]
    fn p8_money_by_residents_meeting_refuses_none_a_council_or_another_community() {
        assert!(p8_money_by_residents_meeting("340705402", None).unwrap_err().zh.contains("居民会议"));
        let council = CitedMeeting { community: "340705402", residents_meeting: false };
        assert!(p8_money_by_residents_meeting("340705402", Some(council)).is_err());
        let other = CitedMeeting { community: "340705403", residents_meeting: true };
        assert!(p8_money_by_residents_meeting("340705402", Some(other)).is_err());
    }

    #[test]
    fn p7_representative_of_own_community_refuses_another() {
        assert!(p7_representative_of_own_community("340705402", "340705403").is_err());
    }
}
