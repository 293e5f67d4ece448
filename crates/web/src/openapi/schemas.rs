//! The JSON schemas the OpenAPI document names: request bodies (read off
//! the structs the handlers deserialise, required = no serde default) and
//! answers (the store's records as they serialise: every field present,
//! `null` when empty). Written by hand; keep them in step with the structs.

use serde_json::{Map, Value, json};

fn t(ty: &str) -> Value {
    json!({ "type": ty })
}

fn string() -> Value {
    t("string")
}

fn int() -> Value {
    t("integer")
}

fn num() -> Value {
    t("number")
}

fn boolean() -> Value {
    t("boolean")
}

/// Any JSON value.
fn any() -> Value {
    json!({})
}

/// A nested record this document does not spell out.
fn other(name: &str) -> Value {
    json!({ "type": "object", "title": name })
}

/// A number given as text or as a JSON number (the forms send text).
fn loose() -> Value {
    json!({ "type": ["string", "integer", "number", "boolean"] })
}

/// A checkbox: a JSON boolean, or `true`/`on`/`1` as text.
fn flag() -> Value {
    json!({ "type": ["boolean", "string"] })
}

/// A file part of a multipart body.
fn upload() -> Value {
    json!({ "type": "string", "contentMediaType": "application/octet-stream" })
}

