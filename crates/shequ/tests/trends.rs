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
        let burden = &trends[trends.find("每月在办的下派事项与清单版本").unwrap()..];
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

/// The burden is the work in force: a task stops being in force when the community refuses it (its
/// `ended_at` set in the refusal's own transaction) or its approval expires; each month counts the
/// tasks in force at some moment of it, and the ones that ended in it.
#[tokio::test]
async fn the_burden_is_the_work_in_force_per_month_and_a_refusal_ends_it() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        // The demo's plaque was refused a month ago: ended then, the refusal's moment.
        let (ended, refused_at): (Option<String>, String) = sqlx::query_as(
            "SELECT t.ended_at, r.created_at FROM community_tasks t JOIN task_refusals r ON r.task_id = t.id \
             WHERE t.title = '挂牌设立工作站'",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(ended.as_deref(), Some(refused_at.as_str()), "{backend}");
        // A refusal now ends the task now, in the same transaction as the refusal.
        let push = store::lists::record_push(
            &s.db,
            "test",
            None,
            store::lists::NewPush {
                community: "340705401".into(),
                department: "测试局".into(),
                title: "报送测试台账".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(push.ended_at, None, "{backend}: in force, no end");
        let before = store::clock::now_text();
        let t = store::lists::refuse(&s.db, "test", push.id, Default::default()).await.unwrap();
        let end = t.ended_at.clone().expect("ended");
        assert!(end >= before && end.get(..7) == before.get(..7), "{backend}: {end}");
        // An approval's expiry is its end: the last second of its last day.
        assert_eq!(store::lists::expiry_end("2027-03-31"), "2027-03-31T23:59:59Z");

        // This month on the dashboard: every task not ended before the month's start is in force,
        // split by approval; the ones ended this month counted apart.
        let month = store::clock::today().to_string()[..7].to_string();
        let rows: Vec<(Option<String>, i64)> = sqlx::query_as(
            "SELECT ended_at, CAST(CASE WHEN approval_number IS NULL THEN 0 ELSE 1 END AS BIGINT) FROM community_tasks",
        )
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
        let in_force = |approved: i64| {
            rows.iter().filter(|(e, a)| *a == approved && e.as_deref().is_none_or(|e| e[..7] >= *month)).count()
        };
        let ended_now = rows.iter().filter(|(e, _)| e.as_deref().is_some_and(|e| e[..7] == *month)).count();
        let html = page(&s, "").await;
        let burden = &html[html.find("每月在办的下派事项与清单版本").unwrap()..];
        let row = burden.find(&format!("<tr><td>{month}</td>")).map(|i| &burden[i..]).expect("this month's row");
        let cells: Vec<&str> =
            row[..row.find("</tr>").unwrap()].split("<td>").skip(1).map(|c| c.split('<').next().unwrap()).collect();
        assert_eq!(cells[2], in_force(1).to_string(), "{backend}: in force with an approval");
        assert_eq!(cells[3], in_force(0).to_string(), "{backend}: in force without one");
        assert_eq!(cells[4], ended_now.to_string(), "{backend}: ended this month");
        assert!(ended_now >= 1, "{backend}: the refusal above");
        // A month back the plaque ended; the months before it was in force.
        let csv = reqwest::get(format!("{}/open-data/community-tasks-in-force.csv", s.base)).await.unwrap();
        let csv = csv.text().await.unwrap();
        let plaque: Vec<&str> = csv.lines().filter(|l| l.starts_with("340705403,")).collect();
        assert!(plaque.len() >= 3, "{backend}: from its arrival to this month: {plaque:?}");
        assert!(plaque[0].ends_with(",0,1,0"), "{backend}: in force when it arrived: {plaque:?}");
        assert!(plaque.last().unwrap().ends_with(",0,0,0"), "{backend}: gone by this month: {plaque:?}");
        assert_eq!(plaque.iter().filter(|l| l.ends_with(",1")).count(), 1, "{backend}: ended once: {plaque:?}");
    }
}

/// The seed's figures over time: per community and year, summed for a district or the city; over
/// the years they add up to the live figures, this year's stocks are today's, and the source's
/// 2014 figures stand on their own row (据原文) under ours for 2014.
#[tokio::test]
async fn the_seeds_figures_by_year_add_up_to_the_live_ones_for_the_city_a_district_and_a_community() {
    use store::figures_yearly::{by_community_year, sum_by_year};
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let rows = by_community_year(&s.db).await.unwrap();
        let years = sum_by_year(&rows, |_| true);
        let live = store::figures::city(&store::figures::by_district(&s.db).await.unwrap());
        let sum = |f: fn(&store::figures_yearly::YearRow) -> i64| years.iter().map(f).sum::<i64>();
        assert_eq!(sum(|y| y.hotline_solved), live.hotline_solved, "{backend}");
        assert_eq!(sum(|y| y.elections), live.elections, "{backend}");
        assert_eq!(sum(|y| y.direct_elections), live.direct_elections, "{backend}");
        assert_eq!((sum(|y| y.projects), sum(|y| y.project_fen)), (live.projects, live.project_fen), "{backend}");
        assert_eq!((sum(|y| y.purchases), sum(|y| y.purchase_fen)), (live.purchases, live.purchase_fen), "{backend}");
        assert!(live.hotline_solved > 0 && live.projects > 0, "{backend}: the demo has rows to count");
        let now = years.last().unwrap();
        assert_eq!(now.year, store::clock::today().year(), "{backend}: up to this year");
        assert_eq!((now.with_center, now.formed), (live.with_center, live.communities), "{backend}");
        let today = store::clock::today();
        let party = store::party::total(&store::party::figures(&s.db, None, today).await.unwrap(), "");
        assert_eq!((now.units_seated, now.agreements_signed), (party.units_seated, party.agreements_signed));
        assert!(years.iter().any(|y| y.year == 2014), "{backend}: the source's year is drawn");

        let html = page(&s, "").await;
        let sec = &html[html.find(r#"id="over-years""#).expect("the section")..];
        let sec = &sec[..sec.find("</section>").unwrap()];
        assert!(sec.contains("全市：改革成效按年") && sec.contains("<svg"), "{backend}");
        let source = &sec[sec.find("2014年原文").expect("the source's row")..];
        assert!(source.contains("据原文") && source.contains("126家") && source.contains("358家单位"), "{backend}");
        assert!(sec.find("<tr><td>2014</td>").unwrap() < sec.find("2014年原文").unwrap(), "{backend}: under ours");
        assert!(sec.contains("示例"), "{backend}: the demo's rows are marked");
        // A district and a community by name; an unknown place is the city, never echoed.
        assert!(page(&s, "?place=340705").await.contains("铜官区：改革成效按年"), "{backend}");
        assert!(page(&s, "?place=340705402").await.contains("天井湖社区：改革成效按年"), "{backend}");
        let odd = page(&s, "?place=%3Cscript%3E").await;
        assert!(odd.contains("全市：改革成效按年") && !odd.contains("<script>"), "{backend}");
        // The open data holds the same rows: one per community and year.
        let csv = reqwest::get(format!("{}/open-data/community-figures-yearly.csv", s.base)).await.unwrap();
        assert_eq!(csv.text().await.unwrap().lines().count(), rows.len() + 1, "{backend}");
    }
}

/// Migration 0042 back-fills `ended_at` for the rows it finds: an approval's expiry (its last second),
/// a refusal's moment when it came first; an unrefused task without expiry stays in force.
#[tokio::test]
async fn migration_0042_back_fills_when_each_task_stopped_being_in_force() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let p = &s.db.pool;
        let insert = "INSERT INTO community_tasks (community_code, district_code, approval_number, approved_on, expires_on, \
             department, item_type, title, status, created_by, created_at) \
             VALUES ('340705401', '340705', 'T-1', '2025-01-01', '2025-06-30', '测试局', 'work_task', $1, $2, 'test', '2025-01-01T00:00:00Z') RETURNING id";
        let expired: i64 = sqlx::query_scalar(insert).bind("到期").bind("active").fetch_one(p).await.unwrap();
        let late: i64 = sqlx::query_scalar(insert).bind("到期后拒绝").bind("refused").fetch_one(p).await.unwrap();
        sqlx::query(
            "INSERT INTO task_refusals (task_id, community_code, district_code, department, reason, refused_by, created_at) \
             VALUES ($1, '340705401', '340705', '测试局', 'approval_not_in_force', 'test', '2025-09-01T00:00:00Z')",
        )
        .bind(late)
        .execute(p)
        .await
        .unwrap();
        // As before the migration: no end recorded anywhere.
        sqlx::query("UPDATE community_tasks SET ended_at = NULL").execute(p).await.unwrap();
        let sql = if backend == "sqlite" {
            include_str!("../../store/migrations/sqlite/0042_task_ended.sql")
        } else {
            include_str!("../../store/migrations/postgres/0042_task_ended.sql")
        };
        let body: String = sql.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
        for stmt in body.split(';').map(str::trim).filter(|x| !x.is_empty() && !x.starts_with("ALTER")) {
            sqlx::query(sqlx::AssertSqlSafe(stmt.to_string())).execute(p).await.unwrap();
        }
        let ended = |id: i64| async move {
            sqlx::query_scalar::<_, Option<String>>("SELECT ended_at FROM community_tasks WHERE id = $1")
                .bind(id)
                .fetch_one(p)
                .await
                .unwrap()
        };
        assert_eq!(ended(expired).await.as_deref(), Some("2025-06-30T23:59:59Z"), "{backend}: expiry");
        assert_eq!(ended(late).await.as_deref(), Some("2025-06-30T23:59:59Z"), "{backend}: expired before refused");
        let (plaque, refused_at): (Option<String>, String) = sqlx::query_as(
            "SELECT t.ended_at, r.created_at FROM community_tasks t JOIN task_refusals r ON r.task_id = t.id \
             WHERE t.title = '挂牌设立工作站'",
        )
        .fetch_one(p)
        .await
        .unwrap();
        assert_eq!(plaque.as_deref(), Some(refused_at.as_str()), "{backend}: refused, no expiry");
        let open: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM community_tasks WHERE ended_at IS NULL AND status = 'active' AND expires_on IS NULL",
        )
        .fetch_one(p)
        .await
        .unwrap();
        assert!(open >= 4, "{backend}: the demo's other pushes stay in force ({open})");
    }
}
