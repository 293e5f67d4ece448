//! Stewards (楼栋长): proposing and deciding a building's steward, the issues stewards raise and
//! their status.

use super::*;

routes! {
    GET "/stewards" => pages::stewards::index, R(STEWARD_READERS), Page, "Stewards (管家计划): volunteers, areas, issues";
    POST "/stewards" => pages::stewards::volunteer, R(STEWARD_VOLUNTEERS), Page,
        "Volunteer as steward of a building or area";
    POST "/stewards/{id}/decide" => pages::stewards::decide, R(STEWARD_APPROVERS), Page, "Approve or reject a steward";
    POST "/stewards/issues" => pages::stewards::raise_issue, R(STEWARD_VOLUNTEERS), Page,
        "Raise an issue for the steward's area";
    POST "/stewards/issues/{id}/status" => pages::stewards::issue_status, R(STEWARD_DESK), Page,
        "Forward or close a steward's issue";
    GET "/api/v1/stewards" => api::stewards::stewards, R(STEWARD_READERS), Api, "Stewards in scope",
        reply Object(&["stewards: Steward[]", "cut: string[]"]);
    POST "/api/v1/stewards" => api::stewards::volunteer, R(STEWARD_VOLUNTEERS), Api, "Volunteer as steward",
        body Json("Volunteer"), reply Schema("Steward");
    POST "/api/v1/stewards/{id}/decide" => api::stewards::decide, R(STEWARD_APPROVERS), Api,
        "Approve or reject a steward", body Json("StewardDecision"), reply Schema("Steward");
    GET "/api/v1/stewards/issues" => api::stewards::issues, R(STEWARD_READERS), Api,
        "Stewards' issues (a steward: their area's open issues)", reply Object(&["issues: Issue[]", "cut: string[]"]);
    POST "/api/v1/stewards/issues" => api::stewards::raise_issue, R(STEWARD_VOLUNTEERS), Api,
        "Raise an issue for the steward's area", body Json("NewIssue"), reply Schema("Issue");
    POST "/api/v1/stewards/issues/{id}/status" => api::stewards::issue_status, R(STEWARD_DESK), Api,
        "Forward or close a steward's issue", body Json("IssueStatus"), reply Schema("Issue");
}
