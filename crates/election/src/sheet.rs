//! A box's tally sheet (rules §2.12, §2.15, §2.16): what the counting desk
//! writes per post — votes per candidate and write-in, invalid and blank
//! ballots — checked, and laid out as the ballot groups [`crate::tally`] counts.
//!
//! A sheet is a summary of its box's ballots; [`ballots`] rebuilds ballots
//! that give exactly the sheet's figures (each ballot marks a name once and
//! at most the post's seats; the rows of a post are filled column by column,
//! so no name lands twice on one ballot), so the tally counts a box as it
//! would count its paper.

use std::collections::{BTreeMap, BTreeSet};

use rules::Msg;

use crate::scenario::BallotGroup;

/// One post on a box's sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct PostSheet {
    pub post: String,
    pub seats: u32,
    /// Votes per name: the formal candidates and any write-in (另选他人).
    pub votes: Vec<(String, u64)>,
    /// Ballots invalid for this post (§2.16: more names than seats, or unreadable).
    pub invalid: u64,
    /// Blank ballots for this post: valid abstentions (§2.16).
    pub blank: u64,
}

fn r216(zh: String, en: String) -> Msg {
    Msg::new(format!("{zh}（规则2.16）"), format!("{en} (rule 2.16)"))
}

/// §2.15 at the counting desk: a box that returned more ballots than it issued.
pub fn check_box(name: &str, issued: u64, returned: u64) -> Result<(), Msg> {
    if returned <= issued {
        return Ok(());
    }
    Err(Msg::new(
        format!("“{name}”收回{returned}张，多于发出的{issued}张：本轮选举将无效（规则2.15）"),
        format!(
            "{name}: {returned} ballots returned, more than the {issued} issued: the round will be invalid (rule 2.15)"
        ),
    ))
}

/// Rows `[start, end)` of one post's ballots, each with the names it marks
/// (`None`: invalid for the post).
type Rows = Vec<(u64, u64, Option<Vec<String>>)>;

fn post_rows(p: &PostSheet, returned: u64) -> Result<Rows, Msg> {
    let post = p.post.as_str();
    let marked = p.invalid.checked_add(p.blank).and_then(|x| returned.checked_sub(x)).ok_or_else(|| {
        r216(
            format!("“{post}”无效票{}张、空白票{}张，超过收回的{returned}张", p.invalid, p.blank),
            format!("{post}: {} invalid and {} blank exceed the {returned} ballots returned", p.invalid, p.blank),
        )
    })?;
    let mut names = BTreeSet::new();
    let mut total: u64 = 0;
    for (n, v) in &p.votes {
        if n.trim().is_empty() || !names.insert(n.trim()) {
            return Err(Msg::new(
                format!("“{post}”的得票人姓名为空或重复"),
                format!("{post}: a name is blank or listed twice"),
            ));
        }
        if *v > marked {
            return Err(r216(
                format!("“{post}”{n}得{v}票，多于有效且非空白的{marked}张选票"),
                format!("{post}: {n} has {v} votes, more than the {marked} valid marked ballots"),
            ));
        }
        total = total.checked_add(*v).ok_or_else(|| Msg::new("票数超出范围", "more votes than can be counted"))?;
    }
    if total > marked.saturating_mul(u64::from(p.seats)) {
        return Err(r216(
            format!(
                "“{post}”应选{}名，{marked}张选票最多{}票，计票单为{total}票",
                p.seats,
                marked.saturating_mul(u64::from(p.seats))
            ),
            format!(
                "{post}: {} seats on {marked} ballots allow at most {} votes, the sheet has {total}",
                p.seats,
                marked.saturating_mul(u64::from(p.seats))
            ),
        ));
    }
    if total < marked {
        return Err(r216(
            format!("“{post}”有{marked}张选票既非空白也非无效，却只有{total}票：未投任何人的选票应记为空白票"),
            format!(
                "{post}: {marked} ballots are neither blank nor invalid but hold only {total} votes; a ballot with no name is blank"
            ),
        ));
    }
    // Lay the votes down the seat columns of the marked rows, one name after another.
    let mut cuts: BTreeSet<u64> = [0, marked, marked + p.blank, returned].into();
    let mut segments: Vec<(u64, u64, &str)> = Vec::new();
    let mut pos: u64 = 0;
    for (n, v) in p.votes.iter().filter(|(_, v)| *v > 0) {
        let (mut from, to) = (pos, pos + v);
        while from < to {
            let col_end = (from / marked + 1) * marked;
            let end = to.min(col_end);
            let (a, b) = (from % marked, from % marked + (end - from));
            cuts.extend([a, b]);
            segments.push((a, b, n.trim()));
            from = end;
        }
        pos = to;
    }
    let cuts: Vec<u64> = cuts.into_iter().filter(|c| *c <= returned).collect();
    Ok(cuts
        .windows(2)
        .filter(|w| w[0] < w[1])
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let marks = if a < marked {
                let mut m: Vec<String> =
                    segments.iter().filter(|(s, e, _)| *s <= a && *e >= b).map(|(_, _, n)| n.to_string()).collect();
                m.sort();
                Some(m)
            } else if a < marked + p.blank {
                Some(Vec::new())
            } else {
                None
            };
            (a, b, marks)
        })
        .collect())
}

