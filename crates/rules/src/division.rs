//! GB/T 2260 administrative divisions of Tongling (rules §4) and the demo's
//! big communities. The city has no street level: city → district → community.

use crate::Msg;
use time::{Date, macros::date};

pub const CITY_CODE: &str = "340700";
pub const CITY_NAME: &str = "铜陵市";

/// The boundary change approved Dec 2015 and announced 2016-01-04.
pub const BOUNDARY_CHANGE: Date = date!(2016 - 01 - 04);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct District {
    pub code: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    /// None: in force since before the reform of 2010.
    pub valid_from: Option<Date>,
    /// None: still in force.
    pub valid_to: Option<Date>,
    /// Where its area went when it was abolished.
    pub successor: Option<&'static str>,
}

pub const DISTRICTS: &[District] = &[
    District {
        code: "340702",
        name: "铜官山区",
        name_en: "Tongguanshan",
        valid_from: None,
        valid_to: Some(BOUNDARY_CHANGE),
        successor: Some("340705"),
    },
    District {
        code: "340703",
        name: "狮子山区",
        name_en: "Shizishan",
        valid_from: None,
        valid_to: Some(BOUNDARY_CHANGE),
        successor: Some("340705"),
    },
    District {
        code: "340721",
        name: "铜陵县",
        name_en: "Tongling County",
        valid_from: None,
        valid_to: Some(BOUNDARY_CHANGE),
        successor: Some("340706"),
    },
    District {
        code: "340705",
        name: "铜官区",
        name_en: "Tongguan",
        valid_from: Some(BOUNDARY_CHANGE),
        valid_to: None,
        successor: None,
    },
    District {
        code: "340706",
        name: "义安区",
        name_en: "Yi'an",
        valid_from: Some(BOUNDARY_CHANGE),
        valid_to: None,
        successor: None,
    },
    District {
        code: "340711",
        name: "郊区",
        name_en: "Suburban District",
        valid_from: None,
        valid_to: None,
        successor: None,
    },
    District {
        code: "340722",
        name: "枞阳县",
        name_en: "Zongyang County",
        valid_from: Some(BOUNDARY_CHANGE),
        valid_to: None,
        successor: None,
    },
];

pub const POST_2016: [&str; 4] = ["340705", "340706", "340711", "340722"];
pub const PRE_2016: [&str; 4] = ["340702", "340703", "340711", "340721"];

pub fn district(code: &str) -> Option<&'static District> {
    DISTRICTS.iter().find(|d| d.code == code)
}

/// Rules §4 demo-data rule: a record's 6-digit district prefix must belong
/// to the code set in force on the record's date — pre-2016 records carry
/// pre-2016 codes and later records post-2016 codes.
pub fn check_district_era(code: &str, on: Date) -> Result<(), Msg> {
    let prefix = code.get(..6).unwrap_or(code);
    let (set, era) = if on < BOUNDARY_CHANGE { (PRE_2016, "2016年前") } else { (POST_2016, "2016年后") };
    if set.contains(&prefix) {
        Ok(())
    } else {
        Err(Msg::new(
            format!("区划代码{prefix}不属于铜陵市{era}的区县代码"),
            format!("division code {prefix} is not a Tongling district code in force on {on}"),
        ))
    }
}

/// A big community (大社区) of the demo. `illustrative` marks names
/// reconstructed for the demo rather than read in a source (rules §4).
#[derive(Debug, Clone, Copy)]
pub struct BigCommunity {
    pub code: &'static str,
    pub name: &'static str,
    pub district: &'static str,
    /// The district it belonged to when it was formed (2010–2011).
    pub former_district: &'static str,
    pub formed: Date,
    pub illustrative: bool,
}

const TGS: Date = date!(2010 - 07 - 01);
const SZS: Date = date!(2011 - 07 - 15);

macro_rules! bc {
    ($code:literal, $name:literal, $former:literal, $formed:expr, $ill:literal) => {
        BigCommunity {
            code: $code,
            name: $name,
            district: "340705",
            former_district: $former,
            formed: $formed,
            illustrative: $ill,
        }
    };
}

/// The community codes seen in a source (rules §4: 天井湖 and 映湖); the
/// others follow the pattern and are illustrative.
pub const VERIFIED_COMMUNITY_CODES: &[&str] = &["340705402", "340705403"];

/// 18 communities of the former 铜官山区 and 5 of the former 狮子山区 (rules §4).
/// 天井湖 and 映湖 carry their real township-level codes; the rest follow the
/// 3407054xx pattern and are illustrative codes.
pub const BIG_COMMUNITIES: &[BigCommunity] = &[
    bc!("340705401", "朝阳社区", "340702", TGS, false),
    bc!("340705402", "天井湖社区", "340702", TGS, false),
    bc!("340705403", "映湖社区", "340702", TGS, false),
    bc!("340705404", "鹞山社区", "340702", TGS, false),
    bc!("340705405", "金口岭社区", "340702", TGS, false),
    bc!("340705406", "人民社区", "340702", TGS, false),
    bc!("340705407", "官塘社区", "340702", TGS, false),
    bc!("340705408", "螺蛳山社区", "340702", TGS, false),
    bc!("340705409", "友好社区", "340702", TGS, false),
    bc!("340705410", "阳光社区", "340702", TGS, false),
    bc!("340705411", "滨江社区", "340702", TGS, false),
    bc!("340705412", "学苑社区", "340702", TGS, false),
    bc!("340705413", "露采社区", "340702", TGS, false),
    bc!("340705414", "幸福社区", "340702", TGS, false),
    bc!("340705415", "长江社区", "340702", TGS, true),
    bc!("340705416", "东湖社区", "340702", TGS, true),
    bc!("340705417", "石城社区", "340702", TGS, true),
    bc!("340705418", "铜都社区", "340702", TGS, true),
    bc!("340705419", "铜霞社区", "340703", SZS, false),
    bc!("340705420", "狮子山社区", "340703", SZS, false),
    bc!("340705421", "凤凰山社区", "340703", SZS, false),
    bc!("340705422", "立新社区", "340703", SZS, false),
    bc!("340705423", "翠湖社区", "340703", SZS, false),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_4_era_check() {
        assert!(check_district_era("340702", date!(2012 - 01 - 01)).is_ok());
        assert!(check_district_era("340705", date!(2012 - 01 - 01)).is_err());
        assert!(check_district_era("340705402", date!(2020 - 01 - 01)).is_ok());
        assert!(check_district_era("340702", date!(2020 - 01 - 01)).is_err());
        assert!(check_district_era("340711", date!(2012 - 01 - 01)).is_ok());
        assert!(check_district_era("340711", date!(2020 - 01 - 01)).is_ok());
    }

    #[test]
    fn twenty_three_big_communities_with_valid_codes() {
        assert_eq!(BIG_COMMUNITIES.len(), 23);
        for c in BIG_COMMUNITIES {
            check_district_era(c.code, date!(2026 - 01 - 01)).unwrap();
            check_district_era(c.former_district, c.formed).unwrap();
            assert_eq!(district(c.former_district).unwrap().successor, Some(c.district));
        }
        assert_eq!(BIG_COMMUNITIES.iter().filter(|c| c.former_district == "340702").count(), 18);
    }
}
