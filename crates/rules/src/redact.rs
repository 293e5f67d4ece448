//! Public text without personal data (rules §6.4; PIPL Art 28): what the
//! public pages publish — the quarterly finance disclosure, the public record,
//! Open311 descriptions — passes through here. An individual's name is masked
//! (王*明); ID-number-like and phone-like strings are masked wherever they
//! appear in free text. Over-masking is the safe side: a four-character
//! organisation name with no telling suffix is masked as if it were a person's.

/// Endings that mark an organisation, not a person (文具店, 安居物业, 某某公司).
const ORGANISATION_ENDINGS: &[&str] = &[
    "公司",
    "店",
    "厂",
    "局",
    "中心",
    "社",
    "部",
    "院",
    "所",
    "会",
    "站",
    "队",
    "行",
    "馆",
    "处",
    "委",
    "办",
    "校",
    "园",
    "组",
    "室",
    "团",
    "物业",
    "超市",
    "集团",
    "银行",
    "医院",
    "学校",
    "单位",
    "协会",
    "基金",
    "政府",
    "街道",
    "社区",
    "商行",
    "工作室",
    "合作社",
    "委员会",
    "服务部",
    "有限",
    "科技",
    "铺",
    "场",
    "坊",
    "台",
    "厅",
    "司",
];

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Does this look like an individual's name: 2 to 4 Han characters (or a
/// name with the middle dot of minority names, 买买提·艾力), without an
/// organisation's ending?
pub fn looks_like_person(name: &str) -> bool {
    let name = name.trim();
    let chars: Vec<char> = name.chars().collect();
    let han = chars.iter().filter(|c| is_han(**c)).count();
    let dotted = chars.iter().all(|c| is_han(*c) || *c == '·' || *c == '•') && chars.contains(&'·') && han <= 10;
    let plain = chars.iter().all(|c| is_han(*c)) && (2..=4).contains(&han);
    (plain || dotted) && !ORGANISATION_ENDINGS.iter().any(|e| name.ends_with(e))
}

/// An individual's name masked: the first and last characters kept (王*明,
/// 王* for two characters, 欧**明 for four).
pub fn mask_person(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// A payee as the public may read it: a person's name masked, an
/// organisation's name with any ID or phone number in it masked.
pub fn payee(name: &str) -> String {
    if looks_like_person(name) { mask_person(name) } else { text(name) }
}

/// Mask one run of digits if it is ID-number-like or phone-like.
fn mask_run(digits: &str) -> Option<String> {
    let n = digits.len();
    let all_digits = digits.bytes().all(|b| b.is_ascii_digit());
    let id18 = n == 18 && digits[..17].bytes().all(|b| b.is_ascii_digit());
    if id18 || (n == 15 && all_digits) {
        return Some(crate::gb11643::mask(digits));
    }
    if !all_digits {
        return None;
    }
    let b = digits.as_bytes();
    if n == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
        return Some(format!("{}****{}", &digits[..3], &digits[7..]));
    }
    if b[0] == b'0' && (10..=12).contains(&n) {
        return Some(format!("{}{}{}", &digits[..4], "*".repeat(n - 6), &digits[n - 2..]));
    }
    None
}

/// Free text with ID-number-like strings (18 or 15 characters) and phone
/// numbers (mobile 1[3-9]…, 11 digits; landline with its area code 0…)
/// masked. Digits split by single spaces or hyphens count as one run
/// (138-0000-0000); dates (2026-12-06), amounts and the 7-digit hotline stay.
pub fn text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A run: digits, single separators between digits, an X ending 17 digits.
        let start = i;
        let mut digits = String::new();
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                digits.push(c);
                i += 1;
            } else if (c == '-' || c == ' ')
                && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())
                && !digits.is_empty()
            {
                i += 1;
            } else if (c == 'X' || c == 'x') && digits.len() == 17 {
                digits.push('X');
                i += 1;
                break;
            } else {
                break;
            }
        }
        match mask_run(&digits) {
            Some(masked) => out.push_str(&masked),
            None => out.extend(&chars[start..i]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_6_4_a_persons_name_is_masked_an_organisations_is_not() {
        assert_eq!(payee("王小明"), "王*明");
        assert_eq!(payee("李强"), "李*");
        assert_eq!(payee("欧阳小明"), "欧**明");
        assert_eq!(payee("买买提·艾力"), "买****力");
        for org in ["文具店", "铜陵市安居物业", "天井湖社区居民委员会", "2881890家政服务队", "某某科技有限公司"]
        {
            assert_eq!(payee(org), org, "{org}");
        }
    }

    #[test]
    fn rule_6_4_id_numbers_and_phones_in_public_text_are_masked() {
        let id = crate::gb11643::compose("340705", time::macros::date!(1985 - 06 - 01), 123);
        let t =
            text(&format!("联系人张三 13800138000，身份证{id}，座机0562-2881890，热线2881890，2026-12-06 付款1500元"));
        assert!(!t.contains("13800138000") && t.contains("138****8000"), "{t}");
        assert!(!t.contains(&id) && !t.contains("19850601"), "{t}");
        assert!(!t.contains("0562-2881890") && t.contains("0562"), "{t}");
        assert!(t.contains("热线2881890") && t.contains("2026-12-06") && t.contains("1500元"), "{t}");
        assert_eq!(text("138-0013-8000"), "138****8000");
        assert_eq!(text("34052419800101001x号"), format!("{}号", crate::gb11643::mask("34052419800101001X")));
        assert_eq!(text("无号码"), "无号码");
    }
}
