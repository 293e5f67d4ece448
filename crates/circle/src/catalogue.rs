//! GB 50180-2018's living-circle levels and the facility types judged against them (rules §7),
//! as the default data a city starts from and may edit (a planner may use a local standard).
//! Every row says where its number comes from; the rules file marks several as recalled.

/// A living-circle level: the walking distance a facility of its types must be within.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub code: &'static str,
    pub name: &'static str,
    pub minutes: u32,
    /// The distance a home is judged against (the upper end of the standard's range).
    pub walk_m: u32,
    /// The standard's own wording of the distance.
    pub range: &'static str,
    pub source: &'static str,
}

/// A facility type of the catalogue, at a level; `radius_m` when its own service radius is
/// stricter than its level's distance (rules §7.2, schools).
#[derive(Debug, Clone, PartialEq)]
pub struct FacilityType {
    pub code: &'static str,
    pub name: &'static str,
    pub level: &'static str,
    pub radius_m: Option<u32>,
    pub source: &'static str,
}

impl FacilityType {
    /// The walking distance a home must be within to count as covered by this type.
    pub fn walk_m(&self, levels: &[Level]) -> Option<u32> {
        let level = levels.iter().find(|l| l.code == self.level)?;
        Some(self.radius_m.map_or(level.walk_m, |r| r.min(level.walk_m)))
    }
}

const T304: &str = "GB 50180-2018 表 3.0.4（凭记忆；800–1000 米见 2020 年《规划师》）";
const APPX_B: &str = "GB 50180-2018 第 5 章、附录 B（凭记忆，可编辑）";
const RADIUS: &str = "GB 50180-2018 附录 B（凭记忆，待核）";

/// Rules §7 table: the three walking levels.
pub const LEVELS: [Level; 3] = [
    Level {
        code: "m15", name: "十五分钟生活圈", minutes: 15, walk_m: 1000, range: "800–1000 米", source: T304
    },
    Level {
        code: "m10",
        name: "十分钟生活圈",
        minutes: 10,
        walk_m: 500,
        range: "约 500 米",
        source: "GB 50180-2018（见《中国大百科全书》词条）",
    },
    Level {
        code: "m5",
        name: "五分钟生活圈",
        minutes: 5,
        walk_m: 300,
        range: "约 300 米",
        source: "GB 50180-2018（凭记忆，待核）",
    },
];

/// Rules §7.1 (types by level) and §7.2 (school radii).
pub const TYPES: [FacilityType; 15] = [
    FacilityType { code: "middle_school", name: "初中", level: "m15", radius_m: Some(1000), source: RADIUS },
    FacilityType {
        code: "health_center", name: "社区卫生服务中心", level: "m15", radius_m: None, source: APPX_B
    },
    FacilityType { code: "elderly_home", name: "养老院", level: "m15", radius_m: None, source: APPX_B },
    FacilityType { code: "culture_center", name: "文化活动中心", level: "m15", radius_m: None, source: APPX_B },
    FacilityType {
        code: "sports_large", name: "大型多功能运动场地", level: "m15", radius_m: None, source: APPX_B
    },
    FacilityType { code: "market", name: "商场", level: "m15", radius_m: None, source: APPX_B },
    FacilityType { code: "primary_school", name: "小学", level: "m10", radius_m: Some(500), source: RADIUS },
    FacilityType {
        code: "sports_medium", name: "中型多功能运动场地", level: "m10", radius_m: None, source: APPX_B
    },
    FacilityType {
        code: "fresh_market", name: "菜市场或生鲜超市", level: "m10", radius_m: None, source: APPX_B
    },
    FacilityType { code: "service_station", name: "社区服务站", level: "m5", radius_m: None, source: APPX_B },
    FacilityType { code: "kindergarten", name: "幼儿园", level: "m5", radius_m: Some(300), source: RADIUS },
    FacilityType {
        code: "elderly_daycare", name: "老年人日间照料中心", level: "m5", radius_m: None, source: APPX_B
    },
    FacilityType { code: "health_station", name: "社区卫生服务站", level: "m5", radius_m: None, source: APPX_B },
    FacilityType {
        code: "sports_small", name: "小型多功能运动场地", level: "m5", radius_m: None, source: APPX_B
    },
    FacilityType {
        code: "fitness_outdoor", name: "室外综合健身场地", level: "m5", radius_m: None, source: APPX_B
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(code: &str) -> &'static FacilityType {
        TYPES.iter().find(|t| t.code == code).unwrap()
    }

    #[test]
    fn gb50180_7_levels_accept_the_three_walking_distances() {
        let d: Vec<(u32, u32)> = LEVELS.iter().map(|l| (l.minutes, l.walk_m)).collect();
        assert_eq!(d, [(15, 1000), (10, 500), (5, 300)]);
        assert!(LEVELS.iter().all(|l| l.source.contains("GB 50180-2018")));
    }

    #[test]
    fn gb50180_7_1_every_type_belongs_to_a_level() {
        assert!(TYPES.iter().all(|t| t.walk_m(&LEVELS).is_some()));
        assert_eq!(ty("fresh_market").walk_m(&LEVELS), Some(500));
        assert_eq!(ty("health_station").walk_m(&LEVELS), Some(300));
    }

    #[test]
    fn gb50180_7_1_a_type_of_an_unknown_level_has_no_distance() {
        let t = FacilityType { code: "x", name: "x", level: "m20", radius_m: None, source: "" };
        assert_eq!(t.walk_m(&LEVELS), None);
    }

    #[test]
    fn gb50180_7_2_school_radii_accept_their_own_distances() {
        assert_eq!(ty("middle_school").walk_m(&LEVELS), Some(1000));
        assert_eq!(ty("primary_school").walk_m(&LEVELS), Some(500));
        assert_eq!(ty("kindergarten").walk_m(&LEVELS), Some(300));
    }

    #[test]
    fn gb50180_7_2_a_radius_never_widens_its_level() {
        let t = FacilityType { code: "x", name: "x", level: "m5", radius_m: Some(800), source: "" };
        assert_eq!(t.walk_m(&LEVELS), Some(300));
    }

    #[test]
    fn codes_are_unique() {
        let mut c: Vec<&str> = TYPES.iter().map(|t| t.code).chain(LEVELS.iter().map(|l| l.code)).collect();
        c.sort();
        c.dedup();
        assert_eq!(c.len(), TYPES.len() + LEVELS.len());
    }
}
