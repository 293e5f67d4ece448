//! Community finance end to end through the API, on both databases: the
//! district allocates, a worker files claims, the head and district finance
//! approve, payment posts through the ledger engine; every refusal writes
//! nothing; 100 concurrent claims never overdraw their fund; the books
//! reload from the database to the same balances; the public disclosure.

mod common;
use common::*;
use serde_json::{Value, json};

const TJH: &str = "340705402";

async fn balance(s: &Server, fund: &str) -> i64 {
    store::finance::fund_balances(&s.db, TJH, "340705")
        .await
        .unwrap()
        .iter()
        .find(|b| b.fund == fund)
        .map(|b| b.balance_fen)
        .unwrap_or(0)
}

/// How many rows the books and claims hold (a refusal must leave them all unchanged).
async fn rows(s: &Server) -> (i64, i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM fin_transactions), (SELECT CAST(COUNT(*) AS BIGINT) FROM fin_postings), \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM fin_claims WHERE status = 'paid'), (SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log)",
    )
    .fetch_one(&s.db.pool)
    .await
    .unwrap()
}

async fn zero_sum(s: &Server) -> i64 {
    sqlx::query_scalar("SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM fin_postings")
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn claims_are_approved_by_amount_refused_naming_their_field_and_disclosed() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (district, d_csrf) = login(&s, "finance").await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let (desk, f_csrf) = login(&s, "frontdesk").await;
        let (other, o_csrf) = login(&s, "admin_yh").await;

        // Allocation: posted once per key, visible to the district and to the community.
        let before = balance(&s, "operating").await;
        let alloc = json!({"community": TJH, "amount": "50000", "memo": "追加公用经费", "key": "k1"});
        let (st, a) = s.post_json(&district, &d_csrf, "/api/v1/finance/allocations", alloc.clone()).await;
        assert_eq!(st, 200, "{backend}: {a}");
        assert_eq!(a["created"], true);
        let (st, again) = s.post_json(&district, &d_csrf, "/api/v1/finance/allocations", alloc).await;
        assert_eq!((st, &again["tx_id"], &again["created"]), (200, &a["tx_id"], &json!(false)), "{backend}: retry");
        assert_eq!(balance(&s, "operating").await, before + 5_000_000, "{backend}");
        let tx_id = a["tx_id"].clone();
        for c in [&district, &admin] {
            let v: Value =
                c.get(format!("{}/api/v1/finance/transactions", s.base)).send().await.unwrap().json().await.unwrap();
            assert!(v["transactions"].as_array().unwrap().iter().any(|t| t["id"] == tx_id), "{backend}: {v}");
        }
        // Another community sees nothing of it; a community cannot allocate.
        let v: Value =
            other.get(format!("{}/api/v1/finance/transactions", s.base)).send().await.unwrap().json().await.unwrap();
        assert!(!v["transactions"].as_array().unwrap().iter().any(|t| t["id"] == tx_id), "{backend}");
        let (st, _) =
            s.post_json(&admin, &a_csrf, "/api/v1/finance/allocations", json!({"community": TJH, "amount": "1"})).await;
        assert_eq!(st, 403);

        // A large claim: head, then district finance; payment on the final approval.
        let op = balance(&s, "operating").await;
        let (st, c) = s
            .post_json(
                &desk,
                &f_csrf,
                "/api/v1/finance/claims",
                json!({"payee": "铜陵市安居物业", "amount": "6000", "purpose": "楼道照明", "fund": "operating"}),
            )
            .await;
        assert_eq!(st, 200, "{backend}: {c}");
        assert_eq!((c["status"].as_str(), c["needs_district"].as_i64()), (Some("pending"), Some(1)));
        let id = c["id"].as_i64().unwrap();
        let (st, _) = s.post_json(&desk, &f_csrf, &format!("/api/v1/finance/claims/{id}/approve"), json!({})).await;
        assert_eq!(st, 403, "{backend}: a front-desk worker does not approve");
        let (st, e) = s.post_json(&district, &d_csrf, &format!("/api/v1/finance/claims/{id}/approve"), json!({})).await;
        assert_eq!((st, e["field"].as_str()), (422, Some("status")), "{backend}: head first");
        let (st, v) = s.post_json(&admin, &a_csrf, &format!("/api/v1/finance/claims/{id}/approve"), json!({})).await;
        assert_eq!((st, v["status"].as_str()), (200, Some("head_approved")), "{backend}: {v}");
        let before_rows = rows(&s).await;
        let (st, e) = s.post_json(&admin, &a_csrf, &format!("/api/v1/finance/claims/{id}/approve"), json!({})).await;
        assert_eq!((st, e["field"].as_str()), (422, Some("status")), "{backend}: double approval");
        assert_eq!(rows(&s).await, before_rows, "{backend}: nothing written");
        assert_eq!(balance(&s, "operating").await, op, "{backend}: not paid yet");
        let (st, v) = s.post_json(&district, &d_csrf, &format!("/api/v1/finance/claims/{id}/approve"), json!({})).await;
        assert_eq!((st, v["status"].as_str()), (200, Some("paid")), "{backend}: {v}");
        assert_eq!(balance(&s, "operating").await, op - 600_000, "{backend}");
        let (st, e) = s.post_json(&district, &d_csrf, &format!("/api/v1/finance/claims/{id}/approve"), json!({})).await;
        assert_eq!((st, e["field"].as_str()), (422, Some("status")), "{backend}: paid once");

        // A small claim is paid on the head's approval.
        let (_, c) = s
            .post_json(
                &desk,
                &f_csrf,
                "/api/v1/finance/claims",
                json!({"payee": "文具店", "amount": "100.50", "purpose": "办公用品"}),
            )
            .await;
        let small = c["id"].as_i64().unwrap();
        let (_, v) = s.post_json(&admin, &a_csrf, &format!("/api/v1/finance/claims/{small}/approve"), json!({})).await;
        assert_eq!(v["status"], "paid", "{backend}: {v}");
        assert_eq!(balance(&s, "operating").await, op - 600_000 - 10_050, "{backend}");

        // Refusals, each naming its field and writing nothing.
        let before_rows = rows(&s).await;
        let (_, own) = s
            .post_json(
                &admin,
                &a_csrf,
                "/api/v1/finance/claims",
                json!({"payee": "自己", "amount": "10", "purpose": "差旅"}),
            )
            .await;
        let own = own["id"].as_i64().unwrap();
        let before_rows = (before_rows.0, before_rows.1, before_rows.2, before_rows.3 + 1);
        let (st, e) = s.post_json(&admin, &a_csrf, &format!("/api/v1/finance/claims/{own}/approve"), json!({})).await;
        assert_eq!((st, e["field"].as_str()), (422, Some("approver")), "{backend}: own claim");
        for (body, field) in [
            (json!({"payee": "x", "amount": "-5", "purpose": "y"}), "amount"),
            (json!({"payee": "x", "amount": "0", "purpose": "y"}), "amount"),
            (json!({"payee": "x", "amount": "99999999", "purpose": "y"}), "amount"),
            (json!({"payee": "", "amount": "5", "purpose": "y"}), "payee"),
            (json!({"payee": "x", "amount": "5", "purpose": "y", "fund": "project:999999"}), "fund"),
        ] {
            let (st, e) = s.post_json(&desk, &f_csrf, "/api/v1/finance/claims", body.clone()).await;
            assert_eq!((st, e["field"].as_str()), (422, Some(field)), "{backend}: {body} → {e}");
        }
        let (st, e) = s.post_json(&admin, &a_csrf, &format!("/api/v1/finance/claims/{own}/reject"), json!({})).await;
        assert_eq!((st, e["field"].as_str()), (422, Some("reason")), "{backend}");
        // Restricted money cannot go back to operating; operating money may be earmarked.
        let line = store::budgeting::budget_lines(&s.db, TJH).await.unwrap()[0].id;
        let project = format!("project:{line}");
        assert!(balance(&s, &project).await > 0, "{backend}: the demo funded the first project");
        let (st, e) = s
            .post_json(
                &admin,
                &a_csrf,
                "/api/v1/finance/transfers",
                json!({"from": project, "to": "operating", "amount": "100"}),
            )
            .await;
        assert_eq!((st, e["field"].as_str()), (422, Some("fund")), "{backend}: {e}");
        // Posting into a closed period.
        let year = store::finance::current_quarter().0;
        let (st, e) = s
            .post_json(
                &district,
                &d_csrf,
                "/api/v1/finance/allocations",
                json!({"community": TJH, "amount": "10", "date": format!("{}-12-01", year - 1)}),
            )
            .await;
        assert_eq!(st, 200, "{backend}: {e}");
        let (st, e) = s
            .post_json(
                &district,
                &d_csrf,
                "/api/v1/finance/closings",
                json!({"community": TJH, "period": format!("{}-12", year - 1)}),
            )
            .await;
        assert_eq!(st, 200, "{backend}: {e}");
        let before_rows = (before_rows.0 + 1, before_rows.1 + 4, before_rows.2, before_rows.3 + 2);
        assert_eq!(rows(&s).await, before_rows, "{backend}: only the allocation and the closing were written");
        let (st, e) = s
            .post_json(
                &district,
                &d_csrf,
                "/api/v1/finance/allocations",
                json!({"community": TJH, "amount": "10", "date": format!("{}-12-15", year - 1)}),
            )
            .await;
        assert_eq!((st, e["field"].as_str()), (422, Some("date")), "{backend}: {e}");
        // Overdraw a project fund.
        let left = balance(&s, &project).await;
        let (st, e) = s
            .post_json(
                &desk,
                &f_csrf,
                "/api/v1/finance/claims",
                json!({"payee": "x", "amount": store::budgeting::yuan(left + 100), "purpose": "y", "fund": project}),
            )
            .await;
        assert_eq!((st, e["field"].as_str()), (422, Some("amount")), "{backend}: {e}");
        assert_eq!(rows(&s).await, before_rows, "{backend}: refusals wrote nothing");
        // Another community's admin cannot see or approve our claims.
        let (st, _) = s.post_json(&other, &o_csrf, &format!("/api/v1/finance/claims/{own}/approve"), json!({})).await;
        assert_eq!(st, 404, "{backend}");
        // A rejection with a reason.
        let (st, v) = s
            .post_json(&admin, &a_csrf, &format!("/api/v1/finance/claims/{own}/reject"), json!({"reason": "无凭证"}))
            .await;
        assert_eq!((st, v["status"].as_str()), (200, Some("rejected")), "{backend}");

        // A claim against the project line keeps the budget line's spent amount in step.
        let spent_before = store::budgeting::budget_lines(&s.db, TJH).await.unwrap()[0].spent_fen;
        let (_, c) = s
            .post_json(
                &desk,
                &f_csrf,
                "/api/v1/finance/claims",
                json!({"payee": "建材", "amount": "200", "purpose": "材料", "fund": project}),
            )
            .await;
        let (_, v) =
            s.post_json(&admin, &a_csrf, &format!("/api/v1/finance/claims/{}/approve", c["id"]), json!({})).await;
        assert_eq!(v["status"], "paid", "{backend}: {v}");
        assert_eq!(balance(&s, &project).await, left - 20_000);
        assert_eq!(store::budgeting::budget_lines(&s.db, TJH).await.unwrap()[0].spent_fen, spent_before + 20_000);

        // A voucher keeps its checksum.
        let r = desk
            .post(format!("{}/api/v1/finance/claims/{small}/vouchers?filename=receipt.pdf", s.base))
            .header("x-csrf-token", &f_csrf)
            .header("content-type", "application/pdf")
            .body(b"%PDF-1.4 receipt".to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{backend}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["sha256"].as_str().unwrap().len(), 64);
        let file = admin.get(format!("{}/finance/vouchers/{}", s.base, v["id"])).send().await.unwrap();
        assert_eq!(file.bytes().await.unwrap().as_ref(), b"%PDF-1.4 receipt");

        // The public disclosure shows the quarter's spending and the large payment.
        let (y, q) = store::finance::current_quarter();
        let d: Value = client()
            .get(format!("{}/api/v1/communities/{TJH}/finance?year={y}&quarter={q}", s.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(d["expense_fen"].as_i64().unwrap() >= 600_000 + 10_050 + 20_000, "{backend}: {d}");
        assert!(d["large"].as_array().unwrap().iter().any(|p| p["claim_id"] == id), "{backend}: {d}");
        let page = client().get(format!("{}/communities/{TJH}/finance", s.base)).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("铜陵市安居物业"));
        let x = client().get(format!("{}/communities/{TJH}/finance.xlsx", s.base)).send().await.unwrap();
        assert_eq!(x.status(), 200);
        assert_eq!(&x.bytes().await.unwrap()[..2], b"PK");
        let v: Value =
            district.get(format!("{}/api/v1/finance/district", s.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["communities"].as_array().unwrap().len(), 23, "{backend}");

        // A correction is an exact reversal, once.
        let (st, r) =
            s.post_json(&district, &d_csrf, &format!("/api/v1/finance/transactions/{tx_id}/reverse"), json!({})).await;
        assert_eq!(st, 200, "{backend}: {r}");
        let (st, e) =
            s.post_json(&district, &d_csrf, &format!("/api/v1/finance/transactions/{tx_id}/reverse"), json!({})).await;
        assert_eq!((st, e["field"].as_str()), (422, Some("transaction")), "{backend}");

        assert_eq!(zero_sum(&s).await, 0, "{backend}");
        // Each transaction's folded postings (what a start-up reads) agree with its posting rows.
        let differ = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM fin_transactions t WHERE t.postings IS NULL OR t.postings <> {}",
            store::finance::FOLD.as_str()
        );
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(differ)).fetch_one(&s.db.pool).await.unwrap();
        assert_eq!(n, 0, "{backend}: folded postings differ from their rows");
        // The books reload from the rows (through the engine's checks) to the same balances.
        let fresh = store::Db::connect(&url, store::seal::Seal::new([42; 32])).await.unwrap();
        let a = store::finance::accounts(&s.db, None, None).await.unwrap();
        let b = store::finance::accounts(&fresh, None, None).await.unwrap();
        assert_eq!(serde_json::to_value(a).unwrap(), serde_json::to_value(b).unwrap(), "{backend}");
        assert!(matches!(store::audit::verify(&s.db).await.unwrap(), store::audit::Verdict::Intact { .. }));
    }
}

