//! Accessibility (issue 14): axe-core (vendored from npm under
//! tests/vendor/axe-core, with its licence; never served) runs in headless
//! Chromium over the main pages of each role, on both databases, checking the
//! WCAG 2.0/2.1 A and AA rules: no violation of any impact (issue 14: 0 WCAG 2.1 AA violations).

#[path = "common/chrome.rs"]
mod chrome;
mod common;
use chrome::*;
use common::*;

const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// The WCAG A/AA violations on the page now shown, of any impact, one line each.
async fn violations(c: &fantoccini::Client) -> Vec<String> {
    c.execute(AXE, vec![]).await.expect("axe-core loads");
    let run = "const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then(r => done(r.violations
            .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
          .catch(e => done(['axe failed: ' + e]));";
    let v = c.execute_async(run, vec![]).await.expect("axe-core runs");
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap_or_default().to_string()).collect()
}

#[tokio::test]
async fn main_pages_of_each_role_have_no_wcag_violation() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        begin_walk(&c, backend).await;
        let base = s.base.clone();
        let case: i64 = sqlx::query_scalar("SELECT MIN(id) FROM cases WHERE community_code = '340705402'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let case_page = format!("/cases/{case}");
        // Issue 17: an organisation, a purchase project and its public page.
        let fed: i64 = sqlx::query_scalar("SELECT id FROM orgs WHERE name = '天井湖社区社会组织联合会'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let project: i64 = sqlx::query_scalar("SELECT id FROM purchase_projects WHERE title = '基层社区医疗卫生服务'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let (org_page, project_page) = (format!("/orgs/{fed}"), format!("/purchases/{project}"));
        let public_project = format!("/purchases/{project}/public");
        // The check itself works: an image without a text alternative is found.
        open(&c, &format!("{base}/"), "main").await;
        c.execute(
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/assets/favicon.svg\">')",
            vec![],
        )
        .await
        .unwrap();
        let seen = violations(&c).await;
        assert!(seen.iter().any(|v| v.contains("image-alt")), "{backend}: axe-core finds a missing alt: {seen:?}");
        let mut found = Vec::new();
        for (user, paths) in [
            (
                None,
                &[
                    "/",
                    "/communities/340705402",
                    "/dashboard",
                    "/lists",
                    "/service/league",
                    "/communities/340705402/finance",
                    "/open-data",
                    "/login",
                    public_project.as_str(),
                ][..],
            ),
            (Some("frontdesk"), &["/cases/new", "/cases", case_page.as_str(), "/hotline", "/residents"][..]),
            (
                Some("admin"),
                &["/tasks", "/pb", "/deliberation", "/finance", "/orgs", org_page.as_str(), project_page.as_str()][..],
            ),
            (Some("district"), &["/access", "/providers", "/orgs", "/purchases"][..]),
            (Some("org"), &["/orgs", "/purchases"][..]),
            (Some("provider"), &["/provider"][..]),
            (Some("resident"), &["/me/cases"][..]),
        ] {
            match user {
                Some(u) => log_in(&c, &base, u).await,
                None => c.delete_all_cookies().await.unwrap(),
            }
            for p in paths {
                open(&c, &format!("{base}{p}"), "main").await;
                for v in violations(&c).await {
                    found.push(format!("{backend} {p} ({}): {v}", user.unwrap_or("public")));
                }
            }
        }
        assert!(found.is_empty(), "WCAG 2.1 A/AA violations:\n{}", found.join("\n"));
    }
    c.close().await.unwrap();
}
