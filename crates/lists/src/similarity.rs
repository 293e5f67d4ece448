//! Title similarity for Chinese titles, and a bigram index over a list.
//!
//! Chinese has no word spaces, so titles are compared on **character
//! bigrams**:
//!
//! 1. [`normalize`]: full-width ASCII forms (U+FF01–U+FF5E) become half-width,
//!    the ideographic space becomes a space, ASCII letters are lower-cased,
//!    and everything that is not alphanumeric (whitespace, ASCII and CJK
//!    punctuation such as `、。（）《》“”`) is dropped.
//! 2. [`bigrams`]: the *set* of adjacent character pairs. A one-character
//!    title yields a single pseudo-bigram (the character paired with a
//!    sentinel), so it can still match itself.
//! 3. [`similarity`]: the Sørensen–Dice coefficient `2|A∩B| / (|A|+|B|)`.
//!    It is symmetric, lies in [0, 1], and is 1 exactly when the bigram sets
//!    are equal (in particular for equal normalised titles; two empty titles
//!    count as identical).
//!
//! Besides Dice, [`BigramIndex::candidates`] reports **containment**
//! `|A∩B| / |B|` (how much of the entry's title `B` appears in the
//! application's title), which catches a short entry such as 招商引资 inside a
//! long application title such as 2024年社区招商引资任务分解 where Dice is low.
//! Containment is only reported for entries with at least
//! [`SimilarityConfig::min_containment_bigrams`] bigrams.
//!
//! The index is an inverted index bigram → entry positions, so candidates are
//! found by walking only the posting lists of the query's bigrams, never the
//! whole list.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Thresholds for similarity flags (configurable; defaults from the issue).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SimilarityConfig {
    /// Dice score at or above which a title is "similar". Default 0.6.
    pub dice_threshold: f64,
    /// Containment at or above which an entry title counts as contained in
    /// the application title. Default 0.9.
    pub containment_threshold: f64,
    /// Entries with fewer bigrams are never matched by containment. Default 3
    /// (a 4-character title).
    pub min_containment_bigrams: usize,
}

impl Default for SimilarityConfig {
    fn default() -> Self {
        SimilarityConfig { dice_threshold: 0.6, containment_threshold: 0.9, min_containment_bigrams: 3 }
    }
}

/// Normalise a title for comparison (see the module docs).
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Two normalised titles are the same item: equal, or one contains the other and the
/// contained one has at least `min_chars` characters.
pub fn overlaps(a: &str, b: &str, min_chars: usize) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() { (a, b) } else { (b, a) };
    short.chars().count() >= min_chars && long.contains(short)
}

#[cfg(test)]
mod overlap_tests {
    use super::*;

    #[test]
    fn overlaps_after_normalisation_both_ways() {
        let n = |s: &str| normalize(s);
        assert!(overlaps(&n("招商引资"), &n(" 招商 引资 "), 4));
        assert!(overlaps(&n("ＡＢＣ招商引资"), &n("abc招商引资"), 4));
        assert!(overlaps(&n("社区环境整治服务（2026年）"), &n("环境整治"), 4));
        assert!(overlaps(&n("环境整治"), &n("社区环境整治服务"), 4));
    }

    #[test]
    fn overlaps_refuses_short_or_unrelated_titles() {
        let n = |s: &str| normalize(s);
        assert!(!overlaps(&n("服务"), &n("居家养老服务"), 4));
        assert!(!overlaps(&n("居家养老服务"), &n("招商引资"), 4));
        assert!(!overlaps(&n(""), &n("招商引资"), 4));
    }
}

/// A bigram packed into a `u64` (first char in the high half).
pub type Bigram = u64;

const SENTINEL: u32 = 0x11_0000; // not a valid char: marks a one-char title

/// The sorted, de-duplicated set of bigrams of an already-normalised title.
pub fn bigrams_of_normalized(norm: &str) -> Vec<Bigram> {
    let chars: Vec<u32> = norm.chars().map(|c| c as u32).collect();
    let mut out: Vec<Bigram> = match chars.len() {
        0 => Vec::new(),
        1 => vec![(u64::from(chars[0]) << 32) | u64::from(SENTINEL)],
        _ => chars.windows(2).map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])).collect(),
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// The bigram set of a raw title (normalised first).
pub fn bigrams(s: &str) -> Vec<Bigram> {
    bigrams_of_normalized(&normalize(s))
}

