//! GB 11643-1999 citizen identity numbers (rules §6b).
//!
//! 18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence
//! (odd = male), and an ISO 7064 MOD 11-2 check character.

use crate::Msg;
use time::{Date, Month};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
        }
    }
}

/// A validated, normalised (upper-case X) citizen ID number.
#[derive(Clone, PartialEq, Eq)]
pub struct CitizenId {
    number: String,
    pub birth_date: Date,
    pub sex: Sex,
}

// The full number never appears in Debug output, so it cannot leak into logs.
impl std::fmt::Debug for CitizenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CitizenId({})", self.masked())
    }
}

impl CitizenId {
    /// Parse per GB 11643-1999 §§5–7 (rules §6b a–c, e). `today` bounds the
    /// birth date: a future birth date is rejected.
    pub fn parse(raw: &str, today: Date) -> Result<CitizenId, Msg> {
        let s = raw.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        if b.len() != 18 {
            return Err(Msg::new(
                format!("身份证号码应为18位，实为{}位", s.chars().count()),
                format!("citizen ID must have 18 characters, got {}", s.chars().count()),
            ));
        }
        if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
            return Err(Msg::new(
                "身份证号码前17位须为数字，末位为数字或X",
                "citizen ID: the first 17 characters must be digits and the last a digit or X",
            ));
        }
        if check_char(&b[..17]) != b[17] {
            return Err(Msg::new("身份证号码校验位错误", "citizen ID check character is wrong"));
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        let birth = Month::try_from(num(10..12) as u8)
            .ok()
            .and_then(|m| Date::from_calendar_date(num(6..10) as i32, m, num(12..14) as u8).ok())
            .ok_or_else(|| Msg::new("身份证号码中的出生日期不存在", "citizen ID: birth date does not exist"))?;
        if birth > today || birth.year() < 1850 {
            return Err(Msg::new("身份证号码中的出生日期不合理", "citizen ID: birth date is impossible"));
        }
        let sex = if num(16..17) % 2 == 1 { Sex::Male } else { Sex::Female };
        Ok(CitizenId { number: s, birth_date: birth, sex })
    }

    /// Convert a 15-digit GB 11643-1989 number (rules §6b f): insert "19"
    /// before the 6-digit birth date and compute the check character.
    pub fn from_legacy15(raw: &str, today: Date) -> Result<CitizenId, Msg> {
        let s = raw.trim();
        if s.len() != 15 || !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(Msg::new("旧身份证号码应为15位数字", "a legacy citizen ID has 15 digits"));
        }
        let mut body = format!("{}19{}", &s[..6], &s[6..]).into_bytes();
        let c = check_char(&body);
        body.push(c);
        CitizenId::parse(std::str::from_utf8(&body).unwrap_or_default(), today)
    }

    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The address code (GB/T 2260 county of registered residence).
    pub fn address_code(&self) -> &str {
        &self.number[..6]
    }

    /// Masked for display (rules §6.4): see [`mask`] — the birth date's eight digits never show.
    pub fn masked(&self) -> String {
        mask(&self.number)
    }

    /// Age in whole years on `day` (rules §1.4 uses election day).
    pub fn age_on(&self, day: Date) -> i32 {
        let mut age = day.year() - self.birth_date.year();
        if (day.month() as u8, day.day()) < (self.birth_date.month() as u8, self.birth_date.day()) {
            age -= 1;
        }
        age
    }
}

/// Mask any ID-like string (rules §6.4): the first 4 characters (province and
/// city of the address code) and the last (the check character) visible, the
/// rest as `*`. The familiar "first 6 + last 4" leaves out only the eight
/// birth-date digits, which every registry shows beside the number: with it
/// the number is rebuilt, so this mask hides the birth date, the county and
/// the sequence number too.
pub fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..4].iter().collect();
    out.push_str(&"*".repeat(chars.len() - 5));
    out.push(chars[chars.len() - 1]);
    out
}

/// The MOD 11-2 check character for 17 digits.
pub fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| (d - b'0') as u32 * w).sum();
    CHECK[(sum % 11) as usize]
}

/// Build a valid number from its parts (demo data and tests).
pub fn compose(address: &str, birth: Date, sequence: u16) -> String {
    let mut body =
        format!("{address}{:04}{:02}{:02}{:03}", birth.year(), birth.month() as u8, birth.day(), sequence % 1000)
            .into_bytes();
    let c = check_char(&body);
    body.push(c);
    String::from_utf8(body).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 28);

    #[test]
    fn rules_6b_vectors_are_valid() {
        for v in ["11010519491231002X", "440524188001010014", "34052419800101001X", "370101190102039973"] {
            assert!(CitizenId::parse(v, TODAY).is_ok(), "{v}");
        }
        let id = CitizenId::parse("11010519491231002x", TODAY).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.sex, Sex::Female);
        assert_eq!(id.birth_date, date!(1949 - 12 - 31));
    }

    #[test]
    fn rules_6b_negative_vector_and_bad_shapes() {
        assert!(CitizenId::parse("110105194912310021", TODAY).is_err());
        assert!(CitizenId::parse("1101051949123100", TODAY).is_err());
        assert!(CitizenId::parse("11010519491231002Y", TODAY).is_err());
        // 30 February does not exist, even with a correct check digit.
        assert!(
            CitizenId::parse(&compose("340705", date!(2000 - 01 - 01), 1).replace("20000101", "20000230"), TODAY)
                .is_err()
        );
        let future = compose("340705", date!(2027 - 01 - 01), 11);
        assert!(CitizenId::parse(&future, TODAY).is_err());
    }

    #[test]
    fn compose_round_trips_and_masks() {
        let n = compose("340705", date!(1990 - 05 - 17), 123);
        let id = CitizenId::parse(&n, TODAY).unwrap();
        assert_eq!(id.sex, Sex::Male);
        assert_eq!(id.masked(), format!("3407*************{}", &n[17..]));
        assert!(!id.masked().contains("19900517"));
        assert!(!format!("{id:?}").contains(&n));
        assert_eq!(id.age_on(date!(2008 - 05 - 16)), 17);
        assert_eq!(id.age_on(date!(2008 - 05 - 17)), 18);
    }

    #[test]
    fn legacy_15_digits_convert() {
        let id = CitizenId::from_legacy15("340705800101001", TODAY).unwrap();
        assert_eq!(&id.as_str()[..17], "34070519800101001");
    }
}
