//! Resident-chosen projects (participatory budgeting, issue 6): calls, proposals and their review, ballots,
//! results, and each project's milestones, spending and rating.

use super::*;

routes! {
    GET "/pb" => pages::pb::list, R(PB_READERS), Page, "Community service projects chosen by residents";
    POST "/pb" => pages::pb::create_call, R(PB_ORGANISERS), Page, "Open a call for projects";
    GET "/pb/{id}" => pages::pb::show, R(PB_READERS), Page, "A call: proposals, review, voting, results";
    POST "/pb/{id}/projects" => pages::pb::propose, R(PB_PROPOSERS), Page, "Propose a project";
    POST "/pb/{id}/advance" => pages::pb::advance, R(PB_ORGANISERS), Page, "Move a call to its next phase";
    POST "/pb/{id}/ballots" => pages::pb::vote, R(PB_VOTERS), Page, "Cast a ballot";
    POST "/pb/{id}/paper-ballots" => pages::pb::paper_vote, R(PB_CLERKS), Page, "Enter a paper ballot";
    POST "/pb/projects/{id}/review" => pages::pb::review, R(PB_ORGANISERS), Page, "Review a proposal";
    GET "/pb/projects/{id}" => pages::pb::project, R(PB_READERS), Page,
        "A selected project: milestones, spending, rating";
    POST "/pb/projects/{id}/milestones" => pages::pb::add_milestone, R(PB_ORGANISERS), Page, "Add a milestone";
    POST "/pb/milestones/{id}/complete" => pages::pb::complete_milestone, R(PB_ORGANISERS), Page,
        "Mark a milestone done";
    POST "/pb/projects/{id}/evaluations" => pages::pb::evaluate, R(PB_VOTERS), Page, "Rate a finished project";
    GET "/api/v1/pb/calls" => api::pb::calls, R(PB_READERS), Api, "Calls for community service projects",
        reply Object(&["calls: Call[]"]);
    POST "/api/v1/pb/calls" => api::pb::create_call, R(PB_ORGANISERS), Api, "Open a call", body Json("NewCall"),
        reply Schema("Call");
    GET "/api/v1/pb/calls/{id}" => api::pb::call, R(PB_READERS), Api, "A call with its projects, tally and result",
        reply Object(&["call: Call", "projects: Project[]", "tally", "result"]);
    POST "/api/v1/pb/calls/{id}/projects" => api::pb::propose, R(PB_PROPOSERS), Api, "Propose a project",
        body Json("NewProject"), reply Schema("Project");
    POST "/api/v1/pb/calls/{id}/advance" => api::pb::advance, R(PB_ORGANISERS), Api,
        "Next phase; closing the vote runs the rule", body Empty, reply Object(&["call: Call", "result"]);
    POST "/api/v1/pb/calls/{id}/ballots" => api::pb::vote, R(PB_VOTERS), Api, "Cast a ballot", body Json("Ballot"),
        reply Object(&["ballot_id"]);
    POST "/api/v1/pb/calls/{id}/paper-ballots" => api::pb::paper_vote, R(PB_CLERKS), Api, "Enter a paper ballot",
        body Json("Ballot"), reply Object(&["ballot_id"]);
    POST "/api/v1/pb/projects/{id}/review" => api::pb::review, R(PB_ORGANISERS), Api, "Review a proposal",
        body Json("ProjectReview"), reply Schema("Project");
    GET "/api/v1/pb/projects/{id}" => api::pb::project, R(PB_READERS), Api,
        "A project's execution: milestones, spending, rating", reply Schema("Execution");
    POST "/api/v1/pb/projects/{id}/milestones" => api::pb::add_milestone, R(PB_ORGANISERS), Api, "Add a milestone",
        body Json("NewMilestone"), reply Schema("Milestone");
    POST "/api/v1/pb/milestones/{id}/complete" => api::pb::complete_milestone, R(PB_ORGANISERS), Api,
        "Mark a milestone done", body Json("MilestoneNote"), reply Schema("Milestone");
    POST "/api/v1/pb/projects/{id}/evaluations" => api::pb::evaluate, R(PB_VOTERS), Api,
        "Rate a finished project (once per resident)", body Json("Evaluation"), reply Schema("Execution");
}
