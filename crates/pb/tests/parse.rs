//! Parser quirks, error reporting and round trips.

use pb::{ParseError, Rule, TieBreak, VoteType, parse, write};

const QUIRKY: &str = "\u{feff}META\r\n\
key;value\r\n\
description;\"Budget; with \"\"quotes\"\"\"\r\n\
budget;1000.50\r\n\
vote_type;cumulative\r\n\
\r\n\
PROJECTS\r\n\
project_id;cost;votes;name;category;selected\r\n\
BO.OM.97/24;400.0;2;\"Park; \"\"green\"\"\r\nsecond line\";\"nature,culture\";1\r\n\
p2;300.25;1;Road &amp; bridge;;0\r\n\
  p3 ;100;0;Zero votes;;2\r\n\
VOTES\r\n\
voter_id;vote;points;age\r\n\
v1;BO.OM.97/24,p2;3,2;44\r\n\
v2;BO.OM.97/24,BO.OM.97/24;1,1;\r\n\
v3;;;30\r\n\
\r\n\
\r\n";

#[test]
fn quirky_file_parses() {
    let e = parse(QUIRKY).unwrap();
    assert_eq!(e.scale, 100);
    assert_eq!(e.budget, 100_050);
    assert_eq!(e.vote_type, VoteType::Cumulative);
    assert_eq!(e.meta["description"], "Budget; with \"quotes\"");
    assert_eq!(e.projects.len(), 3);
    let p = &e.projects[0];
    assert_eq!(p.id, "BO.OM.97/24");
    assert_eq!(p.cost, 40_000);
    assert_eq!(p.name, "Park; \"green\"\r\nsecond line");
    assert_eq!(p.category, ["nature", "culture"]);
    assert_eq!(p.selected, Some(1));
    assert_eq!(p.extra["votes"], "2");
    assert_eq!(e.projects[1].cost, 30_025);
    assert_eq!(e.projects[1].name, "Road &amp; bridge");
    assert_eq!(e.projects[2].id, "p3");
    assert_eq!(e.projects[2].selected, Some(2));
    assert!(e.projects[2].is_selected());
    assert_eq!(e.ballots.len(), 3);
    assert_eq!(e.ballots[0].approved, [0, 1]);
    assert_eq!(e.ballots[0].points, Some(vec![3, 2]));
    // Listed twice: one approval, points added up.
    assert_eq!(e.ballots[1].approved, [0]);
    assert_eq!(e.ballots[1].points, Some(vec![2]));
    assert!(e.ballots[2].approved.is_empty());
    assert_eq!(e.ballots[0].extra["age"], "44");
    assert_eq!(e.approval_counts(), [2, 1, 0]);
    assert_eq!(e.point_totals(), [5, 2, 0]);
    assert_eq!(e.file_selected(), ["BO.OM.97/24", "p3"]);
}

#[test]
fn quirky_file_round_trips_and_solves() {
    let e = parse(QUIRKY).unwrap();
    let text = write(&e);
    let again = parse(&text).unwrap();
    assert_eq!(again, e);
    assert!(text.contains("1000.5"));
    assert!(text.contains("300.25"));
    // Amounts stay exact through the rules: 400 + 300.25 + 100 ≤ 1000.5.
    let out = pb::solve(&e, Rule::Greedy, TieBreak::Lexicographic);
    assert_eq!(out.selected, ["BO.OM.97/24", "p2", "p3"]);
    assert_eq!(out.total_cost, 80_025);
    assert_eq!(out.scale, 100);
    for rule in Rule::ALL {
        let out = pb::solve(&e, rule, TieBreak::CostThenVotes);
        assert!(out.total_cost <= e.budget, "{rule}");
        assert_eq!(out.explanations.len(), 3);
    }
}

#[test]
fn ordinal_ballots_are_approvals() {
    let text = "META\nkey;value\nbudget;10\nvote_type;ordinal\n\
                PROJECTS\nproject_id;cost\n1;5\n2;5\n3;5\n\
                VOTES\nvoter_id;vote\na;3,1\nb;1,3\nc;2\n";
    let e = parse(text).unwrap();
    assert_eq!(e.ballots[0].approved, [2, 0]); // ranking order kept
    let p = pb::Profile::new(&e);
    assert_eq!(p.n_ballots(), 2); // {1,3} twice, {2} once
    assert_eq!(p.approvals, [2, 1, 2]);
    let out = pb::solve(&e, Rule::Greedy, TieBreak::Lexicographic);
    assert_eq!(out.selected, ["1", "3"]);
}

fn error_of(text: &str) -> ParseError {
    match parse(text) {
        Ok(e) => panic!("parsed: {e:?}"),
        Err(err) => err,
    }
}

