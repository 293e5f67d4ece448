//! What the counter checks before it takes a case (issue 14, "things that disagree"):
//!
//! - **I1, the applicant's ID number.** An item whose materials include an identity card
//!   (身份证 — also 老年人身份证, 监护人身份证, 夫妻双方身份证) is taken at the counter, where
//!   the card is shown, with the applicant's citizen ID number, checked exactly by GB 11643
//!   (rules §6b). The case keeps only the masked number (rules §6.4: first 6 and last 4).
//!   The hotline and the web take no card, so the rule is the counter's.
//! - **I2, a place of the community.** A location given at intake (building or address) is
//!   a place the case can be taken to: it names a place the community knows (its name, a
//!   building or residents' group of its registry, its service center), or it has the form of
//!   a street or building address — a road, lane or building word together with a number
//!   (天井湖路3号, 9栋101, 2单元301). "月球背面" is neither and is refused. An address that only
//!   Open311 gives goes to the hotline's triage instead (`store::triage`), not through here.

use rules::Msg;
use rules::gb11643::CitizenId;
use time::Date;

/// I1: whether an item with these materials needs the applicant's ID number at the counter.
pub fn i1_needs_id_number(materials: &[String]) -> bool {
    materials.iter().any(|m| m.contains("身份证"))
}

/// I1: the ID number given for an item (`needs` from [`i1_needs_id_number`]): required when
/// needed, checked by GB 11643 whenever given; the answer is the parsed number, if any.
pub fn i1_id_number(needs: bool, raw: &str, today: Date) -> Result<Option<CitizenId>, Msg> {
    let raw = raw.trim().to_ascii_uppercase();
    if raw.is_empty() {
        return if needs {
            Err(Msg::new(
                "（规则I1）此事项需核验身份证，请填写申请人的身份证号码",
                "(rule I1) this item needs the applicant's citizen ID number",
            ))
        } else {
            Ok(None)
        };
    }
    CitizenId::parse(&raw, today).map(Some).map_err(|m| {
        Msg::new(format!("（规则I1）身份证号码无效：{}", m.zh), format!("(rule I1) not a valid ID number: {}", m.en))
    })
}

/// Words that make a text an address when a number goes with them.
const ADDRESS_WORDS: &[&str] = &[
    "路", "街", "巷", "道", "弄", "里", "号", "栋", "幢", "楼", "单元", "室", "层", "小区", "苑", "园", "村", "区",
    "广场", "大厦", "公寓",
];

/// I2: whether `text` has the form of a street or building address (a number and an
/// address word). Such a location passes whatever the community's registered places are,
/// so the counter looks those up only for a location without this form.
pub fn i2_has_address_form(text: &str) -> bool {
    let has_number = text.chars().any(|c| c.is_ascii_digit() || "一二三四五六七八九十百〇零".contains(c));
    has_number && ADDRESS_WORDS.iter().any(|w| text.contains(w))
}

/// I2: a location given at intake (`text`, a building or an address) is a place of the community:
/// it names one of `known` (the community's name, its registry's buildings and residents' groups,
/// its service center), or it has the form of an address (an address word and a number). Empty is
/// no location, and accepted.
pub fn i2_location(text: &str, known: &[String]) -> Result<(), Msg> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(());
    }
    let names_a_place = known.iter().map(|k| k.trim()).any(|k| !k.is_empty() && t.contains(k));
    if names_a_place || i2_has_address_form(t) {
        Ok(())
    } else {
        Err(Msg::new(
            "（规则I2）地点应为本社区内的地址（如“天井湖路3号”“9栋101”）或本社区登记的楼栋、居民小组",
            "(rule I2) a location is an address in the community (like 天井湖路3号 or 9栋101) or one of its registered buildings or residents' groups",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 28);

    fn mats(m: &[&str]) -> Vec<String> {
        m.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn i1_accepts_a_valid_number_and_items_without_an_identity_card() {
        assert!(i1_needs_id_number(&mats(&["身份证", "户口簿"])));
        assert!(i1_needs_id_number(&mats(&["老年人身份证"])));
        assert!(!i1_needs_id_number(&mats(&["现场照片（可选）"])));
        let id = rules::gb11643::compose("340705", date!(1960 - 05 - 01), 12);
        let got = i1_id_number(true, &id.to_lowercase(), TODAY).unwrap().unwrap();
        assert_eq!(got.as_str(), id);
        assert_eq!(i1_id_number(false, " ", TODAY).unwrap(), None);
    }

    #[test]
    fn i1_refuses_a_missing_or_wrong_number_where_one_is_needed() {
        let e = i1_id_number(true, "", TODAY).unwrap_err();
        assert!(e.zh.contains("规则I1") && e.zh.contains("身份证号码"));
        let id = rules::gb11643::compose("340705", date!(1960 - 05 - 01), 12);
        let mut wrong = id.clone();
        let last = if wrong.ends_with('1') { "2" } else { "1" };
        wrong.replace_range(17.., last);
        assert!(i1_id_number(true, &wrong, TODAY).unwrap_err().zh.contains("身份证号码无效"));
        assert!(i1_id_number(false, "12345", TODAY).is_err(), "a number given is checked even where none is needed");
    }

    #[test]
    fn i2_accepts_an_address_or_a_known_place() {
        let known = mats(&["天井湖社区", "1栋", "第一居民小组"]);
        for ok in
            ["天井湖路3号", "9栋101", "2单元301", "1栋", "第一居民小组", "天井湖社区服务中心", "", "长江西路十二号"]
        {
            assert!(i2_location(ok, &known).is_ok(), "{ok}");
        }
    }

    #[test]
    fn i2_a_location_of_address_form_passes_whatever_the_known_places() {
        for t in ["天井湖路3号", "9栋101", "2单元301", "长江西路十二号", "1栋"] {
            assert!(i2_has_address_form(t), "{t}");
            assert!(i2_location(t, &[]).is_ok(), "{t}");
        }
        for t in ["月球背面", "第一居民小组", "天井湖社区服务中心", "栋", "3"] {
            assert!(!i2_has_address_form(t), "{t}");
        }
    }

    #[test]
    fn i2_refuses_a_place_that_is_no_address_of_the_community() {
        let known = mats(&["天井湖社区", "1栋"]);
        // A fragment of a known name names no place ("天" is in 天井湖社区, "栋" in 1栋).
        for bad in ["月球背面", "火星", "不知道", "路边", "天", "栋"] {
            let e = i2_location(bad, &known).unwrap_err();
            assert!(e.zh.contains("规则I2"), "{bad}");
        }
    }
}