fn intersection(a: &[Bigram], b: &[Bigram]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn dice(common: usize, a: usize, b: usize) -> f64 {
    if a + b == 0 { 1.0 } else { (2 * common) as f64 / (a + b) as f64 }
}

/// Dice similarity of two raw titles on character bigrams, in [0, 1].
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    dice(intersection(&x, &y), x.len(), y.len())
}

/// A similarity candidate from the index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Position of the entry in the indexed slice.
    pub pos: usize,
    pub dice: f64,
    /// `|A∩B| / |B|`, or 0 when the entry is too short for containment.
    pub containment: f64,
}

/// Inverted bigram index over a list of titles.
#[derive(Debug, Clone, Default)]
pub struct BigramIndex {
    postings: HashMap<Bigram, Vec<u32>>,
    sizes: Vec<u32>,
    normalized: Vec<String>,
}

impl BigramIndex {
    pub fn new<'a>(titles: impl IntoIterator<Item = &'a str>) -> BigramIndex {
        let mut idx = BigramIndex::default();
        for (pos, t) in titles.into_iter().enumerate() {
            let norm = normalize(t);
            let bg = bigrams_of_normalized(&norm);
            for &b in &bg {
                idx.postings.entry(b).or_default().push(pos as u32);
            }
            idx.sizes.push(bg.len() as u32);
            idx.normalized.push(norm);
        }
        idx
    }

    pub fn len(&self) -> usize {
        self.sizes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
    }

    /// Positions whose normalised title equals `title`'s.
    pub fn exact(&self, title: &str) -> Vec<usize> {
        let norm = normalize(title);
        let bg = bigrams_of_normalized(&norm);
        let Some(first) = bg.first() else {
            return (0..self.len()).filter(|&p| self.normalized[p].is_empty()).collect();
        };
        self.postings
            .get(first)
            .into_iter()
            .flatten()
            .map(|&p| p as usize)
            .filter(|&p| self.normalized[p] == norm)
            .collect()
    }

    /// Entries reaching either threshold, best first (by max(dice,
    /// containment), then position). Only posting lists of the query's
    /// bigrams are visited.
    pub fn candidates(&self, title: &str, cfg: &SimilarityConfig) -> Vec<Candidate> {
        let q = bigrams(title);
        // Dense overlap counters plus the list of touched positions: visiting
        // a posting is one add, and only touched entries are scored.
        let mut counts = vec![0u32; self.len()];
        let mut touched: Vec<u32> = Vec::new();
        for b in &q {
            if let Some(list) = self.postings.get(b) {
                for &p in list {
                    let c = &mut counts[p as usize];
                    if *c == 0 {
                        touched.push(p);
                    }
                    *c += 1;
                }
            }
        }
        let mut out: Vec<Candidate> = touched
            .into_iter()
            .filter_map(|p| {
                let common = counts[p as usize] as usize;
                let size = self.sizes[p as usize] as usize;
                let d = dice(common, q.len(), size);
                let c = if size >= cfg.min_containment_bigrams { common as f64 / size as f64 } else { 0.0 };
                (d >= cfg.dice_threshold || c >= cfg.containment_threshold).then_some(Candidate {
                    pos: p as usize,
                    dice: d,
                    containment: c,
                })
            })
            .collect();
        if q.is_empty() {
            // Empty titles share no bigram; only an empty entry is identical.
            out.extend((0..self.len()).filter(|&p| self.sizes[p] == 0).map(|pos| Candidate {
                pos,
                dice: 1.0,
                containment: 0.0,
            }));
        }
        out.sort_by(|a, b| {
            let (sa, sb) = (a.dice.max(a.containment), b.dice.max(b.containment));
            sb.total_cmp(&sa).then(a.pos.cmp(&b.pos))
        });
        out
    }
}
