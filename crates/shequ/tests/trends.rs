//! The dashboard's figures over time (issue 14), on both databases: per community or the whole
//! city, service cases per month and work pushed per month, each an SVG chart drawn on the server
//! with its table beside it; the list versions' months named; the demo's invented rows marked 示例.

mod common;
use common::*;

async fn page(s: &Server, q: &str) -> String {
    reqwest::get(format!("{}/dashboard{q}", s.base)).await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn the_dashboard_draws_each_communitys_months_and_the_lists_on_the_time_axis() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let html = page(&s, "").await;
        let trends = &html[html.find(r#"id="trends""#).expect("the section")..];
        assert!(trends.contains("示例"), "{backend}: the demo's rows are marked as invented");
        assert_eq!(trends.matches(r#"<figure class="card chart""#).count(), 2, "{backend}: two charts");
        assert!(trends.contains("全市：每月受理的服务案件") && trends.contains("按时办结率"), "{backend}");
        // Every pushed task is in the burden table, by month.
        let pushed: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM community_tasks")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let burden = &trends[trends.find("每月下派到社区的事项与清单版本").unwrap()..];
        let months = burden.matches("<tr><td>20").count();
        assert!(months >= 4, "{backend}: the demo's pushes span months ({months})");
        assert!(pushed >= 6, "{backend}");
        // The lists' version month is named, with its 示例 mark (the demo's lists are invented).
        assert!(burden.contains("2014-07") && burden.contains("社区履职清单第1版"), "{backend}");
        // One community: its name heads the charts; an unknown pick is the whole city.
        let one = page(&s, "?community=340705402").await;
        assert!(one.contains("天井湖社区：每月受理的服务案件"), "{backend}");
        let odd = page(&s, "?community=%3Cscript%3E").await;
        assert!(odd.contains("全市：每月受理的服务案件") && !odd.contains("<script>"), "{backend}");
    }
}
