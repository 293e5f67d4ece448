//! Party building with resident units in headless Chromium, on SQLite and
//! then PostgreSQL: the community records a signed agreement and its
//! commitment, the unit's liaison reports fulfilment, the community confirms
//! it, evaluates the unit's year (a missing comment first comes back beside
//! its field) and the liaison sees the evaluation. Screenshots go to target/screenshots/.

mod common;
use common::*;
#[path = "common/chrome.rs"]
mod chrome;
use chrome::*;
use serde_json::json;

/// Set a field's value directly (date inputs take typed keys by locale).
async fn set(c: &fantoccini::Client, id: &str, value: &str) {
    c.execute("document.getElementById(arguments[0]).value = arguments[1]", vec![json!(id), json!(value)])
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
}

#[tokio::test]
async fn from_a_signed_agreement_to_an_evaluated_year() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        begin_walk(&c, backend).await;
        let school: i64 =
            sqlx::query_scalar("SELECT id FROM units WHERE community_code = '340705402' AND name LIKE '%小学'")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();

        // The community records the agreement the school signed.
        log_in(&c, &base, "admin").await;
        open(&c, &format!("{base}/party"), "#sign-form").await;
        choose(&c, "sign-unit_id", &school.to_string()).await;
        fill(&c, "sign-title", "浏览器测试共建协议").await;
        set(&c, "sign-period_from", "2026-01-01").await;
        set(&c, "sign-period_to", "2026-12-31").await;
        set(&c, "sign-signed_on", "2025-12-30").await;
        submit_then(&c, "#sign-form", "#commitment-form").await;

        // Its commitment: 40 volunteer hours.
        choose(&c, "commit-kind", "volunteers").await;
        fill(&c, "commit-description", "周末志愿服务").await;
        fill(&c, "commit-quantity", "40").await;
        fill(&c, "commit-schedule", "每周六上午").await;
        submit_then(&c, "#commitment-form", "#commitments td.percent").await;
        assert!(text(&c, "#commitments").await.contains("周末志愿服务"), "{backend}");
        let commitment: i64 = sqlx::query_scalar("SELECT id FROM party_commitments WHERE description = '周末志愿服务'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();

        // The school's liaison reports 10 hours.
        log_in(&c, &base, "unit").await;
        open(&c, &format!("{base}/party"), "#report-form").await;
        choose(&c, "report-commitment_id", &commitment.to_string()).await;
        set(&c, "report-done_on", "2026-04-18").await;
        fill(&c, "report-quantity", "10").await;
        submit_then(&c, "#report-form", "#fulfilments").await;
        assert!(text(&c, "#fulfilments").await.contains("待确认"), "{backend}");
        shot(&c, "party-reported").await;

        // The community confirms, then evaluates the year: first without comments.
        log_in(&c, &base, "admin").await;
        let f: i64 = sqlx::query_scalar("SELECT id FROM party_fulfilments WHERE commitment_id = $1")
            .bind(commitment)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        open(&c, &format!("{base}/party"), "#fulfilments").await;
        let confirm = format!("form[action='/party/fulfilments/{f}/decide']");
        submit_then(&c, &confirm, "#evaluation-form").await;
        let status: String = sqlx::query_scalar("SELECT status FROM party_fulfilments WHERE id = $1")
            .bind(f)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(status, "confirmed", "{backend}");
        choose(&c, "evaluate-unit_id", &school.to_string()).await;
        fill(&c, "evaluate-year", "2026").await;
        choose(&c, "evaluate-grade", "good").await;
        submit_then(&c, "#evaluation-form", "#evaluate-comments-error").await;
        assert!(text(&c, "#evaluate-comments-error").await.contains("评价意见"), "{backend}");
        assert_eq!(status_now(&c).await, 422, "{backend}");
        fill(&c, "evaluate-comments", "履约较好，志愿服务按期开展").await;
        submit_then(&c, "#evaluation-form", "#evaluations").await;
        let table = text(&c, "#evaluations").await;
        assert!(table.contains("2026") && table.contains("良好"), "{backend}: {table}");
        shot(&c, "party-evaluated").await;

        // The unit sees its evaluation.
        log_in(&c, &base, "unit").await;
        open(&c, &format!("{base}/party"), "#evaluations").await;
        assert!(text(&c, "#evaluations").await.contains("履约较好"), "{backend}");
    }
}

async fn status_now(c: &fantoccini::Client) -> u64 {
    status(c).await
}