const VALID: &str = "META\nkey;value\nbudget;100\nvote_type;approval\n\
PROJECTS\nproject_id;cost;name\na;60;A\nb;50;B\n\
VOTES\nvoter_id;vote\n1;a,b\n2;b\n";

#[test]
fn errors_carry_line_numbers() {
    let cases: &[(&str, usize, &str)] = &[
        ("hello world", 1, "section"),
        ("", 1, "missing META"),
        (&VALID.replace("a;60;A", "a;6x0;A"), 7, "cost"),
        (&VALID.replace("a;60;A", "a;-60;A"), 7, "cost"),
        (&VALID.replace("2;b", "2;zz"), 12, "unknown project"),
        (&VALID.replace("b;50;B", "a;50;B"), 8, "duplicate project"),
        (&VALID.replace("budget;100", "budget;lots"), 3, "budget"),
        (&VALID.replace("budget;100\n", ""), 1, "budget"),
        (&VALID.replace("vote_type;approval", "vote_type;fancy"), 4, "vote_type"),
        (&VALID.replace("b;50;B", "b;50;B;extra"), 8, "fields"),
        (&VALID.replace("b;50;B", "b;50;\"B"), 8, "unterminated"),
        (&VALID.replace("project_id;cost;name", "project_id;name"), 6, "cost"),
        (&VALID.replace("voter_id;vote\n", "voter_id;ballot\n"), 10, "vote"),
        (&VALID.replace("\nVOTES\nvoter_id;vote\n1;a,b\n2;b\n", "\n"), 8, "missing VOTES"),
        (&format!("{VALID}PROJECTS\n"), 13, "twice"),
        (&VALID.replace("voter_id;vote\n", "voter_id;vote;points\n").replace("1;a,b", "1;a,b;1"), 11, "points"),
        (&VALID.replace("voter_id;vote\n", "voter_id;vote;points\n").replace("1;a,b", "1;a,b;1,x"), 11, "points"),
    ];
    for (text, line, needle) in cases {
        let err = error_of(text);
        assert_eq!(err.line, *line, "{err} for {text:?}");
        assert!(err.message.contains(needle), "`{}` lacks `{needle}`", err.message);
        assert!(err.to_string().starts_with(&format!("line {line}:")));
    }
}

#[test]
fn truncated_and_garbage_inputs_never_panic() {
    let full = QUIRKY;
    let mut ok = 0;
    for (i, _) in full.char_indices() {
        if parse(&full[..i]).is_ok() {
            ok += 1;
        }
    }
    assert!(ok > 0, "some prefixes (cut inside VOTES) are valid files");
    // Lines cut short in the middle, and pseudo-random garbage.
    for cut in 1..20 {
        let text: String = VALID.lines().map(|l| &l[..l.len().min(cut)]).collect::<Vec<_>>().join("\n");
        let _ = parse(&text);
    }
    let mut x: u64 = 88172645463325252;
    let alphabet = b"META;PROJECTSVOTES\"\n\r,.0123456789abc key value budget vote";
    for _ in 0..2000 {
        let len = (x % 200) as usize;
        let mut s = String::new();
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push(alphabet[(x % alphabet.len() as u64) as usize] as char);
        }
        let _ = parse(&s);
        let _ = parse(&format!("META\nkey;value\nbudget;5\nPROJECTS\n{s}"));
    }
}

#[test]
fn ampersands_only_join_real_entities() {
    let t = VALID.replace("a;60;A", "a;60;B&amp;B &#8222;x&#x201D;");
    assert_eq!(parse(&t).unwrap().projects[0].name, "B&amp;B &#8222;x&#x201D;");
    let t = VALID
        .replace("project_id;cost;name", "project_id;cost;name;category")
        .replace("a;60;A", "a;60;B&B;sport")
        .replace("b;50;B", "b;50;R&D;");
    let e = parse(&t).unwrap();
    assert_eq!(e.projects[0].name, "B&B");
    assert_eq!(e.projects[0].category, ["sport"]);
    assert_eq!(e.projects[1].name, "R&D");
}

#[test]
fn meta_header_row_is_optional() {
    let e = parse(&VALID.replace("key;value\n", "")).unwrap();
    assert_eq!(e.budget, 100);
    assert_eq!(e.meta["vote_type"], "approval");
}

#[test]
fn huge_numbers_are_errors_not_panics() {
    let t = VALID.replace("a;60;A", "a;99999999999999999999999999;A");
    assert!(error_of(&t).message.contains("cost"));
    let t = VALID.replace("a;60;A", "a;1.0000000001;A");
    assert_eq!(error_of(&t).line, 7);
    let t = VALID.replace("budget;100", "budget;18446744073709551616");
    assert_eq!(error_of(&t).line, 3);
}