fn arr(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

fn null(v: Value) -> Value {
    match v.get("type").and_then(Value::as_str) {
        Some(ty) => {
            let mut v = v.clone();
            v["type"] = json!([ty, "null"]);
            v
        }
        None => json!({ "anyOf": [v, { "type": "null" }] }),
    }
}

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn d(mut v: Value, description: &str) -> Value {
    v["description"] = json!(description);
    v
}

fn props(fields: &[(&str, Value)]) -> Map<String, Value> {
    fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// A request body: only `required` must be present; unknown members are ignored.
fn input(fields: &[(&str, Value)], required: &[&str]) -> Value {
    json!({ "type": "object", "required": required, "properties": props(fields) })
}

/// An answer: every field is always present.
fn record(fields: &[(&str, Value)]) -> Value {
    let required: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    json!({ "type": "object", "required": required, "properties": props(fields) })
}

/// A record serialised with another one's fields inlined (`#[serde(flatten)]`).
fn flattened(base: Value, extra: Value) -> Value {
    json!({ "allOf": [base, extra] })
}

pub fn components() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "Problem".into(),
        json!({"type": "object", "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"}, "code": {"type": "string"}, "field": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "zh": {"type": "string"}, "en": {"type": "string"}}}}}}),
    );
    m.insert(
        "Open311Errors".into(),
        json!({"type": "array", "items": {"type": "object", "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}}),
    );
    m.insert(
        "Open311Request".into(),
        json!({"type": "object", "required": ["api_key", "service_code"], "properties": {
            "api_key": {"type": "string"}, "jurisdiction_id": {"type": "string"}, "service_code": {"type": "string"},
            "lat": {"type": "number"}, "long": {"type": "number"}, "address_string": {"type": "string"}, "address_id": {"type": "string"},
            "email": {"type": "string"}, "first_name": {"type": "string"}, "last_name": {"type": "string"}, "phone": {"type": "string"},
            "description": {"type": "string"}, "media_url": {"type": "string"}},
            "additionalProperties": {"type": "string", "description": "attribute[code]=value answers from the service definition"}}),
    );
    // Multipart uploads.
    m.insert(
        "ResidentsUpload".into(),
        input(
            &[("file", d(upload(), "CSV or XLSX in the export's columns, imported into the user's own community"))],
            &["file"],
        ),
    );
    m.insert("CaseFile".into(), input(&[("file", d(upload(), "JPEG, PNG or PDF, at most 5 MB"))], &["file"]));
    // Request bodies.
    m.insert("Login".into(), input(&[("username", string()), ("password", string())], &["username", "password"]));
    m.insert(
        "ResidentInput".into(),
        input(
            &[
                ("name", string()),
                ("id_number", d(string(), "GB 11643-1999, 18 characters")),
                ("household", string()),
                ("building", string()),
                ("address", string()),
                ("phone", string()),
                ("hukou", d(string(), "\"是\"/\"否\", \"yes\"/\"no\", \"1\"/\"0\", \"true\"/\"false\".")),
                ("moved_in", string()),
                ("group", d(string(), "The residents' group by name (居民小组).")),
            ],
            &["name", "id_number"],
        ),
    );
    m.insert(
        "NewUnit".into(),
        input(
            &[
                ("community_code", string()),
                ("name", string()),
                ("kind", string()),
                ("uscc", d(string(), "GB 32100-2015")),
                ("party_org", string()),
                ("contact_name", string()),
                ("contact_phone", string()),
            ],
            &["community_code", "name", "kind", "uscc"],
        ),
    );
    m.insert(
        "CommitteeMember".into(),
        input(&[("name", string()), ("post", json!({ "enum": ["主任", "副主任", "委员"] }))], &["name", "post"]),
    );
    m.insert(
        "CommitteeRoster".into(),
        input(
            &[("elected", d(string(), "YYYY-MM-DD")), ("members", d(arr(r("CommitteeMember")), "5 to 9 members"))],
            &["elected", "members"],
        ),
    );
    m.insert(
        "NewCall".into(),
        input(
            &[
                ("title", string()),
                ("description", string()),
                ("budget", d(string(), "Yuan.")),
                ("ballot_kind", d(string(), "approval | cumulative")),
                ("min_choices", string()),
                ("max_choices", string()),
                ("max_cost", d(string(), "Yuan: a knapsack ballot's cost limit.")),
                ("points", string()),
                ("rule", string()),
                ("tie_break", d(string(), "`id` (default) or `cost`.")),
                ("proposals_until", d(string(), "YYYY-MM-DD: the last day proposals are taken.")),
                ("voting_until", d(string(), "YYYY-MM-DD: the last day of voting.")),
            ],
            &["title", "budget"],
        ),
    );
    m.insert(
        "NewProject".into(),
        input(
            &[
                ("title", string()),
                ("description", string()),
                ("category", string()),
                ("location", string()),
                ("cost", d(string(), "Yuan.")),
            ],
            &["title", "cost"],
        ),
    );
    m.insert("BallotChoice".into(), input(&[("project_id", int()), ("points", int())], &["project_id"]));
    m.insert(
        "Ballot".into(),
        input(
            &[
                ("choices", d(arr(r("BallotChoice")), "(project id, points); points are 1 on approval ballots.")),
                ("id_number", d(string(), "Paper ballots: the voter's ID number (GB 11643-1999)")),
            ],
            &["choices"],
        ),
    );
    m.insert(
        "ProjectReview".into(),
        input(
            &[
                ("decision", d(string(), "approve | reject")),
                ("score", string()),
                ("cost", d(string(), "Adjusted cost in yuan; needs a note.")),
                ("note", string()),
            ],
            &["decision"],
        ),
    );
    m.insert("NewMilestone".into(), input(&[("title", string()), ("due_on", string())], &["title", "due_on"]));
    m.insert("MilestoneNote".into(), input(&[("note", string())], &[]));
    m.insert("Evaluation".into(), input(&[("rating", int()), ("comment", string())], &["rating"]));
    m.insert(
        "NewTopic".into(),
        input(
            &[
                ("title", string()),
                ("description", string()),
                ("raised_by_kind", d(string(), "resident | unit | committee")),
                ("raised_by_name", d(string(), "Who raised it: the unit's name, the committee, or the resident.")),
                ("important", d(loose(), "Tagged \"涉及全体居民利益的重要问题\".")),
            ],
            &[],
        ),
    );
    m.insert("NewComment".into(), input(&[("body", string())], &[]));
    m.insert(
        "TopicClose".into(),
        input(
            &[
                (
                    "resolution_id",
                    d(loose(), "The resolution that decided the topic (required for an important question)."),
                ),
                ("note", string()),
            ],
            &[],
        ),
    );
    m.insert("NewMeeting".into(), input(&[("kind", d(string(), "council (议事会) | assembly (居民会议)")), ("title", string()), ("held_on", d(string(), "YYYY-MM-DD")), ("base_kind", d(string(), "For a 居民会议: all_adults | households | group_representatives.")), ("base_count", d(loose(), "How many make up the base. Empty for a 居民会议 of all adults or of households: counted from the registry.")), ("topics", d(arr(int()), "The agenda: ids of open topics of the community."))], &[]));
    m.insert(
        "Attendance".into(),
        input(
            &[("present", loose()), ("attendees", d(string(), "Names of those present, one a line (optional)."))],
            &[],
        ),
    );
    m.insert("Minutes".into(), input(&[("minutes", string())], &[]));
    m.insert(
        "NewResolution".into(),
        input(
            &[
                ("motion", string()),
                ("topic_id", d(loose(), "The agenda topic the resolution decides (optional).")),
                ("yes", loose()),
                ("no", loose()),
                ("abstain", loose()),
            ],
            &[],
        ),
    );
    m.insert(
        "NewPetition".into(),
        input(
            &[
                ("subject", string()),
                ("adults", d(loose(), "Signers aged 18+.")),
                ("households", d(loose(), "Households that signed.")),
                ("groups", d(loose(), "Residents' groups that signed.")),
            ],
            &[],
        ),
    );
    m.insert(
        "NewFollowup".into(),
        input(
            &[
                ("title", string()),
                ("owner", string()),
                ("due_on", d(string(), "YYYY-MM-DD")),
                ("resolution_id", d(loose(), "The resolution it carries out (optional).")),
            ],
            &[],
        ),
    );
    m.insert(
        "FollowupDone".into(),
        input(
            &[("meeting_id", d(loose(), "For a \"convene 居民会议\" follow-up: the 居民会议 that was convened."))],
            &[],
        ),
    );
    m.insert(
        "NewCase".into(),
        input(
            &[
                ("item", string()),
                ("channel", d(string(), "counter | hotline | web | open311 (default counter).")),
                ("caller_name", string()),
                ("caller_phone", string()),
                ("description", string()),
                ("address", string()),
                ("building", string()),
                ("lat", num()),
                ("lon", num()),
                ("answers", d(any(), "Answers to the item's questions, by question key")),
                ("resident_id", int()),
            ],
            &[],
        ),
    );
    m.insert("CaseLink".into(), input(&[("original", int())], &[]));
    m.insert("AdoptedItems".into(), input(&[("items", arr(string()))], &[]));
    m.insert(
        "CaseEvent".into(),
        input(
            &[
                ("event", d(string(), "The engine's snake_case event name (start, resolve, send_back…).")),
                ("reason", d(string(), "Reason, summary, missing materials or note, as the event needs.")),
                ("queue", d(string(), "Transfer / manual route: the new lead queue.")),
                ("co_handlers", d(string(), "Transfer / manual route: co-handling queues, comma-separated.")),
                ("overall", loose()),
                ("speed", loose()),
                ("attitude", loose()),
            ],
            &[],
        ),
    );
    m.insert(
        "Volunteer".into(),
        input(&[("area", d(string(), "The building or area to look after.")), ("motivation", string())], &[]),
    );
    m.insert(
        "StewardDecision".into(),
        input(&[("decision", d(string(), "approve | reject")), ("note", string())], &[]),
    );
    m.insert(
        "NewIssue".into(),
        input(
            &[
                ("title", string()),
                ("description", string()),
                ("building", d(string(), "The building concerned; defaults to the steward's area.")),
                ("steward_id", d(loose(), "Which of the user's approved stewardships (when they have several).")),
            ],
            &[],
        ),
    );
    m.insert("IssueStatus".into(), input(&[("status", d(string(), "forwarded | closed")), ("note", string())], &[]));
    m.insert(
        "NewAllocation".into(),
        input(
            &[
                ("community", string()),
                (
                    "fund",
                    d(string(), "`operating` (default), `service_purchase`, `project:<line>`, `assistance:<task>`."),
                ),
                ("amount", d(string(), "Yuan.")),
                ("date", string()),
                ("memo", string()),
                ("reference", string()),
                ("key", d(string(), "Idempotency key: the same key posts once.")),
            ],
            &["community", "amount"],
        ),
    );
    m.insert(
        "NewClaim".into(),
        input(
            &[
                ("payee", string()),
                ("amount", d(string(), "Yuan.")),
                ("purpose", string()),
                (
                    "fund",
                    d(string(), "`operating` (default), `service_purchase`, `project:<line>`, `assistance:<task>`."),
                ),
                ("key", string()),
            ],
            &["payee", "amount", "purpose"],
        ),
    );
    m.insert("ClaimRejection".into(), input(&[("reason", string())], &[]));
    m.insert(
        "NewTransfer".into(),
        input(
            &[
                ("from", string()),
                ("to", string()),
                ("amount", d(string(), "Yuan.")),
                ("memo", string()),
                ("key", string()),
            ],
            &["from", "to", "amount"],
        ),
    );
    m.insert(
        "PeriodClosing".into(),
        input(
            &[
                ("community", d(string(), "A community of the district; absent: the district's own books.")),
                ("period", string()),
            ],
            &["period"],
        ),
    );
    m.insert("Reversal".into(), input(&[("memo", string())], &[]));
    m.insert(
        "ListEntry".into(),
        input(
            &[
                ("code", string()),
                ("title", string()),
                ("legal_basis", string()),
                ("item_type", d(string(), "An item type code (`work_task`) or its Chinese name (工作任务).")),
                ("department", string()),
                ("source", string()),
                ("exit_scope", d(string(), "Exit list: `always` (一律取消) | `as_principal` (不再作为责任主体).")),
                ("standard_yuan", d(string(), "Assistance list: the standard in yuan.")),
                ("funding_basis", d(string(), "`per_community_per_year` (default) | `per_unit`.")),
                ("funding_unit", string()),
                ("paying_department", string()),
                ("origin_level", d(string(), "Assessment-access list: national | provincial (or 国家 / 省).")),
                ("max_times_per_year", string()),
                ("max_duration_days", string()),
                ("content_scope", d(string(), "Content items separated by commas or 、.")),
            ],
            &[],
        ),
    );
    m.insert("Publication".into(), input(&[("effective", d(string(), "YYYY-MM-DD; empty: today."))], &[]));
    m.insert("NewApplication".into(), input(&[("department", string()), ("kind", d(string(), "organization | plaque | ledger_report | survey | inspection | assessment | certificate | work_task")), ("title", string()), ("description", string()), ("legal_basis", string()), ("claimed_entry", d(string(), "The list entry code the department claims (e.g. `AS-001`); empty for none.")), ("targets", d(string(), "`all`, or community codes separated by commas.")), ("start", d(string(), "YYYY-MM-DD; empty: today.")), ("duration_days", string()), ("workload", string()), ("units", d(string(), "Units of work per community (for per-unit funding).")), ("funding_yuan", d(string(), "Yuan; empty: no funding offered.")), ("funding_basis", d(string(), "per_community_per_year (default) | per_unit")), ("funding_unit", string()), ("paying_department", string()), ("community_as_principal", flag()), ("duty_holder", d(string(), "residents_committee | government (default)")), ("assessment_origin", d(string(), "national | provincial | municipal | district (assessments only)")), ("assessment_days", string()), ("assessment_alone", flag()), ("assessment_veto", flag()), ("assessment_content", d(string(), "Content items, separated by commas.")), ("emergency", d(string(), "An emergency category (empty: none).")), ("emergency_expires", string())], &[]));
    m.insert(
        "AccessDecision".into(),
        input(
            &[
                ("decision", d(string(), "approve | reject")),
                ("number", d(string(), "准入审批编号 (approve).")),
                ("expires", d(string(), "YYYY-MM-DD, the last day in force (approve; empty: no expiry).")),
                ("reason", d(string(), "Why (reject: required).")),
            ],
            &[],
        ),
    );
    m.insert(
        "NewPush".into(),
        input(
            &[
                ("community", string()),
                ("department", string()),
                ("title", string()),
                ("kind", d(string(), "An item type (default work_task).")),
            ],
            &[],
        ),
    );
    m.insert("TaskRefusal".into(), input(&[("note", string())], &[]));
    m.insert(
        "NewProvider".into(),
        input(
            &[
                ("name", string()),
                ("kind", string()),
                ("provider_type", string()),
                ("credit_code", string()),
                ("phone", string()),
                ("district_code", string()),
                (
                    "price_list",
                    d(any(), "An object `{\"HR-004\": 12000}`, or text `HR-004=12000, HR-005=3500` from a form."),
                ),
            ],
            &[],
        ),
    );
    m.insert("NewDispatch".into(), input(&[("provider_id", loose()), ("note", string())], &[]));
    m.insert("DispatchDecline".into(), input(&[("reason", string())], &[]));
    m.insert(
        "Completion".into(),
        input(
            &[
                ("summary", string()),
                ("price_fen", d(loose(), "Market providers only: the price charged, in fen (default: the offer's).")),
            ],
            &[],
        ),
    );
    // Responses: what the store returns, every field present (null when empty).
    m.insert(
        "Resident".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("group_id", null(int())),
            ("name", string()),
            ("id_masked", string()),
            ("birth_date", string()),
            ("sex", string()),
            ("household", string()),
            ("building", string()),
            ("address", string()),
            ("phone", string()),
            ("hukou", int()),
            ("moved_in", null(string())),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "ImportReport".into(),
        record(&[
            ("run_id", int()),
            ("total", int()),
            ("inserted", int()),
            ("unchanged", int()),
            ("rejected", arr(other("Rejected"))),
        ]),
    );
    m.insert(
        "Unit".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("name", string()),
            ("kind", string()),
            ("uscc", string()),
            ("party_org", string()),
            ("contact_name", string()),
            ("contact_phone", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Call".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("title", string()),
            ("description", string()),
            ("budget_fen", int()),
            ("phase", string()),
            ("ballot_kind", string()),
            ("min_choices", int()),
            ("max_choices", null(int())),
            ("max_cost_fen", null(int())),
            ("points", null(int())),
            ("rule", string()),
            ("created_at", string()),
            ("proposals_until", null(string())),
            ("voting_until", null(string())),
            (
                "tie_break",
                d(string(), "`id` (pabutools: smaller project id as text) or `cost` (lower cost, then more votes)."),
            ),
        ]),
    );
    m.insert(
        "Project".into(),
        record(&[
            ("id", int()),
            ("call_id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("title", string()),
            ("description", string()),
            ("category", string()),
            ("location", string()),
            ("cost_fen", int()),
            ("proposed_cost_fen", int()),
            ("proposer", string()),
            ("status", string()),
            ("review_score", null(int())),
            ("review_note", string()),
            ("selected", int()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Execution".into(),
        record(&[
            ("project", r("Project")),
            ("budget_fen", int()),
            ("spent_fen", int()),
            ("milestones", arr(r("Milestone"))),
            ("spending", arr(other("Spending"))),
            ("evaluations", int()),
            ("rating_x100", d(null(int()), "Average rating × 100 (exact integer arithmetic), if anyone rated.")),
        ]),
    );
    m.insert(
        "Milestone".into(),
        record(&[
            ("id", int()),
            ("project_id", int()),
            ("title", string()),
            ("due_on", string()),
            ("done_on", null(string())),
            ("note", string()),
        ]),
    );
    m.insert(
        "Topic".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("title", string()),
            ("description", string()),
            ("raised_by_kind", d(string(), "resident | unit | committee")),
            ("raised_by_name", string()),
            ("raised_by", d(string(), "The account that recorded the topic.")),
            ("important", d(int(), "1 when tagged \"涉及全体居民利益的重要问题\" (rules §1.9).")),
            ("status", d(string(), "open | closed")),
            ("closing_resolution_id", null(int())),
            ("closing_note", string()),
            ("created_at", string()),
            ("closed_at", null(string())),
        ]),
    );
    m.insert(
        "Comment".into(),
        record(&[
            ("id", int()),
            ("topic_id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("author", string()),
            ("author_name", string()),
            ("body", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Resolution".into(),
        record(&[
            ("id", int()),
            ("meeting_id", int()),
            ("topic_id", null(int())),
            ("community_code", string()),
            ("district_code", string()),
            ("motion", string()),
            ("present", int()),
            ("votes_yes", int()),
            ("votes_no", int()),
            ("votes_abstain", int()),
            ("passed", int()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Followup".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("kind", d(string(), "convene_assembly (mandatory after a petition, rules §1.8) | action")),
            ("mandatory", int()),
            ("title", string()),
            ("owner", string()),
            ("due_on", string()),
            ("source", d(string(), "petition | resolution | '' — and the row it came from.")),
            ("source_id", null(int())),
            ("done", int()),
            ("done_at", null(string())),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Petition".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("subject", string()),
            ("adults_signed", int()),
            ("households_signed", int()),
            ("groups_signed", int()),
            ("adults_total", int()),
            ("households_total", int()),
            ("groups_total", int()),
            ("forces_meeting", int()),
            ("received_by", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Meeting".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("kind", d(string(), "council (议事会) | assembly (居民会议)")),
            ("title", string()),
            ("held_on", string()),
            ("base_kind", d(null(string()), "For a 居民会议: all_adults | households | group_representatives.")),
            ("base_count", int()),
            ("present", d(null(int()), "None until attendance is recorded.")),
            ("attendees", d(string(), "Names of those present, one a line (optional; never shown publicly).")),
            ("minutes", string()),
            ("created_by", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "PublicRecord".into(),
        record(&[
            ("community_code", string()),
            ("community_name", string()),
            ("meetings", arr(other("PublicMeeting"))),
            ("topics", arr(other("PublicTopic"))),
        ]),
    );
    m.insert(
        "Case".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("item_code", string()),
            ("channel", string()),
            ("resident_id", null(int())),
            ("caller_name", string()),
            ("caller_phone", string()),
            ("description", string()),
            ("answers", string()),
            ("address", string()),
            ("building", string()),
            ("lat", null(num())),
            ("lon", null(num())),
            ("lead_queue", null(string())),
            ("status", string()),
            ("duplicates", d(string(), "JSON array of the ids of probable duplicates flagged at intake.")),
            ("created_at", string()),
            ("updated_at", string()),
            ("category", string()),
            (
                "deadline_at",
                d(null(string()), "The legal deadline at the last event (None while the clock is stopped)."),
            ),
            ("warn_at", null(string())),
            ("resolved_at", null(string())),
            ("on_time", null(int())),
            ("rating", null(int())),
            ("co_handlers", d(string(), "JSON array of co-handling queues.")),
            ("linked_to", null(int())),
        ]),
    );
    m.insert(
        "CaseView".into(),
        flattened(
            r("Case"),
            record(&[
                ("item_name", string()),
                ("limit_days", int()),
                ("deadline", null(string())),
                ("sla_state", d(null(string()), "on_time | warning | overdue | stopped | met | missed")),
                ("overdue", boolean()),
            ]),
        ),
    );
    m.insert(
        "Attachment".into(),
        record(&[
            ("id", int()),
            ("case_id", int()),
            ("name", string()),
            ("mime", string()),
            ("size", int()),
            ("sha256", string()),
            ("added_by", string()),
            ("added_at", string()),
        ]),
    );
    m.insert(
        "CaseStats".into(),
        record(&[
            ("total", int()),
            ("open", int()),
            ("overdue_now", int()),
            ("by_status", other("Tally")),
            ("by_channel", other("Tally")),
            ("by_category", other("Tally")),
            ("resolved", int()),
            ("on_time", int()),
            ("on_time_rate", d(null(num()), "Share of resolutions before their deadline, 0–1.")),
            ("avg_handle_hours", null(num())),
            ("avg_respond_hours", null(num())),
            ("rated", int()),
            ("satisfaction", d(null(num()), "Mean overall rating, 1–5.")),
            ("satisfied_rate", d(null(num()), "Share of ratings that were not dissatisfied (overall ≥ 3), 0–1.")),
            ("reopened", int()),
            ("hotline_solved", d(int(), "Hotline cases resolved (the 2881890 counter).")),
        ]),
    );
    m.insert(
        "Steward".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("user_id", int()),
            ("resident_id", int()),
            ("name", string()),
            ("area", d(string(), "A building (\"1栋\") or an area of the community.")),
            ("motivation", string()),
            ("status", d(string(), "pending | approved | rejected")),
            ("decided_by", null(string())),
            ("decided_at", null(string())),
            ("note", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Issue".into(),
        record(&[
            ("id", int()),
            ("steward_id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("area", string()),
            ("building", string()),
            ("title", string()),
            ("description", string()),
            ("status", d(string(), "open | forwarded | closed")),
            ("status_note", string()),
            ("created_at", string()),
            ("updated_at", string()),
        ]),
    );
    m.insert(
        "Posted".into(),
        record(&[
            ("tx_id", int()),
            ("created", d(boolean(), "False when the key was used before and nothing new was posted.")),
        ]),
    );
    m.insert(
        "Claim".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("payee", string()),
            ("amount_fen", int()),
            ("purpose", string()),
            ("fund", string()),
            ("fund_ref", string()),
            ("budget_line_id", null(int())),
            ("status", d(string(), "pending → (head_approved →) paid, or rejected.")),
            ("needs_district", int()),
            ("filed_by", int()),
            ("filed_by_name", string()),
            ("head_by", null(int())),
            ("head_at", null(string())),
            ("district_by", null(int())),
            ("district_at", null(string())),
            ("rejected_by", null(int())),
            ("rejected_at", null(string())),
            ("reject_reason", string()),
            ("tx_id", null(int())),
            ("paid_on", null(string())),
            ("idem_key", null(string())),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "VoucherInfo".into(),
        record(&[
            ("id", int()),
            ("claim_id", int()),
            ("filename", string()),
            ("content_type", string()),
            ("size_bytes", int()),
            ("sha256", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Disclosure".into(),
        record(&[
            ("community_code", string()),
            ("community_name", string()),
            ("district_code", string()),
            ("year", int()),
            ("quarter", int()),
            ("from", string()),
            ("to", string()),
            ("rows", arr(other("FundRow"))),
            ("income_fen", int()),
            ("expense_fen", int()),
            ("opening_fen", int()),
            ("closing_fen", int()),
            ("large_from_fen", d(int(), "Payments at or above this amount are listed one by one.")),
            ("large", arr(other("LargePayment"))),
        ]),
    );
    m.insert(
        "AppRow".into(),
        record(&[
            ("id", int()),
            ("department", string()),
            ("level", string()),
            ("district_code", null(string())),
            ("item_type", string()),
            ("title", string()),
            ("status", d(string(), "rejected | pending | approved | refused_by_city")),
            ("verdict", string()),
            ("filed_by", string()),
            ("created_at", string()),
            ("decided_by", null(string())),
            ("decided_at", null(string())),
            ("decision_reason", string()),
        ]),
    );
    m.insert(
        "ApprovalRow".into(),
        record(&[
            ("id", int()),
            ("application_id", int()),
            ("number", string()),
            ("approved_on", string()),
            ("expires_on", null(string())),
            ("approved_by", string()),
        ]),
    );
    m.insert("Filed".into(), record(&[("application", r("AppRow")), ("report", other("CheckReport"))]));
    m.insert(
        "Decided".into(),
        record(&[
            ("application", r("AppRow")),
            ("approval", null(r("ApprovalRow"))),
            ("tasks", arr(r("TaskRow"))),
            ("funding", null(other("FundingPlan"))),
            (
                "allocations",
                d(arr(t("array")), "Allocations posted to the communities' assistance funds (ledger tx ids)."),
            ),
            (
                "allocation_errors",
                d(arr(t("array")), "Allocations the ledger refused (the plan stays stored for a retry)."),
            ),
        ]),
    );
    m.insert(
        "TaskRow".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("application_id", null(int())),
            ("approval_number", null(string())),
            ("approved_on", null(string())),
            ("expires_on", null(string())),
            ("emergency", null(string())),
            ("department", string()),
            ("item_type", string()),
            ("title", string()),
            ("status", d(string(), "active | refused")),
            ("refusal_reason", null(string())),
            ("created_by", string()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Provider".into(),
        record(&[
            ("id", int()),
            ("name", string()),
            ("kind", d(string(), "public_welfare | market")),
            ("provider_type", d(string(), "A service item's `unit_name` (unit kind `provider`), e.g. 家政服务商.")),
            ("credit_code", null(string())),
            ("phone", string()),
            ("district_code", string()),
            ("price_list", d(string(), "JSON object: item code → fen.")),
            ("active", int()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Dispatch".into(),
        record(&[
            ("id", int()),
            ("case_id", int()),
            ("provider_id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("status", d(string(), "offered | accepted | declined | arrived | completed | cancelled")),
            ("offered_at", string()),
            ("accepted_at", null(string())),
            ("declined_at", null(string())),
            ("decline_reason", null(string())),
            ("arrived_at", null(string())),
            ("completed_at", null(string())),
            ("price_fen", int()),
            ("note", string()),
        ]),
    );
    m.insert(
        "Caller".into(),
        record(&[
            ("phone", string()),
            ("residents", arr(r("Resident"))),
            ("cases", d(arr(r("CaseView")), "Cases from this number or of these residents, newest first.")),
        ]),
    );
    m.insert(
        "VersionRow".into(),
        record(&[
            ("id", int()),
            ("kind", string()),
            ("version", int()),
            ("status", string()),
            ("effective_on", null(string())),
            ("note", string()),
            ("illustrative", int()),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "ListImport".into(),
        record(&[
            ("version", r("ListVersion")),
            ("imported", arr(string())),
            ("rejected", arr(other("RejectedEntry"))),
        ]),
    );
    m.insert(
        "Community".into(),
        record(&[
            ("code", string()),
            ("district_code", string()),
            ("former_district_code", null(string())),
            ("name", string()),
            ("formed_on", string()),
            ("illustrative", int()),
            ("center_address", string()),
            ("center_phone", string()),
            ("center_hours", string()),
        ]),
    );
    m.insert(
        "District".into(),
        record(&[
            ("code", string()),
            ("name", string()),
            ("name_en", string()),
            ("valid_from", null(string())),
            ("valid_to", null(string())),
            ("successor", null(string())),
        ]),
    );
    m.insert(
        "Function".into(),
        record(&[
            ("id", int()),
            ("name", string()),
            ("name_en", string()),
            ("direction", string()),
            ("receiver", string()),
            ("effective_on", string()),
            ("source", string()),
        ]),
    );
    m.insert(
        "UserRow".into(),
        record(&[
            ("id", int()),
            ("username", string()),
            ("display_name", string()),
            ("role", string()),
            ("community_code", null(string())),
            ("district_code", null(string())),
            ("created_at", string()),
        ]),
    );
    m.insert(
        "Message".into(),
        record(&[
            ("id", int()),
            ("community_code", string()),
            ("district_code", string()),
            ("case_id", null(int())),
            ("recipient_kind", d(string(), "resident | provider | staff")),
            ("recipient", d(string(), "A phone number, `provider:<id>` or `community:<code>`.")),
            ("channel", d(string(), "sms | app")),
            ("body_zh", string()),
            ("body_en", string()),
            ("created_at", string()),
            ("delivered_at", null(string())),
        ]),
    );
    m.insert(
        "AccountBalance".into(),
        record(&[
            ("code", string()),
            ("name_zh", string()),
            ("name_en", string()),
            ("kind", string()),
            ("fund", string()),
            ("community_code", null(string())),
            ("district_code", string()),
            ("balance_fen", d(int(), "Signed, debit positive.")),
        ]),
    );
    m.insert(
        "League".into(),
        record(&[
            ("queue", string()),
            ("name", string()),
            ("resolved", int()),
            ("open", int()),
            ("on_time_rate", null(num())),
            ("avg_respond_hours", null(num())),
            ("avg_handle_hours", null(num())),
            ("satisfaction", null(num())),
            ("rated", int()),
            ("reopened", int()),
        ]),
    );
    m.insert(
        "Performance".into(),
        record(&[
            ("provider", r("Provider")),
            ("offered", int()),
            ("accepted", d(int(), "Accepted at some point (also those since arrived or completed).")),
            ("declined", int()),
            ("completed", int()),
            ("median_accept_minutes", null(num())),
            ("avg_accept_minutes", null(num())),
            ("avg_completion_hours", null(num())),
            ("satisfaction", d(null(num()), "Average overall rating (1–5) and how many ratings it rests on.")),
            ("ratings", int()),
            ("complaints", int()),
        ]),
    );
    m.insert(
        "DispatchView".into(),
        flattened(
            r("Dispatch"),
            record(&[
                ("provider_name", string()),
                ("provider_kind", string()),
                ("item_code", string()),
                ("item_name", string()),
                ("caller_name", string()),
                ("caller_phone", string()),
                ("building", string()),
                ("address", string()),
                ("description", string()),
                ("case_status", string()),
            ]),
        ),
    );
    m.insert("Item".into(), record(&[("id", int()), ("code", string()), ("name", string()), ("category", string()), ("unit_kind", d(string(), "community | department | provider")), ("unit_name", string()), ("materials", d(string(), "JSON array of strings.")), ("limit_days", d(int(), "Legal time limit in working days.")), ("fee_kind", d(string(), "free | standard")), ("fee_fen", int()), ("channels", d(string(), "JSON array of channel names.")), ("questions", d(string(), "JSON array of questions: `{\"key\",\"label\",\"kind\":\"text|number|date|single|multi\",\"required\",\"options\"}`.")), ("created_at", string())]));
    m.insert("CasePage".into(), record(&[("cases", arr(r("CaseView"))), ("offset", int()), ("more", boolean())]));
    // Answers built in the handlers.
    m.insert(
        "MeetingState".into(),
        flattened(
            r("Meeting"),
            json!({"type": "object", "required": ["validly_held"], "properties": {
                "validly_held": d(null(boolean()), "Whether the meeting was validly held; null until attendance is recorded"),
                "not_held_because": d(string(), "Why it was not validly held (only then)")}}),
        ),
    );
    m.insert("ListVersion".into(), record(&[("row", r("VersionRow")), ("entries", arr(any()))]));
    m
}