#[tokio::test]
async fn a_hundred_concurrent_claims_never_overdraw_their_fund() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (district, d_csrf) = login(&s, "finance").await;
        let (admin, a_csrf) = login(&s, "admin").await;
        let (desk, f_csrf) = login(&s, "frontdesk").await;
        let (st, e) = s
            .post_json(
                &district,
                &d_csrf,
                "/api/v1/finance/allocations",
                json!({"community": TJH, "fund": "assistance:T-census", "amount": "1000"}),
            )
            .await;
        assert_eq!(st, 200, "{backend}: {e}");
        let fund = "assistance:T-census";
        assert_eq!(balance(&s, fund).await, 100_000);

        let mut set = tokio::task::JoinSet::new();
        for i in 0..100 {
            let (c, t, base) = (desk.clone(), f_csrf.clone(), s.base.clone());
            set.spawn(async move {
                let r = c
                    .post(format!("{base}/api/v1/finance/claims"))
                    .header("x-csrf-token", t)
                    .json(&json!({"payee": format!("入户员{i}"), "amount": "30", "purpose": "人口普查入户补贴", "fund": "assistance:T-census"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
            });
        }
        let ids: Vec<i64> = set.join_all().await;
        assert_eq!(ids.len(), 100);

        let mut set = tokio::task::JoinSet::new();
        for id in ids {
            let (c, t, base) = (admin.clone(), a_csrf.clone(), s.base.clone());
            set.spawn(async move {
                let r = c
                    .post(format!("{base}/api/v1/finance/claims/{id}/approve"))
                    .header("x-csrf-token", t)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                let st = r.status().as_u16();
                let v: Value = r.json().await.unwrap();
                (st, v)
            });
        }
        let results = set.join_all().await;
        let paid = results.iter().filter(|(st, v)| *st == 200 && v["status"] == "paid").count();
        for (st, v) in &results {
            assert!(*st == 200 || (*st == 422 && v["field"] == "amount"), "{backend}: {st} {v}");
        }
        assert_eq!(paid, 33, "{backend}: 33 × 30 yuan fit in 1,000 yuan");
        assert_eq!(balance(&s, fund).await, 100_000 - 33 * 3_000, "{backend}");
        let n: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM fin_claims WHERE status = 'paid' AND fund = 'assistance' AND fund_ref = 'T-census'",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(n, 33, "{backend}");
        assert_eq!(zero_sum(&s).await, 0, "{backend}: every account together sums to zero");
        let fresh = store::Db::connect(&url, store::seal::Seal::new([42; 32])).await.unwrap();
        let v = store::finance::fund_balances(&fresh, TJH, "340705").await.unwrap();
        assert_eq!(v.iter().find(|b| b.fund == fund).unwrap().balance_fen, 100_000 - 33 * 3_000, "{backend}");
    }
}
