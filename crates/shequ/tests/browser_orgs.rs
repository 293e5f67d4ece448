//! Government purchase of services in headless Chromium, on SQLite and then
//! PostgreSQL: the district's finance bureau publishes a catalogue item and
//! approves a budget line; the community opens a project (a residents' committee
//! as buyer first comes back with rule 5.1 beside its field), records the
//! contract with 天井湖's federation; the federation's log-in enters a service
//! record; the community confirms it, evaluates the project and pays the
//! instalment through the ledger; the public page shows what was paid.
//! Screenshots go to target/screenshots/.

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

async fn id(s: &Server, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&s.db.pool).await.unwrap()
}

#[tokio::test]
async fn from_a_catalogue_item_to_a_paid_instalment() {
    let Some((c, _driver)) = browser().await else { return };
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let base = s.base.clone();
        begin_walk(&c, backend).await;

        // The finance bureau publishes the item and approves the line.
        log_in(&c, &base, "finance").await;
        open(&c, &format!("{base}/purchases"), "#catalogue").await;
        fill(&c, "catalogue-code", "B-1").await;
        fill(&c, "catalogue-title", "社区助浴服务").await;
        set(&c, "catalogue-published_on", "2026-01-02").await;
        submit_then(&c, "#catalogue", "#budget").await;
        fill(&c, "budget-community", "340705402").await;
        fill(&c, "budget-year", "2026").await;
        fill(&c, "budget-title", "助浴服务科目").await;
        fill(&c, "budget-amount", "3000.00").await;
        fill(&c, "budget-approved_ref", "铜官财〔2026〕9号").await;
        submit_then(&c, "#budget", "#projects").await;
        let item = id(&s, "SELECT id FROM purchase_catalogue WHERE title = '社区助浴服务'").await;
        let line = id(&s, "SELECT id FROM purchase_budget_lines WHERE title = '助浴服务科目'").await;

        // The community opens the project: a residents' committee cannot buy (rule 5.1).
        log_in(&c, &base, "admin").await;
        open(&c, &format!("{base}/purchases"), "#project").await;
        fill(&c, "project-title", "助浴上门").await;
        choose(&c, "project-catalogue_id", &item.to_string()).await;
        choose(&c, "project-budget_line_id", &line.to_string()).await;
        fill(&c, "project-buyer_name", "天井湖社区居委会").await;
        choose(&c, "project-buyer_kind", "residents_committee").await;
        fill(&c, "project-content", "为失能老人上门助浴").await;
        choose(&c, "project-barred", "none").await;
        fill(&c, "project-prior_assessment", "需求调查已完成").await;
        fill(&c, "project-targets", "全年助浴2次").await;
        choose(&c, "project-measure", "visits").await;
        fill(&c, "project-target_quantity", "2").await;
        fill(&c, "project-price", "2000.00").await;
        submit_then(&c, "#project", "#project-buyer_kind-error").await;
        assert!(text(&c, "#project-buyer_kind-error").await.contains("规则5.1"), "{backend}");
        assert_eq!(status(&c).await, 422, "{backend}");
        shot(&c, "orgs-buyer-refused").await;
        fill(&c, "project-buyer_name", "铜官区民政局").await;
        choose(&c, "project-buyer_kind", "state_organ").await;
        submit_then(&c, "#project", "#projects").await;
        let project = id(&s, "SELECT id FROM purchase_projects WHERE title = '助浴上门'").await;
        let fed = id(&s, "SELECT id FROM orgs WHERE name = '天井湖社区社会组织联合会'").await;

        // The contract with the federation.
        open(&c, &format!("{base}/purchases/{project}"), "#contract").await;
        choose(&c, "contract-provider_org_id", &fed.to_string()).await;
        choose(&c, "contract-method", "inquiry").await;
        fill(&c, "contract-quantity_terms", "助浴2次").await;
        fill(&c, "contract-quality_terms", "满意度90%").await;
        fill(&c, "contract-settlement", "按次结算").await;
        fill(&c, "contract-rights", "第四条").await;
        fill(&c, "contract-liability", "第七条").await;
        set(&c, "contract-term_from", "2026-01-01").await;
        set(&c, "contract-term_to", "2026-12-31").await;
        set(&c, "contract-published_on", "2025-12-20").await;
        submit_then(&c, "#contract", "#records").await;

        // The federation's log-in enters its service.
        log_in(&c, &base, "org").await;
        open(&c, &format!("{base}/purchases/{project}"), "#record").await;
        set(&c, "record-done_on", "2026-06-30").await;
        fill(&c, "record-visits", "2").await;
        fill(&c, "record-people", "2").await;
        submit_then(&c, "#record", "#records").await;
        assert!(text(&c, "#records").await.contains("待确认"), "{backend}");

        // The community confirms, evaluates and pays.
        log_in(&c, &base, "admin").await;
        let rec = id(&s, &format!("SELECT id FROM purchase_records WHERE project_id = {project}")).await;
        open(&c, &format!("{base}/purchases/{project}"), "#records").await;
        submit_then(&c, &format!("form[action='/purchases/records/{rec}/decide']"), "#evaluate").await;
        choose(&c, "evaluate-stage", "final").await;
        choose(&c, "evaluate-evaluator", "community").await;
        fill(&c, "evaluate-score", "92").await;
        fill(&c, "evaluate-comments", "老人满意").await;
        submit_then(&c, "#evaluate", "#pay").await;
        fill(&c, "pay-amount", "2000.00").await;
        set(&c, "pay-paid_on", "2026-07-01").await;
        submit_then(&c, "#pay", "#payments").await;
        assert_eq!(text(&c, "#paid").await, "2000.00", "{backend}");
        let tx = id(&s, &format!("SELECT fin_tx_id FROM purchase_payments WHERE project_id = {project}")).await;
        let memo: String = sqlx::query_scalar("SELECT memo FROM fin_transactions WHERE id = $1")
            .bind(tx)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert!(memo.contains("助浴上门"), "{backend}: {memo}");
        shot(&c, "orgs-paid").await;

        // Anyone reads the public page.
        c.delete_all_cookies().await.unwrap();
        open(&c, &format!("{base}/purchases/{project}/public"), "dl").await;
        let page = text(&c, "main").await;
        assert!(page.contains("2000.00") && page.contains("天井湖社区社会组织联合会"), "{backend}: {page}");
    }
}
