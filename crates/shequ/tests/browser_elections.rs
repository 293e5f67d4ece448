//! A residents' committee election in headless Chromium (the harness in
//! common/chrome.rs), on SQLite and again on PostgreSQL: the community admin
//! prepares it and sees polling locked, publishes the roll and the
//! candidates, approves a proxy, sets up a polling station and opens the
//! printable ballots; the front desk types a box's tally sheet with the keyboard
//! only (Tab from field to field, Enter to save); the admin counts and seats
//! the new committee, which the community's page then lists.
//! Screenshots (of the last backend walked) go to target/screenshots/.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use chrome::*;
use common::*;
use fantoccini::Locator;
use fantoccini::key::Key;

async fn set_date(c: &fantoccini::Client, id: &str, value: &str) {
    c.execute(&format!("document.getElementById('{id}').value = '{value}'"), vec![]).await.unwrap();
}

#[tokio::test]
async fn an_election_from_roll_to_the_new_committee() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        // Two more adult voters in 天井湖's registry.
        let (api, csrf) = login(&s, "admin").await;
        for (name, n) in [("选民甲", 41), ("选民乙", 42)] {
            let r = api
                .post(format!("{}/api/v1/residents", s.base))
                .header("x-csrf-token", &csrf)
                .json(&serde_json::json!({ "name": name, "id_number": id_number(n), "hukou": "是" }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{backend}");
        }
        begin_walk(&c, backend).await;
        let base = s.base.clone();
        let today = store::clock::today();

        // The admin prepares the election: polling stays locked (§2.3, §2.9).
        log_in(&c, &base, "admin").await;
        open(&c, &format!("{base}/elections"), "#new-election").await;
        set_date(&c, "election_day", &today.to_string()).await;
        submit_then(&c, "#new-election", "#locked").await;
        let election = path(&c).await;
        assert!(text(&c, "#locked").await.contains("规则2.3"), "{backend}");
        shot(&c, "election-locked").await;

        // The roll, built from the registry and published 25 days before.
        set_date(&c, "roll_published_on", &(today - time::Duration::days(25)).to_string()).await;
        submit_then(&c, "#publish-roll", "#roll-summary").await;
        shot(&c, "election-roll-report").await;
        open(&c, &format!("{base}{election}/roll"), "#roll-summary").await;
        assert!(c.source().await.unwrap().contains("选民甲"), "{backend}");
        shot(&c, "election-roll").await;
        let voters: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM election_voters v JOIN elections e ON e.id = v.election_id WHERE e.status = 'preparing'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert!(voters >= 2, "{backend}");

        // The formal candidates, one more than the seats (§2.8), published ten days before.
        open(&c, &format!("{base}{election}"), "#set-candidates").await;
        set_date(&c, "cand_published_on", &(today - time::Duration::days(10)).to_string()).await;
        fill(&c, "cand_director", "张伟\n李娜").await;
        fill(&c, "cand_deputy", "王芳\n孙强").await;
        fill(&c, "cand_member", "刘一\n陈二\n杨三\n赵四").await;
        submit_then(&c, "#set-candidates", "#polling-open").await;

        // Polling (§2.11, §2.12): a proxy, written and approved the day before, and a station with three staff.
        let yesterday = (today - time::Duration::days(1)).to_string();
        fill(&c, "principal", "选民甲").await;
        fill(&c, "proxy", "选民乙").await;
        set_date(&c, "written_on", &yesterday).await;
        set_date(&c, "approved_on", &yesterday).await;
        submit_then(&c, "#add-proxy", "#proxy-count").await;
        assert_eq!(text(&c, "#proxy-count").await, "1", "{backend}");
        fill(&c, "station_name", "第一投票站").await;
        fill(&c, "station_staff", "工作员甲\n工作员乙\n工作员丙").await;
        submit_then(&c, "#add-station", "#stations tbody tr").await;
        assert!(text(&c, "#stations").await.contains("第一投票站"), "{backend}");
        shot(&c, "election-polling").await;
        open(&c, &format!("{base}{election}/proxies"), "#proxy-list").await;
        let list = text(&c, "#proxy-list").await;
        assert!(list.contains("选民甲") && list.contains("选民乙"), "{backend}: {list}");
        // The printable ballots: one per post, the candidates' names.
        open(&c, &format!("{base}{election}/ballots"), "section.ballot").await;
        let ballots = c.source().await.unwrap();
        assert!(ballots.contains("张伟") && ballots.contains("另选他人"), "{backend}");
        assert_eq!(c.find_all(Locator::Css("section.ballot")).await.unwrap().len(), 3, "{backend}");
        shot(&c, "election-ballots").await;

        // The front desk types the box's tally sheet from the paper, keyboard only.
        log_in(&c, &base, "frontdesk").await;
        open(&c, &format!("{base}{election}/sheet"), "#tally-sheet").await;
        let r = voters.to_string();
        let tab = Key::Tab.to_string();
        let mut keys = format!("第一投票站{tab}{tab}{r}{tab}{r}{tab}");
        // 主任: 张伟, 李娜, write-ins, invalid, blank; 副主任 likewise; 委员: four candidates.
        for votes in [vec![r.as_str(), "0"], vec![r.as_str(), "0"], vec![r.as_str(), r.as_str(), r.as_str(), "0"]] {
            for v in votes {
                keys.push_str(&format!("{tab}{v}"));
            }
            keys.push_str(&format!("{tab}{tab}0{tab}0"));
        }
        let first = c.find(Locator::Id("name")).await.unwrap();
        first.send_keys(&keys).await.unwrap();
        shot(&c, "election-sheet").await;
        let active = c.active_element().await.unwrap();
        active.send_keys(&Key::Enter.to_string()).await.unwrap();
        wait_css(&c, "#boxes tbody tr").await;
        assert!(text(&c, "#boxes").await.contains("第一投票站"), "{backend}");

        // The admin counts the round and seats the new committee (§1.1, §1.3).
        log_in(&c, &base, "admin").await;
        open(&c, &format!("{base}{election}"), "#count").await;
        submit_then(&c, "#count", "#round-valid").await;
        shot(&c, "election-result").await;
        submit_then(&c, "#seat", "#seated").await;
        open(&c, &format!("{base}/communities/340705402"), "main h1").await;
        let page = c.source().await.unwrap();
        assert!(page.contains("张伟") && page.contains("杨三"), "{backend}");
    }
}