/// §2.16: the ballot groups that give exactly this sheet's figures for each
/// post, `returned` ballots in all. A sheet whose figures no set of ballots
/// could give is refused, naming the post.
pub fn ballots(returned: u64, posts: &[PostSheet]) -> Result<Vec<BallotGroup>, Msg> {
    let rows: Vec<(&str, Rows)> =
        posts.iter().map(|p| post_rows(p, returned).map(|r| (p.post.as_str(), r))).collect::<Result<_, _>>()?;
    let mut cuts: BTreeSet<u64> = [0, returned].into();
    for (_, r) in &rows {
        cuts.extend(r.iter().flat_map(|(a, b, _)| [*a, *b]));
    }
    let cuts: Vec<u64> = cuts.into_iter().collect();
    let mut out = Vec::new();
    for w in cuts.windows(2).filter(|w| w[0] < w[1]) {
        let mut votes = BTreeMap::new();
        for (post, r) in &rows {
            let marks = r.iter().find(|(a, b, _)| *a <= w[0] && w[0] < *b).and_then(|(_, _, m)| m.clone());
            match marks {
                Some(m) if m.is_empty() => {}
                Some(m) => {
                    votes.insert(post.to_string(), m);
                }
                None => {
                    votes.insert(post.to_string(), vec![String::new()]);
                }
            }
        }
        out.push(BallotGroup { count: w[1] - w[0], votes });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::PostSpec;
    use crate::tally::count_post;

    fn sheet(post: &str, seats: u32, votes: &[(&str, u64)], invalid: u64, blank: u64) -> PostSheet {
        PostSheet {
            post: post.into(),
            seats,
            votes: votes.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
            invalid,
            blank,
        }
    }

    fn spec(p: &PostSheet) -> PostSpec {
        PostSpec { post: p.post.clone(), seats: p.seats, candidates: Vec::new() }
    }

    #[test]
    fn rule_2_16_a_sheet_counts_as_its_figures() {
        let director = sheet("主任", 1, &[("张伟", 60), ("李娜", 30)], 4, 6);
        let members = sheet("委员", 3, &[("刘洋", 90), ("陈静", 80), ("杨磊", 70), ("赵敏", 20), ("写票甲", 5)], 2, 3);
        let groups = ballots(100, &[director.clone(), members.clone()]).unwrap();
        assert_eq!(groups.iter().map(|g| g.count).sum::<u64>(), 100);
        for p in [&director, &members] {
            let c = count_post(&spec(p), &groups);
            assert_eq!(c.invalid, p.invalid, "{}", p.post);
            assert_eq!(c.valid, 100 - p.invalid, "{}", p.post);
            for (n, v) in &p.votes {
                assert_eq!(c.votes[n], *v, "{} {n}", p.post);
            }
            assert_eq!(c.votes.len(), p.votes.len());
        }
        for g in &groups {
            for names in g.votes.values() {
                let distinct: BTreeSet<&String> = names.iter().collect();
                assert_eq!(distinct.len(), names.len(), "a name twice on one ballot");
            }
        }
    }

    #[test]
    fn rule_2_16_a_sheet_no_ballots_could_give_is_refused() {
        let refused = |p: PostSheet| ballots(100, &[p]).unwrap_err();
        assert!(refused(sheet("主任", 1, &[("张伟", 60)], 70, 40)).en.contains("rule 2.16"));
        assert!(refused(sheet("主任", 1, &[("张伟", 60), ("李娜", 41)], 0, 0)).en.contains("at most 100"));
        assert!(refused(sheet("委员", 3, &[("刘洋", 101)], 0, 0)).en.contains("rule 2.16"));
        assert!(refused(sheet("主任", 1, &[("张伟", 50)], 0, 0)).zh.contains("空白"));
        assert!(ballots(100, &[sheet("主任", 1, &[("张伟", 50), ("张伟", 50)], 0, 0)]).is_err());
    }

    #[test]
    fn rule_2_15_a_box_within_its_count_is_accepted() {
        assert!(check_box("第一投票站", 120, 120).is_ok());
        assert!(check_box("流动票箱", 20, 0).is_ok());
    }

    #[test]
    fn rule_2_15_a_box_over_its_count_is_refused() {
        let e = check_box("第一投票站", 120, 121).unwrap_err();
        assert!(e.zh.contains("规则2.15") && e.en.contains("rule 2.15"), "{e}");
    }
}
