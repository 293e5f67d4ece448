//! Exact decimal amounts (costs, budgets) scaled to integers.

/// A non-negative decimal number `mantissa / 10^frac_digits`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Decimal {
    pub(super) mantissa: u128,
    pub(super) frac_digits: u32,
}

pub(super) fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac = frac.trim_end_matches('0');
    if int.len() + frac.len() > 30 || frac.len() > 9 {
        return None;
    }
    let mut mantissa: u128 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        mantissa = mantissa * 10 + u128::from(b - b'0');
    }
    Some(Decimal { mantissa, frac_digits: frac.len() as u32 })
}

/// Largest amount accepted, in smallest units: sums of thousands of such
/// amounts still fit in a `u64`.
pub const MAX_AMOUNT: u64 = 1_000_000_000_000_000;

/// `d * scale` as an exact integer (scale is a power of ten ≥ 10^frac_digits).
pub(super) fn scaled(d: Decimal, scale: u64) -> Option<u64> {
    let factor = u128::from(scale) / 10u128.pow(d.frac_digits);
    u64::try_from(d.mantissa.checked_mul(factor)?).ok().filter(|&x| x <= MAX_AMOUNT)
}

/// Formats an amount stored in smallest units (`value / scale` currency).
pub fn format_amount(value: u64, scale: u64) -> String {
    if scale <= 1 {
        return value.to_string();
    }
    let int = value / scale;
    let frac = value % scale;
    if frac == 0 {
        return int.to_string();
    }
    let width = scale.ilog10() as usize;
    let digits = format!("{frac:0width$}");
    format!("{int}.{}", digits.trim_end_matches('0'))
}

pub(super) fn parse_u64(s: &str) -> Option<u64> {
    let d = parse_decimal(s)?;
    if d.frac_digits != 0 {
        return None;
    }
    u64::try_from(d.mantissa).ok()
}

pub(super) fn split_list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}
