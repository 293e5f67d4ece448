//! Residents' committee elections after the roll is published: request bodies of the roll's
//! objections and notices, nomination, later rounds and the filing (rules §2.4–§2.20).

use super::*;

pub(super) fn add(m: &mut Map<String, Value>) {
    // The roll after publication (rules §2.4, §2.5).
    m.insert(
        "ElectionApplication".into(),
        input(
            &[
                ("name", d(string(), "The resident as in the registry (living here without 户籍)")),
                ("applied_on", d(string(), "YYYY-MM-DD, default today")),
                ("approved", d(json!({ "type": "boolean" }), "The election committee's decision")),
                ("decided_on", d(string(), "YYYY-MM-DD, default today")),
            ],
            &["name"],
        ),
    );
    m.insert(
        "ElectionObjection".into(),
        input(
            &[
                ("filed_on", d(string(), "YYYY-MM-DD, default today; inside the window of rule 2.4")),
                ("objector", string()),
                ("subject", d(string(), "The person concerned")),
                ("claim", d(string(), "omitted | wrongly_listed")),
                ("grounds", string()),
            ],
            &["objector", "subject", "claim", "grounds"],
        ),
    );
    m.insert(
        "ElectionObjectionDecision".into(),
        input(
            &[
                ("decided_on", d(string(), "YYYY-MM-DD, default today")),
                ("upheld", d(json!({ "type": "boolean" }), "Upheld: strike off, or add when eligible")),
                ("decision", string()),
            ],
            &["decision"],
        ),
    );
    m.insert(
        "AbsenceNotice".into(),
        input(
            &[
                ("name", d(string(), "The voter as on the roll")),
                (
                    "notified_on",
                    d(string(), "YYYY-MM-DD, default today; 2 days before election day to count (rule 2.5)"),
                ),
            ],
            &["name"],
        ),
    );
    // Nomination (rules §2.6, §2.7, §2.10).
    m.insert(
        "ElectionCommittee".into(),
        input(&[("names", d(arr(string()), "Members (or text, one a line)"))], &["names"]),
    );
    m.insert(
        "ElectionNomination".into(),
        input(
            &[
                ("post", d(string(), "主任 | 副主任 | 委员")),
                ("candidate", string()),
                ("by", d(string(), "voters (jointly signed, rule 2.6) | group (a residents' group)")),
                ("signers", d(arr(string()), "The signing voters' names as on the roll")),
                ("group", d(string(), "The nominating residents' group")),
            ],
            &["post", "candidate"],
        ),
    );
    m.insert(
        "OpenNomination".into(),
        input(
            &[
                ("published_on", d(string(), "YYYY-MM-DD, default today")),
                ("took_part", d(int(), "Voters who took part: more than half are needed (rule 2.7)")),
                (
                    "director",
                    d(
                        json!({ "type": "object", "additionalProperties": { "type": "integer" } }),
                        "主任: votes per name",
                    ),
                ),
                (
                    "deputy",
                    d(
                        json!({ "type": "object", "additionalProperties": { "type": "integer" } }),
                        "副主任: votes per name",
                    ),
                ),
                (
                    "member",
                    d(
                        json!({ "type": "object", "additionalProperties": { "type": "integer" } }),
                        "委员: votes per name",
                    ),
                ),
            ],
            &["took_part"],
        ),
    );
    // Polling (rules §2.11–§2.13).
    m.insert(
        "ElectionProxy".into(),
        input(
            &[
                ("principal", d(string(), "The voter who gives the proxy, as on the roll")),
                ("proxy", d(string(), "The voter who votes for them, as on the roll")),
                ("written_on", d(string(), "YYYY-MM-DD: the written authorisation (rule 2.11); empty: none")),
                ("approved_on", d(string(), "YYYY-MM-DD, default today: the election committee's approval")),
                ("close_relatives", d(boolean(), "The two are close relatives")),
            ],
            &["principal", "proxy"],
        ),
    );
    m.insert(
        "ElectionStation".into(),
        input(
            &[
                ("name", string()),
                ("kind", d(string(), "station | mobile")),
                ("staff", d(arr(string()), "At least 3 staff (rule 2.12), or text, one a line")),
            ],
            &["name", "staff"],
        ),
    );
    m.insert(
        "ElectionMobileVoter".into(),
        input(
            &[
                ("box", d(string(), "The mobile box's name")),
                ("voter", d(string(), "The voter, as on the roll")),
                ("reason", d(string(), "ill | elderly | disabled (rule 2.12)")),
            ],
            &["box", "voter", "reason"],
        ),
    );
    m.insert(
        "ElectionTeller".into(),
        input(
            &[
                ("name", string()),
                ("duty", d(string(), "scrutineer (监票人) | counter (计票人) | caller (唱票人)")),
                (
                    "relatives",
                    d(
                        arr(string()),
                        "The teller's declared close relatives, checked against the candidates (rule 2.13)",
                    ),
                ),
            ],
            &["name", "duty"],
        ),
    );
    // Later rounds and the filing of an election's result (rules §2.17, §2.18, §2.20).
    m.insert(
        "NewRound".into(),
        input(
            &[(
                "polling_day",
                d(string(), "YYYY-MM-DD, default today; the round is the run-off or 另行选举 the procedure calls for"),
            )],
            &[],
        ),
    );
    m.insert(
        "ElectionAnnounce".into(),
        input(
            &[
                ("announced_on", d(string(), "YYYY-MM-DD, default today")),
                ("sealed_on", d(string(), "YYYY-MM-DD, default today")),
                ("seal_note", d(string(), "Where and how the ballots were sealed (rule 2.20)")),
            ],
            &["seal_note"],
        ),
    );
    m.insert("ElectionFiling".into(), input(&[("filed_on", d(string(), "YYYY-MM-DD, default today"))], &[]));
    m.insert(
        "ElectionFilingReceipt".into(),
        input(
            &[
                ("received_on", d(string(), "YYYY-MM-DD, default today")),
                ("reference", d(string(), "The district's reference (备案号)")),
            ],
            &["reference"],
        ),
    );
    m.insert(
        "NewCall".into(),
        input(
            &[
                ("title", said("The call's title")),
                ("description", string()),
                ("budget", yuan_text("The budget")),
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
                ("title", said("The project's title")),
                ("description", string()),
                ("category", string()),
                ("location", string()),
                ("cost", yuan_text("The cost")),
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
                ("decision", one_of(&["approve", "reject"], "The decision")),
                ("score", string()),
                ("cost", d(string(), "Adjusted cost in yuan; needs a note.")),
                ("note", string()),
            ],
            &["decision"],
        ),
    );
    m.insert("NewMilestone".into(), input(&[("title", string()), ("due_on", string())], &["title", "due_on"]));
    m.insert("MilestoneNote".into(), input(&[("note", string())], &[]));
    m.insert(
        "Evaluation".into(),
        input(
            &[("rating", json!({ "type": "integer", "minimum": 1, "maximum": 5 })), ("comment", string())],
            &["rating"],
        ),
    );
    m.insert(
        "NewTopic".into(),
        input(
            &[
                ("title", said("The topic's title")),
                ("description", string()),
                ("raised_by_kind", one_of(&["resident", "unit", "committee"], "Who raised it")),
                ("raised_by_name", d(string(), "Who raised it: the unit's name, the committee, or the resident.")),
                ("important", d(loose(), "Tagged \"涉及全体居民利益的重要问题\".")),
            ],
            &["title"],
        ),
    );
    m.insert("NewComment".into(), input(&[("body", said("What is said"))], &["body"]));
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
    m.insert(
        "NewMeeting".into(),
        input(
            &[
                ("kind", one_of(&["council", "assembly"], "council (议事会) | assembly (居民会议)")),
                ("title", said("The meeting's title")),
                ("held_on", date("1990-01-01 to a year ahead")),
                (
                    "base_kind",
                    one_of(
                        &["all_adults", "households", "group_representatives"],
                        "For a 居民会议: who makes up the base.",
                    ),
                ),
                (
                    "base_count",
                    d(
                        loose(),
                        "How many make up the base: for a council, and for a 居民会议 of group representatives only; all adults and households are counted from the registry (rule 1.6).",
                    ),
                ),
                ("topics", d(arr(int()), "The agenda: ids of open topics of the community.")),
            ],
            &["kind", "title", "held_on"],
        ),
    );
    m.insert(
        "Attendance".into(),
        input(
            &[("present", loose()), ("attendees", d(string(), "Names of those present, one a line (optional)."))],
            &[],
        ),
    );
    m.insert("Minutes".into(), input(&[("minutes", said("The minutes"))], &["minutes"]));
    m.insert(
        "NewResolution".into(),
        input(
            &[
                ("motion", said("The motion")),
                ("topic_id", d(loose(), "The agenda topic the resolution decides (optional).")),
                ("yes", whole(0, 1_000_000, "Votes for")),
                ("no", whole(0, 1_000_000, "Votes against")),
                ("abstain", whole(0, 1_000_000, "Abstentions")),
            ],
            &["motion"],
        ),
    );
    m.insert(
        "NewPetition".into(),
        input(
            &[
                ("subject", said("What the petition asks")),
                ("adults", whole(0, 1_000_000, "Signers aged 18+.")),
                ("households", whole(0, 1_000_000, "Households that signed.")),
                ("groups", whole(0, 10_000, "Residents' groups that signed.")),
            ],
            &["subject"],
        ),
    );
    m.insert(
        "NewFollowup".into(),
        input(
            &[
                ("title", said("The action")),
                ("owner", said("Who is responsible")),
                ("due_on", date("The day it is due")),
                ("resolution_id", d(loose(), "The resolution it carries out (optional).")),
            ],
            &["title", "owner"],
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
                (
                    "id_number",
                    d(
                        string(),
                        "At the counter: the applicant's citizen ID number, required for an item whose materials include an identity card (rule I1, GB 11643); the case keeps it masked",
                    ),
                ),
            ],
            &[],
        ),
    );
    m.insert("CaseLink".into(), input(&[("original", d(int(), "The earlier case's number"))], &["original"]));
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
        input(&[("area", said("The building or area to look after.")), ("motivation", string())], &["area"]),
    );
    m.insert(
        "StewardDecision".into(),
        input(&[("decision", one_of(&["approve", "reject"], "The decision")), ("note", string())], &["decision"]),
    );
    m.insert(
        "NewIssue".into(),
        input(
            &[
                ("title", said("The issue's title")),
                ("description", string()),
                ("building", d(string(), "The building concerned; defaults to the steward's area.")),
                ("steward_id", d(loose(), "Which of the user's approved stewardships (when they have several).")),
            ],
            &["title"],
        ),
    );
    m.insert(
        "IssueStatus".into(),
        input(
            &[
                ("status", one_of(&["forwarded", "closed"], "The new status")),
                ("note", string()),
                ("item", said("Forwarding: the service item code of the case the issue becomes (required then)")),
            ],
            &["status"],
        ),
    );
    m.insert(
        "NewAllocation".into(),
        input(
            &[
                ("community", string()),
                (
                    "fund",
                    d(string(), "`operating` (default), `service_purchase`, `project:<line>`, `assistance:<task>`."),
                ),
                ("amount", yuan_text("The amount")),
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
                ("payee", said("Who is paid")),
                ("amount", yuan_text("The amount")),
                ("purpose", said("What for")),
                (
                    "fund",
                    d(string(), "`operating` (default), `service_purchase`, `project:<line>`, `assistance:<task>`."),
                ),
                ("key", string()),
            ],
            &["payee", "amount", "purpose"],
        ),
    );
    m.insert("ClaimRejection".into(), input(&[("reason", said("Why"))], &["reason"]));
    m.insert(
        "NewTransfer".into(),
        input(
            &[
                ("from", string()),
                ("to", string()),
                ("amount", yuan_text("The amount")),
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
    m.insert(
        "PeriodReopening".into(),
        input(
            &[
                ("district", string()),
                ("community", d(string(), "A community of the district; absent: the district's own books.")),
                ("period", string()),
                ("reason", d(string(), "Why the period is reopened (4–500 characters); audited.")),
            ],
            &["district", "period", "reason"],
        ),
    );
    m.insert("Reversal".into(), input(&[("memo", string())], &[]));
    m.insert(
        "SecondApproval".into(),
        input(
            &[("second_approval", d(string(), "Yuan: a claim above it needs district finance too"))],
            &["second_approval"],
        ),
    );
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
    m.insert("NewApplication".into(), input(&[("department", string()), ("kind", one_of(&["organization", "plaque", "ledger_report", "survey", "inspection", "assessment", "certificate", "work_task"], "The item type")), ("title", said("The item's title")), ("description", string()), ("legal_basis", string()), ("claimed_entry", d(string(), "The list entry code the department claims (e.g. `AS-001`); empty for none.")), ("targets", said("`all`, or community codes separated by commas.")), ("start", d(string(), "YYYY-MM-DD; empty: today.")), ("duration_days", json!({ "type": "string", "pattern": "^[1-9][0-9]{0,3}$", "description": "A whole number of days, 1 to 3650" })), ("workload", string()), ("units", d(string(), "Units of work per community (for per-unit funding).")), ("funding_yuan", d(string(), "Yuan; empty: no funding offered.")), ("funding_basis", d(string(), "per_community_per_year (default) | per_unit")), ("funding_unit", string()), ("paying_department", string()), ("community_as_principal", flag()), ("duty_holder", d(string(), "residents_committee | government (default)")), ("assessment_origin", d(string(), "national | provincial | municipal | district (assessments only)")), ("assessment_days", string()), ("assessment_alone", flag()), ("assessment_veto", flag()), ("assessment_content", d(string(), "Content items, separated by commas.")), ("emergency", d(string(), "An emergency category (empty: none).")), ("emergency_expires", string())], &["kind", "title", "targets", "duration_days"]));
    m.insert(
        "AccessDecision".into(),
        input(
            &[
                ("decision", one_of(&["approve", "reject"], "The decision")),
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
                ("community", said("The community's code")),
                ("department", said("The department that pushed the work")),
                ("title", said("What was pushed")),
                ("kind", d(string(), "An item type (default work_task).")),
            ],
            &["community", "department", "title"],
        ),
    );
    m.insert("TaskRefusal".into(), input(&[("note", string())], &[]));
    m.insert(
        "NewProvider".into(),
        input(
            &[
                ("name", said_max(100, "The provider's name")),
                ("kind", one_of(&["public_welfare", "market"], "What kind of provider")),
                ("provider_type", string()),
                ("credit_code", string()),
                ("phone", string()),
                ("district_code", string()),
                (
                    "price_list",
                    d(any(), "An object `{\"HR-004\": 12000}`, or text `HR-004=12000, HR-005=3500` from a form."),
                ),
            ],
            &["name", "kind"],
        ),
    );
    m.insert("NewDispatch".into(), input(&[("provider_id", loose()), ("note", string())], &[]));
    m.insert("DispatchDecline".into(), input(&[("reason", string())], &[]));
    m.insert(
        "RouteTriage".into(),
        input(&[("community", d(string(), "The community's code, within the operator's reach"))], &["community"]),
    );
    m.insert(
        "Completion".into(),
        input(
            &[
                ("summary", string()),
                ("price_fen", d(loose(), "Market providers only: the price charged, in fen (default: the offer's).")),
                ("price_yuan", d(loose(), "The same in yuan with at most two decimals; wins over price_fen.")),
            ],
            &[],
        ),
    );
}
