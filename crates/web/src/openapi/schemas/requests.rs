//! Request bodies: read off the structs the handlers deserialise.

use super::*;

pub(super) fn add(m: &mut Map<String, Value>) {
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
                ("name", said_max(50, "The resident's name")),
                (
                    "id_number",
                    json!({ "type": "string", "pattern": "^[0-9]{17}[0-9Xx]$", "description": "GB 11643-1999, 18 characters" }),
                ),
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
                ("name", said("The unit's name")),
                ("kind", said("The unit's type")),
                ("uscc", d(string(), "GB 32100-2015")),
                ("party_org", string()),
                ("contact_name", string()),
                ("contact_phone", string()),
            ],
            &["community_code", "name", "kind", "uscc"],
        ),
    );
    m.insert(
        "NewElection".into(),
        input(
            &[
                ("election_day", date("The election day")),
                (
                    "mode",
                    d(
                        string(),
                        "direct_all_voters (default) | household_representatives | group_representatives (rule 1.5)",
                    ),
                ),
                ("director", d(int(), "主任 seats (1)")),
                ("deputy", d(int(), "副主任 seats")),
                ("member", d(int(), "委员 seats; 5 to 9 in all (rule 1.1)")),
            ],
            &["election_day"],
        ),
    );
    m.insert(
        "PublishRoll".into(),
        input(
            &[
                ("published_on", d(string(), "YYYY-MM-DD, default today; the §2.3 gap is checked by the calendar")),
                (
                    "representatives",
                    d(
                        json!({ "type": "object", "additionalProperties": { "type": "array", "items": { "type": "string" } } }),
                        "Group representatives only: per residents' group its 2 or 3 representatives (rule 1.5); or text, a line per group",
                    ),
                ),
            ],
            &[],
        ),
    );
    m.insert(
        "ElectionCandidates".into(),
        input(
            &[
                ("published_on", d(string(), "YYYY-MM-DD, default today")),
                ("director", d(arr(string()), "主任 candidates (or text, one a line)")),
                ("deputy", d(arr(string()), "副主任 candidates")),
                ("member", d(arr(string()), "委员 candidates")),
                (
                    "elsewhere",
                    d(
                        arr(string()),
                        "Candidates above who do not live in the community (rule 2.21; or text, one a line)",
                    ),
                ),
            ],
            &[],
        ),
    );
    m.insert(
        "PostFigures".into(),
        input(
            &[
                (
                    "votes",
                    d(
                        json!({ "type": "object", "additionalProperties": { "type": "integer" } }),
                        "Votes per name: candidates and write-ins",
                    ),
                ),
                ("invalid", d(int(), "Ballots invalid for this post (rule 2.16)")),
                ("blank", d(int(), "Blank ballots: valid abstentions")),
            ],
            &[],
        ),
    );
    m.insert(
        "TallySheet".into(),
        input(
            &[
                ("name", d(string(), "The box: 第一投票站, 流动票箱一 …")),
                ("kind", d(string(), "station | mobile")),
                ("issued", int()),
                ("returned", int()),
                (
                    "confirm_over",
                    d(
                        int(),
                        "1: record a box that returned more than it issued (the round becomes invalid, rule 2.15)",
                    ),
                ),
                (
                    "posts",
                    d(
                        json!({ "type": "object", "additionalProperties": r("PostFigures") }),
                        "Per post (主任, 副主任, 委员)",
                    ),
                ),
            ],
            &["name", "issued", "returned", "posts"],
        ),
    );
}
