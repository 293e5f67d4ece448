//! Deliberation (rules §1.6–§1.9): topics and comments, residents' meetings with attendance, minutes
//! and resolutions, petitions, follow-ups, and each community's public record.

use super::*;

routes! {
    GET "/deliberation" => pages::deliberation::index, R(DELIB_READERS), Page,
        "Resident deliberation: topics, meetings, petitions, follow-ups";
    POST "/deliberation/topics" => pages::deliberation::create_topic, R(DELIB_RAISERS), Page, "Raise a topic";
    GET "/deliberation/topics/{id}" => pages::deliberation::topic, R(DELIB_READERS), Page,
        "A topic with its discussion and resolutions";
    POST "/deliberation/topics/{id}/comments" => pages::deliberation::comment, R(DELIB_DISCUSSANTS), Page,
        "Speak on a topic";
    POST "/deliberation/topics/{id}/close" => pages::deliberation::close_topic, R(DELIB_CHAIRS), Page,
        "Close a topic (important questions: only by a residents' meeting)";
    POST "/deliberation/meetings" => pages::deliberation::create_meeting, R(DELIB_CHAIRS), Page,
        "Convene a council or residents' meeting";
    GET "/deliberation/meetings/{id}" => pages::deliberation::meeting, R(DELIB_READERS), Page,
        "A meeting: agenda, attendance, minutes, resolutions";
    POST "/deliberation/meetings/{id}/attendance" => pages::deliberation::attendance, R(DELIB_CHAIRS), Page,
        "Record attendance";
    POST "/deliberation/meetings/{id}/minutes" => pages::deliberation::minutes, R(DELIB_CHAIRS), Page, "Record minutes";
    POST "/deliberation/meetings/{id}/resolutions" => pages::deliberation::resolve, R(DELIB_CHAIRS), Page,
        "Record a vote";
    POST "/deliberation/petitions" => pages::deliberation::create_petition, R(DELIB_CLERKS), Page,
        "Record a petition to convene a residents' meeting";
    POST "/deliberation/followups" => pages::deliberation::create_followup, R(DELIB_CHAIRS), Page,
        "Add a follow-up action";
    POST "/deliberation/followups/{id}/done" => pages::deliberation::followup_done, R(DELIB_CHAIRS), Page,
        "Mark a follow-up done";
    GET "/communities/{code}/record" => pages::deliberation::record, P, Page,
        "A community's public record of meetings and resolutions";
    GET "/api/v1/deliberation/topics" => api::deliberation::topics, R(DELIB_READERS), Api,
        "Deliberation topics in scope", reply Object(&["topics: Topic[]", "cut: string[]"]);
    POST "/api/v1/deliberation/topics" => api::deliberation::create_topic, R(DELIB_RAISERS), Api, "Raise a topic",
        body Json("NewTopic"), reply Schema("Topic");
    GET "/api/v1/deliberation/topics/{id}" => api::deliberation::topic, R(DELIB_READERS), Api,
        "A topic with comments, meetings and resolutions",
        reply Object(&["topic: Topic", "comments: Comment[]", "meetings: Meeting[]", "resolutions: Resolution[]"]);
    POST "/api/v1/deliberation/topics/{id}/comments" => api::deliberation::comment, R(DELIB_DISCUSSANTS), Api,
        "Speak on a topic", body Json("NewComment"), reply Schema("Comment");
    POST "/api/v1/deliberation/topics/{id}/close" => api::deliberation::close_topic, R(DELIB_CHAIRS), Api,
        "Close a topic (important questions: only by a passed residents' meeting resolution)", body Json("TopicClose"),
        reply Schema("Topic");
    GET "/api/v1/deliberation/meetings" => api::deliberation::meetings, R(DELIB_READERS), Api, "Meetings in scope",
        reply Object(&["meetings: MeetingState[]", "cut: string[]"]);
    POST "/api/v1/deliberation/meetings" => api::deliberation::create_meeting, R(DELIB_CHAIRS), Api,
        "Convene a council or residents' meeting", body Json("NewMeeting"), reply Schema("MeetingState");
    GET "/api/v1/deliberation/meetings/{id}" => api::deliberation::meeting, R(DELIB_READERS), Api,
        "A meeting with agenda and resolutions",
        reply Object(&["meeting: MeetingState", "agenda: Topic[]", "resolutions: Resolution[]"]);
    POST "/api/v1/deliberation/meetings/{id}/attendance" => api::deliberation::attendance, R(DELIB_CHAIRS), Api,
        "Record attendance", body Json("Attendance"), reply Schema("MeetingState");
    POST "/api/v1/deliberation/meetings/{id}/minutes" => api::deliberation::minutes, R(DELIB_CHAIRS), Api,
        "Record minutes", body Json("Minutes"), reply Schema("MeetingState");
    POST "/api/v1/deliberation/meetings/{id}/resolutions" => api::deliberation::resolve, R(DELIB_CHAIRS), Api,
        "Record a vote (quorum and majority per 居组法 Art 9)", body Json("NewResolution"), reply Schema("Resolution");
    GET "/api/v1/deliberation/petitions" => api::deliberation::petitions, R(DELIB_READERS), Api,
        "Petitions, with the community's totals", reply Object(&["petitions: Petition[]", "totals", "cut: string[]"]);
    POST "/api/v1/deliberation/petitions" => api::deliberation::create_petition, R(DELIB_CLERKS), Api,
        "Record a petition; at a threshold of Art 10 a convene follow-up is created", body Json("NewPetition"),
        reply Object(&["petition: Petition", "followup: Followup|null"]);
    GET "/api/v1/deliberation/followups" => api::deliberation::followups, R(DELIB_READERS), Api, "Follow-up actions",
        reply Object(&["followups: Followup[]", "cut: string[]"]);
    POST "/api/v1/deliberation/followups" => api::deliberation::create_followup, R(DELIB_CHAIRS), Api,
        "Add a follow-up action", body Json("NewFollowup"), reply Schema("Followup");
    POST "/api/v1/deliberation/followups/{id}/done" => api::deliberation::followup_done, R(DELIB_CHAIRS), Api,
        "Mark a follow-up done", body Json("FollowupDone"), reply Schema("Followup");
    GET "/api/v1/communities/{code}/record" => api::deliberation::record, P, Api,
        "A community's public record of meetings and resolutions", reply Schema("PublicRecord");
}
