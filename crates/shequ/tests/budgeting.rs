//! Community service projects end to end through the API, on both databases:
//! propose, review (with a cost adjusted for a reason), vote on the web and
//! on paper, refuse bad ballots, close with Equal Shares, budget lines.

mod common;
use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn a_call_from_proposal_to_budget_line() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let (resident, r_csrf) = login(&s, "resident").await;
        let (desk, d_csrf) = login(&s, "frontdesk").await;
        let post = |c: &reqwest::Client, csrf: &str, path: &str, body: Value| {
            c.post(format!("{}{path}", s.base)).header("x-csrf-token", csrf).json(&body).send()
        };

        // Bad call: a budget that is not money.
        let r = post(&admin, &a_csrf, "/api/v1/pb/calls", json!({"title": "x", "budget": "-3"})).await.unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "budget");
        let r = post(
            &admin,
            &a_csrf,
            "/api/v1/pb/calls",
            json!({"title": "x", "budget": "3", "proposals_until": "2026-12-31", "voting_until": "2026-12-01"}),
        )
        .await
        .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "voting_until");
        let r = post(&admin, &a_csrf, "/api/v1/pb/calls", json!({"title": "x", "budget": "3", "tie_break": "coin"}))
            .await
            .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["field"], "tie_break");
        let call: Value = post(
            &admin,
            &a_csrf,
            "/api/v1/pb/calls",
            json!({"title": "测试征集", "budget": "100000", "max_choices": "2", "rule": "mes"}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let id = call["id"].as_i64().unwrap();

        let mut pids = Vec::new();
        for (t, cost) in [("助餐点", "60000"), ("步道", "50000"), ("托管", "40000"), ("照明", "90000")] {
            let p: Value =
                post(&resident, &r_csrf, &format!("/api/v1/pb/calls/{id}/projects"), json!({"title": t, "cost": cost}))
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
            pids.push(p["id"].as_i64().unwrap());
        }
        // Over the whole budget: refused.
        let r = post(
            &resident,
            &r_csrf,
            &format!("/api/v1/pb/calls/{id}/projects"),
            json!({"title": "太贵", "cost": "200000"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        // Residents cannot move the phase.
        let r = post(&resident, &r_csrf, &format!("/api/v1/pb/calls/{id}/advance"), json!({})).await.unwrap();
        assert_eq!(r.status(), 403, "{backend}");
        assert_eq!(
            post(&admin, &a_csrf, &format!("/api/v1/pb/calls/{id}/advance"), json!({})).await.unwrap().status(),
            200
        );

        // Review: an adjusted cost needs a reason.
        let r = post(
            &admin,
            &a_csrf,
            &format!("/api/v1/pb/projects/{}/review", pids[1]),
            json!({"decision": "approve", "cost": "45000"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let r = post(
            &admin,
            &a_csrf,
            &format!("/api/v1/pb/projects/{}/review", pids[1]),
            json!({"decision": "approve", "cost": "45000", "note": "按定额核减"}),
        )
        .await
        .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["cost_fen"], 4_500_000);
        for p in [pids[0], pids[2]] {
            post(
                &admin,
                &a_csrf,
                &format!("/api/v1/pb/projects/{p}/review"),
                json!({"decision": "approve", "score": "80"}),
            )
            .await
            .unwrap();
        }
        post(
            &admin,
            &a_csrf,
            &format!("/api/v1/pb/projects/{}/review", pids[3]),
            json!({"decision": "reject", "note": "重复"}),
        )
        .await
        .unwrap();
        assert_eq!(
            post(&admin, &a_csrf, &format!("/api/v1/pb/calls/{id}/advance"), json!({})).await.unwrap().status(),
            200
        );

        // The page's ballot form runs the same action: a choice that is no number is its field's 422,
        // and nothing is cast (the tally below counts every ballot).
        let page = |c: &reqwest::Client, csrf: &str, path: &str, form: &str| {
            c.post(format!("{}{path}", s.base))
                .header("x-csrf-token", csrf)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form.to_string())
                .send()
        };
        for form in ["p=abc".to_string(), format!("p={}&pts_{}=x", pids[0], pids[1])] {
            let r = page(&resident, &r_csrf, &format!("/pb/{id}/ballots"), &form).await.unwrap();
            assert_eq!(r.status(), 422, "{backend}: {form}");
        }

        // Ballots: too many choices, a rejected project, then good ones; one per resident.
        let ballot = |ps: &[i64]| json!({"choices": ps.iter().map(|p| json!({"project_id": p})).collect::<Vec<_>>()});
        let r =
            post(&resident, &r_csrf, &format!("/api/v1/pb/calls/{id}/ballots"), ballot(&[pids[0], pids[1], pids[2]]))
                .await
                .unwrap();
        assert_eq!(r.status(), 422, "{backend}: max 2 choices");
        let r = post(&resident, &r_csrf, &format!("/api/v1/pb/calls/{id}/ballots"), ballot(&[pids[3]])).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}: rejected project");
        let r = post(&resident, &r_csrf, &format!("/api/v1/pb/calls/{id}/ballots"), ballot(&[pids[0], pids[1]]))
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let r = post(&resident, &r_csrf, &format!("/api/v1/pb/calls/{id}/ballots"), ballot(&[pids[2]])).await.unwrap();
        assert_eq!(r.status(), 422, "{backend}: one ballot per resident");

        // Paper ballots from the polling table, by ID number of registered residents.
        let voters = store::residents::first_indexes(&s.db, "340705402", 10).await.unwrap();
        let linked: i64 = sqlx::query_scalar("SELECT resident_id FROM users WHERE username = 'resident'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        let mut entered = 0;
        for (rid, _) in voters.iter().filter(|(rid, _)| *rid != linked) {
            let full: Value = desk
                .post(format!("{}/api/v1/residents/{rid}/reveal", s.base))
                .header("x-csrf-token", &d_csrf)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let mut b = ballot(&[pids[2]]);
            b["id_number"] = full["id_number"].clone();
            let r = post(&desk, &d_csrf, &format!("/api/v1/pb/calls/{id}/paper-ballots"), b).await.unwrap();
            assert_eq!(r.status(), 200, "{backend}");
            entered += 1;
        }
        // Someone not in the registry cannot vote on paper.
        let mut b = ballot(&[pids[0]]);
        b["id_number"] = json!(id_number(777));
        assert_eq!(
            post(&desk, &d_csrf, &format!("/api/v1/pb/calls/{id}/paper-ballots"), b).await.unwrap().status(),
            422
        );

        let v: Value =
            admin.get(format!("{}/api/v1/pb/calls/{id}", s.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["tally"]["ballots"], 1 + entered, "{backend}");
        assert_eq!(v["tally"]["paper"], entered);

        // Close: Equal Shares runs, explains itself, and opens budget lines.
        let v: Value = post(&admin, &a_csrf, &format!("/api/v1/pb/calls/{id}/advance"), json!({}))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["call"]["phase"], "closed");
        let selected: Vec<String> =
            v["result"]["selected"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect();
        assert!(selected.contains(&pids[2].to_string()), "{backend}: the paper majority's project wins: {selected:?}");
        assert!(v["result"]["explanations"].as_array().unwrap().iter().all(|e| {
            // Each reason in both languages (issue 14).
            !e["reason"]["zh"].as_str().unwrap().is_empty() && !e["reason"]["en"].as_str().unwrap().is_empty()
        }));
        let lines = store::budgeting::budget_lines(&s.db, "340705402").await.unwrap();
        let ours: Vec<_> = lines.iter().filter(|l| selected.contains(&l.source_id.to_string())).collect();
        assert_eq!(ours.len(), selected.len(), "{backend}: one budget line per selected project");
        // Closed is closed.
        assert_eq!(
            post(&admin, &a_csrf, &format!("/api/v1/pb/calls/{id}/advance"), json!({})).await.unwrap().status(),
            422
        );

        // Execution: the district funds the project's restricted account, spending goes through
        // reimbursement claims on that fund, milestones, then residents rate the finished project.
        let won: i64 = selected[0].parse().unwrap();
        let line = lines.iter().find(|l| l.source_id == won).unwrap();
        let (district, dist_csrf) = login(&s, "finance").await;
        let r = post(&district, &dist_csrf, "/api/v1/finance/allocations",
            json!({"community": "340705402", "fund": format!("project:{}", line.id), "amount": format!("{}", line.amount_fen / 100), "key": format!("pb-{won}")})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}: {}", r.text().await.unwrap());
        let over = format!("{}", line.amount_fen / 100 + 1);
        let r = post(
            &desk,
            &d_csrf,
            "/api/v1/finance/claims",
            json!({"payee": "某公司", "amount": over, "purpose": "施工", "fund": format!("project:{}", line.id)}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422, "{backend}: a claim beyond the project's money is refused");
        let half = format!("{}", line.amount_fen / 200);
        let r = post(
            &desk,
            &d_csrf,
            "/api/v1/finance/claims",
            json!({"payee": "某公司", "amount": half, "purpose": "施工", "fund": format!("project:{}", line.id)}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let claim = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let r = post(&admin, &a_csrf, &format!("/api/v1/finance/claims/{claim}/approve"), json!({})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        // Over 5,000 yuan: district finance approves too, and then it is paid.
        let r =
            post(&district, &dist_csrf, &format!("/api/v1/finance/claims/{claim}/approve"), json!({})).await.unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let milestone: Value = post(
            &admin,
            &a_csrf,
            &format!("/api/v1/pb/projects/{won}/milestones"),
            json!({"title": "采购", "due_on": "2026-12-31"}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let r = post(&resident, &r_csrf, &format!("/api/v1/pb/projects/{won}/evaluations"), json!({"rating": 5}))
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}: not finished yet");
        // The page's rating form: a rating that is no number is named as such, before anything else.
        let r = page(&resident, &r_csrf, &format!("/pb/projects/{won}/evaluations"), "rating=four").await.unwrap();
        assert_eq!(r.status(), 422, "{backend}");
        let text = r.text().await.unwrap();
        assert!(text.contains("评分为1–5") || text.contains("the rating is 1 to 5"), "{backend}: {text}");
        let r = post(
            &admin,
            &a_csrf,
            &format!("/api/v1/pb/milestones/{}/complete", milestone["id"]),
            json!({"note": "已验收"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let x: Value = post(
            &resident,
            &r_csrf,
            &format!("/api/v1/pb/projects/{won}/evaluations"),
            json!({"rating": 4, "comment": "很好"}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        assert_eq!(x["rating_x100"], 400, "{backend}");
        assert_eq!(x["spent_fen"], line.amount_fen / 200 * 100, "{backend}: the paid claim shows as project spending");
        let r = post(&resident, &r_csrf, &format!("/api/v1/pb/projects/{won}/evaluations"), json!({"rating": 1}))
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{backend}: one rating per resident");
        assert!(matches!(store::audit::verify(&s.db).await.unwrap(), store::audit::Verdict::Intact { .. }));
    }
}

fn pabulib_dir() -> Option<std::path::PathBuf> {
    let candidates = [
        std::env::var_os("SHEQU_PABULIB_DIR").map(std::path::PathBuf::from),
        Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pabulib")),
        Some(std::path::PathBuf::from("/work/shared/data/pabulib")),
    ];
    candidates.into_iter().flatten().find(|d| d.join("reference_outcomes.json").exists())
}

#[tokio::test]
async fn a_real_election_imports_and_selects_as_pabutools_does() {
    let Some(dir) = pabulib_dir() else {
        skip("pabulib reference data (../shared/data/pabulib or SHEQU_PABULIB_DIR)");
        return;
    };
    let refs: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reference_outcomes.json")).unwrap()).unwrap();
    let file = "Poland_Warszawa_2018_Falenica.pb";
    let election = pb::parse(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let call = store::budgeting::import_election(&s.db, "test", "340705402", &election, "mes").await.unwrap();
        assert_eq!(call.phase, store::budgeting::Phase::Closed);
        let outcome = store::budgeting::result(&s.db, call.id).await.unwrap().unwrap();
        let projects = store::budgeting::projects(&s.db, call.id).await.unwrap();
        let mut chosen: Vec<String> = projects
            .iter()
            .filter(|p| outcome.selected.contains(&p.id.to_string()))
            .map(|p| p.proposer.trim_start_matches("pabulib:").to_string())
            .collect();
        chosen.sort();
        let mut expected: Vec<String> =
            refs[file]["outcomes"]["mes"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect();
        expected.sort();
        assert_eq!(chosen, expected, "{backend}");
        // And back out as a pabulib file that the engine reads again.
        let again = pb::parse(&pb::write(&store::budgeting::election(&s.db, &call, &projects).await.unwrap())).unwrap();
        assert_eq!(again.ballots.len(), election.ballots.len());
    }
}
