//! The public face (issue 14) on both databases: the pages each role reads
//! speak Chinese — no engine identifiers, internal codes, English words or
//! fen — and every invented demo fact carries the 示例 badge, the seed's
//! figures the 据原文 one, and the home page says what rules §4 says about
//! the street offices.

mod common;
use common::*;
use serde_json::{Value, json};

/// A page's visible text: no head, scripts, styles or navigation bar, tags as spaces.
fn visible(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [("<head", "</head>"), ("<script", "</script>"), ("<style", "</style>"), ("<nav", "</nav>")] {
        while let (Some(a), Some(b)) = (s.find(open), s.find(close)) {
            if b < a {
                break;
            }
            s.replace_range(a..b + close.len(), " ");
        }
    }
    let mut out = String::new();
    let mut tag = false;
    for c in s.chars() {
        match c {
            '<' => tag = true,
            '>' if tag => {
                tag = false;
                out.push(' ');
            }
            _ if !tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
}

/// Latin words of three or more letters on a page, except names that are
/// Chinese usage too (file formats, the Open311 standard) and list-entry codes.
fn latin_words(text: &str) -> Vec<String> {
    const OK: &[&str] = &["Excel", "CSV", "XLSX", "Open311", "GeoReport", "English"];
    let mut words = Vec::new();
    let mut w = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_alphabetic() || (!w.is_empty() && (c == '_' || c == ':' || c == '#' || c == '.')) {
            w.push(c);
        } else {
            let t = w.trim_end_matches(['.', ':', '#']).to_string();
            // Record and list-entry codes (ACC-1, AS-004, HR-…) are short capitals.
            let code = t.len() <= 3 && t.chars().all(|c| c.is_ascii_uppercase());
            // The audit page's hash column is hexadecimal.
            let code = code || t.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
            if t.chars().filter(char::is_ascii_alphabetic).count() >= 3 && !OK.contains(&t.as_str()) && !code {
                words.push(t);
            }
            w.clear();
        }
    }
    words
}

async fn page(c: &reqwest::Client, s: &Server, path: &str) -> String {
    let r = c.get(format!("{}{path}", s.base)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

#[tokio::test]
async fn pages_speak_chinese_to_each_role() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (district, csrf) = login(&s, "district").await;
        let f: Value = district
            .post(format!("{}/api/v1/access", s.base))
            .header("x-csrf-token", &csrf)
            .json(&json!({
                "department": "铜官区民政局", "kind": "work_task", "title": "协助做好优抚救济工作",
                "description": "入户核查优抚对象情况", "legal_basis": "居组法第三条", "claimed_entry": "AS-004",
                "targets": "340705402", "duration_days": "365", "community_as_principal": false,
                "duty_holder": "government", "funding_yuan": "10000", "funding_basis": "per_community_per_year",
                "paying_department": "铜陵市民政局",
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let app = f["application"]["id"].as_i64().expect("filed");

        // (/finance lists ledger account numbers such as 1001.340705402, an accounting convention.)
        let walk: &[(&str, &[&str])] = &[
            ("district", &["/access", "/tasks", "/lists", "/lists/assistance", "/lists/assessment_access"]),
            ("civil", &["/outbox", "/pb", "/deliberation", "/stewards", "/providers"]),
            (
                "admin",
                &["/tasks", "/pb", "/deliberation", "/stewards", "/outbox", "/finance", "/communities/340705402"],
            ),
            ("auditor", &["/audit"]),
        ];
        let access = format!("/access/{app}");
        for (user, paths) in walk {
            let (c, _) = login(&s, user).await;
            for path in paths.iter().copied().chain((*user == "district").then_some(access.as_str())) {
                let text = visible(&page(&c, &s, path).await);
                let words = latin_words(&text);
                assert!(words.is_empty(), "{backend} {user} {path}: English or codes in the Chinese UI: {words:?}");
                assert!(
                    !text.contains("340705402") || path.starts_with("/communities") || path == "/finance",
                    "{backend} {user} {path}: a code where a name belongs"
                );
            }
        }

        // Social organisations and purchases of services (issue 17): every reader role's pages,
        // and the public page of a contracted project, which carries no personal data.
        let fed: i64 = sqlx::query_scalar("SELECT id FROM orgs WHERE name = '天井湖社区社会组织联合会'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let care: i64 = sqlx::query_scalar("SELECT id FROM orgs WHERE name = '天井湖居家养老服务中心（示例）'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let health: i64 = sqlx::query_scalar("SELECT id FROM purchase_projects WHERE title = '基层社区医疗卫生服务'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let (org_page, project_page, public_project) =
            (format!("/orgs/{care}"), format!("/purchases/{health}"), format!("/purchases/{health}/public"));
        let fed_page = format!("/orgs/{fed}");
        for (user, paths) in [
            ("district", vec!["/orgs", "/purchases", org_page.as_str(), project_page.as_str()]),
            ("admin", vec!["/orgs", "/purchases", org_page.as_str(), fed_page.as_str(), project_page.as_str()]),
            ("frontdesk", vec!["/orgs", org_page.as_str()]),
            ("civil", vec!["/orgs", "/purchases", org_page.as_str()]),
            ("org", vec!["/orgs", fed_page.as_str(), "/purchases", project_page.as_str()]),
        ] {
            let (c, _) = login(&s, user).await;
            for path in paths {
                let text = visible(&page(&c, &s, path).await);
                let words = latin_words(&text);
                assert!(words.is_empty(), "{backend} {user} {path}: English or codes in the Chinese UI: {words:?}");
                assert!(!text.contains("340705402"), "{backend} {user} {path}: a code where a name belongs");
            }
        }
        let public = page(&client(), &s, &public_project).await;
        let text = visible(&public);
        assert!(latin_words(&text).is_empty(), "{backend}: {:?}", latin_words(&text));
        assert!(text.contains("17260000.00") && text.contains("据原文"), "{backend}: the seed's amount, marked");
        for private in ["负责人", "13800000", "138****", "队员"] {
            assert!(!public.contains(private), "{backend}: personal data ({private}) on the public project page");
        }

        // The access result: checks, verdict and money in words (issue 14).
        let text = visible(&page(&district, &s, &access).await);
        assert!(text.contains("费随事转") && text.contains("规则§3.3"), "{backend}: {text}");
        assert!(text.contains("10000.00元") && !text.contains("1000000分"), "{backend}: money in yuan");
        assert!(text.contains("天井湖社区") || text.contains("待市级审核"), "{backend}");
        // The legal basis of the demo's duty list reads as the law is cited in Chinese.
        let (anyone, _) = login(&s, "civil").await;
        let lists = visible(&page(&anyone, &s, "/lists/duty").await);
        assert!(lists.contains("居组法第三条") && !lists.contains("Art"), "{backend}");
        assert!(lists.contains("已发布"), "{backend}: list stage in Chinese");
        // The finance bureau's allocation form names communities, never by code (issue 14).
        let (bureau, _) = login(&s, "finance").await;
        let alloc = page(&bureau, &s, "/finance").await;
        let form = &alloc[alloc.find(r#"id="allocation-form""#).expect("the allocation form")..];
        let select = &form[..form.find("</select>").unwrap()];
        assert!(select.contains(">天井湖社区</option>") && !select.contains("(3407"), "{backend}: {select}");
        // File inputs say 选择文件 in a Chinese page, over the browser's own button (issue 14).
        let (admin, _) = login(&s, "admin").await;
        let claims = page(&admin, &s, "/finance").await;
        let pick = &claims[claims.find(r#"<span class="file-pick">"#).expect("the voucher's file input, wrapped")..];
        assert!(pick.contains(r#"id="voucher""#) && pick.contains("选择文件"), "{backend}");
        assert!(alloc.contains("/assets/file-pick.js"), "{backend}");
        // Quarters as Chinese write them.
        let fin = visible(&page(&admin, &s, "/communities/340705402/finance").await);
        assert!(fin.contains("年第") && fin.contains("季度") && !fin.contains(" Q"), "{backend}: {fin}");
    }
}

#[tokio::test]
async fn invented_facts_carry_the_example_mark() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let home = page(&client(), &s, "/").await;
        let text = visible(&home);
        // rules §4: the urban districts abolished 10 street offices; 郊区 kept 桥南街道.
        assert!(!text.contains("撤销全部10个街道办事处") && !text.contains("没有街道一级"), "{backend}");
        assert!(text.contains("郊区仍设街道") && text.contains("桥南街道"), "{backend}");
        assert!(home.contains("据原文"), "{backend}: the seed's figures are marked");
        // The real hotline is not an invented center's phone, and no 24-hour claim is made.
        assert!(!text.contains("全天"), "{backend}");
        let centers = home.split("<tbody>").nth(1).unwrap_or_default();
        assert!(!centers.split("</tbody>").next().unwrap_or_default().contains("2881890"), "{backend}");
        // Every center row carries the 示例 badge (address, phone), and the codes not seen in a source.
        let rows = home.matches("<tr><td><a href=\"/communities/").count();
        assert_eq!(rows, 23, "{backend}");
        assert!(home.matches("class=\"tag warn illustrative\"").count() >= 23 * 2 + 21, "{backend}");
        assert!(home.contains("title=\"示例：为演示虚构，并非铜陵的真实情况\""), "{backend}");

        let community = page(&client(), &s, "/communities/340705402").await;
        let center =
            community.split("id=\"center\"").nth(1).unwrap_or_default().split("</div>").next().unwrap_or_default();
        assert!(center.matches("示例").count() >= 3, "{backend}: address, hours and founding date: {center}");
        assert!(visible(center).contains("原属 铜官山区"), "{backend}: {center}");
        // 天井湖's code was seen in a source: no badge beside it.
        let h1 = community.split("<h1>").nth(1).unwrap_or_default().split("</h1>").next().unwrap_or_default();
        assert!(!h1.contains("示例"), "{backend}: {h1}");

        let functions = page(&client(), &s, "/functions").await;
        assert!(
            functions.contains("illustrative") && !functions.contains("《铜陵市社区管理体制改革的探索与实践》"),
            "{backend}"
        );

        let (civil, _) = login(&s, "civil").await;
        let providers = without_invented_note(&page(&civil, &s, "/providers").await);
        assert!(providers.contains("tag warn illustrative"), "{backend}: providers' phones are marked");
        let lists = without_invented_note(&page(&civil, &s, "/lists").await);
        assert!(lists.contains("tag warn illustrative") && !lists.contains("illustrative, not Tongling"), "{backend}");

        // The demo's people are invented: every staff page says so once; the public pages name nobody.
        let note = "本演示中的居民、来电人及其姓名、证件号码、电话、地址和诉求均为虚构";
        let (desk, _) = login(&s, "frontdesk").await;
        for path in ["/residents", "/cases", "/hotline"] {
            assert!(page(&desk, &s, path).await.contains(note), "{backend}: {path}");
        }
        assert!(!home.contains(note), "{backend}");
        // A database of real communities (none invented) carries no such note.
        sqlx::query("UPDATE communities SET illustrative = 0, details_illustrative = 0, code_illustrative = 0")
            .execute(&s.db.pool)
            .await
            .unwrap();
        let real = serve(backend, s.db.clone()).await;
        let (desk, _) = login(&real, "frontdesk").await;
        assert!(!page(&desk, &real, "/residents").await.contains(note), "{backend}");
    }
}

/// The pages people print: the stylesheet's print rules drop the menu, forms
/// and buttons and keep tables whole; a case page carries a receipt line that
/// only prints; the disclosure's quarter links are marked not to print.
#[tokio::test]
async fn pages_people_print_print_cleanly() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let css = page(&client(), &s, "/assets/shequ.css").await;
        let print = &css[css.find("@media print").expect("print rules")..];
        for rule in
            ["header.top", "form", "button", ".no-print", ".print-only { display: block; }", "overflow: visible"]
        {
            assert!(print.contains(rule), "{backend}: print rules hold {rule}");
        }
        assert!(css.contains(".print-only { display: none; }"), "{backend}: the receipt line shows only on paper");
        let (desk, _) = login(&s, "frontdesk").await;
        let id: i64 = sqlx::query_scalar("SELECT MIN(id) FROM cases WHERE community_code = '340705402'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let html = page(&desk, &s, &format!("/cases/{id}")).await;
        assert!(html.contains("class=\"print-only\" id=\"receipt\""), "{backend}");
        assert!(visible(&html).contains(&format!("案件第{id}号 · 受理时间")), "{backend}");
        let html = page(&client(), &s, "/communities/340705402/finance").await;
        assert!(html.contains("class=\"no-print\""), "{backend}: the quarter links do not print");
    }
}

/// The city dashboard shows each figure the seed quotes (marked 据原文) beside
/// ours, computed from the rows at each request, with its definition.
#[tokio::test]
async fn the_dashboard_sets_our_live_figures_beside_the_seeds() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let count = |sql: &'static str| {
            let pool = s.db.pool.clone();
            async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
        };
        let table = |html: &str| {
            let a = html.find("id=\"seed-table\"").expect("the seed's figures");
            let a = a + html[a..].find('>').unwrap() + 1;
            visible(&html[a..a + html[a..].find("</table>").unwrap()])
        };
        let html = page(&client(), &s, "/dashboard").await;
        let t = table(&html);
        assert_eq!(t.matches("据原文").count(), 7, "{backend}: every quoted figure is marked: {t}");
        for quoted in ["全覆盖", "10万多件", "100%", "126家", "358家单位", "83万元", "1726万元"] {
            assert!(t.contains(quoted), "{backend}: {quoted}");
        }
        let n = count("SELECT CAST(COUNT(*) AS BIGINT) FROM communities").await;
        let solved = count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE channel = 'hotline' AND status IN ('resolved', 'callback', 'closed')",
        )
        .await;
        assert!(t.contains(&format!("{n}/{n} (100%)")), "{backend}: {t}");
        assert!(t.contains(&format!("{solved}件")), "{backend}: {t}");
        // The direct-election rate is rule 2.23's, the figure the elections table on the same page gives.
        let direct = count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM elections e WHERE mode = 'direct_all_voters' \
             AND e.id = (SELECT MAX(x.id) FROM elections x WHERE x.community_code = e.community_code \
             AND x.status IN ('counted', 'seated'))",
        )
        .await;
        let rate = format!("% ({direct}/{n})");
        assert!(t.contains("规则2.23") && t.contains(&rate), "{backend}: {rate} in {t}");
        let below = &html[html.find("id=\"election-table\"").expect("the elections table")..];
        assert!(visible(&below[..below.find("</table>").unwrap()]).contains(&rate), "{backend}: the same figure below");
        assert!(latin_words(&t).is_empty(), "{backend}: {:?}", latin_words(&t));

        // Live: a community without a center address shows at the next request.
        sqlx::query("UPDATE communities SET center_address = '' WHERE code = '340705402'")
            .execute(&s.db.pool)
            .await
            .unwrap();
        let t = table(&page(&client(), &s, "/dashboard").await);
        assert!(t.contains(&format!("{}/{n} ", n - 1)), "{backend}: {t}");
    }
}

/// Open data: the dictionary page names every table's columns, and each table
/// downloads as CSV, JSON and XLSX at its stable URL with the same rows.
#[tokio::test]
async fn open_data_downloads_each_public_table_in_three_formats() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let html = page(&client(), &s, "/open-data").await;
        // The field keys (in <code>, as the files' headers have them) are the only Latin besides the formats' names.
        let mut prose = html.clone();
        while let (Some(a), Some(b)) = (prose.find("<code>"), prose.find("</code>")) {
            prose.replace_range(a..b + "</code>".len(), " ");
        }
        let latin: Vec<String> = latin_words(&visible(&prose)).into_iter().filter(|w| w != "JSON").collect();
        assert!(latin.is_empty(), "{backend}: {latin:?}");
        for t in store::open_data::TABLES {
            for ext in ["csv", "json", "xlsx"] {
                assert!(html.contains(&format!("href=\"/open-data/{}.{ext}\"", t.name)), "{backend}: {}.{ext}", t.name);
            }
            for c in t.columns {
                assert!(html.contains(c.zh), "{backend}: {} {}", t.name, c.key);
            }
            let get = |ext: &str| client().get(format!("{}/open-data/{}.{ext}", s.base, t.name)).send();
            let r = get("csv").await.unwrap();
            assert_eq!(r.status(), 200, "{backend}");
            assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
            let csv = r.text().await.unwrap();
            let header: Vec<&str> = t.columns.iter().map(|c| c.key).collect();
            assert_eq!(csv.trim_start_matches('\u{feff}').lines().next().unwrap(), header.join(","), "{backend}");
            let json: Value = get("json").await.unwrap().json().await.unwrap();
            let rows = json["rows"].as_array().unwrap();
            assert_eq!(rows.len() + 1, csv.lines().count(), "{backend}: {}: the same rows", t.name);
            let xlsx = get("xlsx").await.unwrap().bytes().await.unwrap();
            assert!(xlsx.starts_with(b"PK"), "{backend}: {}", t.name);
        }
        let n: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM communities").fetch_one(&s.db.pool).await.unwrap();
        let json: Value =
            client().get(format!("{}/open-data/communities.json", s.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(json["rows"].as_array().unwrap().len() as i64, n, "{backend}");
        // The monthly tables add up to the rows they count.
        for (table, key, sql) in [
            ("community-cases-monthly", "taken", "SELECT CAST(COUNT(*) AS BIGINT) FROM cases"),
            (
                "community-tasks-monthly",
                "unapproved",
                "SELECT CAST(COUNT(*) AS BIGINT) FROM community_tasks WHERE approval_number IS NULL",
            ),
        ] {
            let want: i64 = sqlx::query_scalar(sql).fetch_one(&s.db.pool).await.unwrap();
            let j: Value =
                client().get(format!("{}/open-data/{table}.json", s.base)).send().await.unwrap().json().await.unwrap();
            let got: i64 = j["rows"].as_array().unwrap().iter().map(|r| r[key].as_i64().unwrap()).sum();
            assert_eq!(got, want, "{backend}: {table}");
        }
        let p: Value =
            client().get(format!("{}/open-data/projects.json", s.base)).send().await.unwrap().json().await.unwrap();
        let budget = p["rows"][0]["budget_yuan"].as_str().expect("money as a decimal string");
        assert!(
            budget.ends_with(|c: char| c.is_ascii_digit()) && budget.split('.').nth(1).unwrap().len() == 2,
            "{budget}"
        );
        for bad in ["/open-data/residents.csv", "/open-data/communities.pdf", "/open-data/communities"] {
            assert_eq!(
                client().get(format!("{}{bad}", s.base)).send().await.unwrap().status(),
                404,
                "{backend}: {bad}"
            );
        }
    }
}

/// A community's public page, without a log-in: how to make a request, the
/// items its center takes, the projects its residents chose with their
/// progress — and nothing personal from the registry.
#[tokio::test]
async fn a_community_page_tells_the_public_how_to_ask_and_what_was_chosen() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let html = page(&client(), &s, "/communities/340705402").await;
        let text = visible(&html);
        assert!(text.contains("如何办事、提出诉求") && text.contains("0562-2881890"), "{backend}");
        let items: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM community_items WHERE community_code = '340705402'",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert!(items > 0 && text.contains(&format!("本中心受理的服务事项 ({items})")), "{backend}: {items}");
        let (title, amount): (String, i64) = sqlx::query_as(
            "SELECT title, amount_fen FROM budget_lines WHERE source = 'pb_project' AND community_code = '340705402' ORDER BY id",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert!(
            text.contains(&title) && text.contains(&format!("{}元", store::budgeting::yuan(amount))),
            "{backend}: {title}"
        );
        assert!(html.contains("<progress"), "{backend}: progress is shown");
        let (name, phone): (String, String) = sqlx::query_as(
            "SELECT name, phone FROM residents WHERE community_code = '340705402' AND phone <> '' ORDER BY id LIMIT 1",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert!(!text.contains(&phone) && !text.contains(&name), "{backend}: nothing personal");
        assert!(latin_words(&text).is_empty(), "{backend}: {:?}", latin_words(&text));
    }
}
