//! Title similarity on character bigrams and the bigram index.

use lists::similarity::{BigramIndex, SimilarityConfig, bigrams};
use lists::{normalize, similarity};
use proptest::prelude::*;

#[test]
fn normalisation_folds_full_width_and_drops_punctuation() {
    assert_eq!(normalize("结（离）婚证　遗失,补办证明。"), "结离婚证遗失补办证明");
    assert_eq!(normalize("ＡＢＣ１２３ abc"), "abc123abc");
    assert_eq!(normalize("《关于、“社区”》"), "关于社区");
}

#[test]
fn similarity_examples() {
    assert_eq!(similarity("招商引资", "招商 引资。"), 1.0);
    assert_eq!(similarity("招商引资", "协税护税"), 0.0);
    let s = similarity("经济创收指标", "经济创收指标任务");
    assert!((s - 10.0 / 12.0).abs() < 1e-12, "{s}");
    assert_eq!(similarity("证", "证"), 1.0);
    assert_eq!(similarity("", "。"), 1.0);
}

#[test]
fn index_candidates_agree_with_brute_force() {
    let titles = ["招商引资", "协税护税", "经济创收指标", "婚姻状况证明", "家庭关系证明", "关系证明", "证"];
    let idx = BigramIndex::new(titles);
    let cfg = SimilarityConfig { dice_threshold: 0.3, containment_threshold: 2.0, min_containment_bigrams: 3 };
    for q in ["夫妻关系证明", "婚姻证明", "招商", "证", "经济创收"] {
        let mut expect: Vec<usize> = (0..titles.len()).filter(|&i| similarity(q, titles[i]) >= 0.3).collect();
        let mut got: Vec<usize> = idx.candidates(q, &cfg).iter().map(|c| c.pos).collect();
        expect.sort();
        got.sort();
        assert_eq!(got, expect, "{q}");
    }
    assert_eq!(idx.exact("关系 证明"), vec![5]);
}

fn cjk_title() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::char::range('\u{4E00}', '\u{4E30}'),
            Just('社'),
            Just('区'),
            Just('，'),
            Just(' '),
            Just('Ａ'),
            Just('a')
        ],
        0..16,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn similarity_is_symmetric_and_in_unit_interval(a in cjk_title(), b in cjk_title()) {
        let (x, y) = (similarity(&a, &b), similarity(&b, &a));
        prop_assert_eq!(x, y);
        prop_assert!((0.0..=1.0).contains(&x));
    }

    #[test]
    fn similarity_is_one_for_identical_normalised_titles(a in cjk_title()) {
        prop_assert_eq!(similarity(&a, &a), 1.0);
        // Punctuation, spaces and full-width forms do not matter.
        let noisy: String = a.chars().flat_map(|c| [c, '、', '\u{3000}']).collect();
        let wide: String = a.chars().map(|c| if c.is_ascii_alphanumeric() {
            char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect();
        prop_assert_eq!(similarity(&a, &noisy), 1.0);
        prop_assert_eq!(similarity(&a, &wide), 1.0);
    }

    #[test]
    fn index_finds_every_title_above_threshold(titles in proptest::collection::vec(cjk_title(), 1..30), q in cjk_title()) {
        let idx = BigramIndex::new(titles.iter().map(String::as_str));
        let cfg = SimilarityConfig { dice_threshold: 0.4, containment_threshold: 2.0, min_containment_bigrams: 3 };
        let mut got: Vec<usize> = idx.candidates(&q, &cfg).iter().map(|c| c.pos).collect();
        let mut expect: Vec<usize> = (0..titles.len()).filter(|&i| similarity(&q, &titles[i]) >= 0.4).collect();
        got.sort();
        expect.sort();
        prop_assert_eq!(got, expect);
        prop_assert!(bigrams(&q).windows(2).all(|w| w[0] < w[1]));
    }
}
