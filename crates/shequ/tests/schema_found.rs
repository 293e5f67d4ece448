//! What the schema-driven run (scripts/schemathesis.sh, issue 12 point 13)
//! found, each kept as a test on both databases: a repeated catalogue code
//! or organisation answered 500 (a unique constraint the store did not map
//! to its field); now 422 on the field, and nothing written.

mod common;
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_repeated_catalogue_code_or_organisation_name_is_a_field_error_not_a_server_error() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (district, csrf) = login(&s, "district").await;
        let item = json!({"code": "0", "title": "0", "published_on": "2000-01-01", "negative": null});
        let url = format!("{}/api/v1/purchases/catalogue", s.base);
        let (first, _) = post_json(&district, &csrf, url.clone(), item.clone()).await;
        assert_eq!(first, 200, "{backend}");
        let (again, problem) = post_json(&district, &csrf, url, item).await;
        assert_eq!(again, 422, "{backend}: {problem}");
        assert_eq!(problem["field"], "code", "{backend}: {problem}");

        let (admin, csrf) = login(&s, "admin").await;
        let org = json!({"name": "示例合唱团", "tier": "small", "nature": "community_service", "fields": "文体",
            "person_in_charge": "示例负责人", "founded_on": "2020-01-01"});
        let url = format!("{}/api/v1/orgs", s.base);
        let (first, body) = post_json(&admin, &csrf, url.clone(), org.clone()).await;
        assert_eq!(first, 200, "{backend}: {body}");
        let (again, problem) = post_json(&admin, &csrf, url, org).await;
        assert_eq!(again, 422, "{backend}: {problem}");
        assert_eq!(problem["field"], "name", "{backend}: {problem}");
    }
}
