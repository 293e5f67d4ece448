//! The 15-minute living circle (issue 16): request bodies and answers.
//! Numbers may come as text (the forms send text); positions are WGS 84 degrees.

use super::*;

fn deg(what: &str) -> Value {
    d(loose(), &format!("{what} in WGS 84 degrees (a number, or its text)"))
}

pub(super) fn add(m: &mut Map<String, Value>) {
    // Requests.
    m.insert(
        "NewCircleFacility".into(),
        input(
            &[
                ("type", d(string(), "A facility type of the catalogue, by code (`kindergarten`) or name (`幼儿园`).")),
                ("name", d(string(), "Unique within its type.")),
                ("lon", deg("Longitude")),
                ("lat", deg("Latitude")),
                ("capacity", d(loose(), "A whole number; empty for none.")),
                ("opening_hours", string()),
                ("owner", string()),
                ("former_street_office", flag()),
            ],
            &["type", "name", "lon", "lat"],
        ),
    );
    m.insert("CirclePosition".into(), input(&[("lon", deg("Longitude")), ("lat", deg("Latitude"))], &["lon", "lat"]));
    m.insert(
        "CircleClosing".into(),
        input(
            &[("closed_on", d(string(), "YYYY-MM-DD: from this day it no longer counts.")), ("reason", string())],
            &["closed_on", "reason"],
        ),
    );
    // Answers.
    m.insert(
        "CircleFacility".into(),
        record(&[
            ("id", int()),
            ("type_code", string()),
            ("name", string()),
            ("lon", num()),
            ("lat", num()),
            ("capacity", null(int())),
            ("opening_hours", string()),
            ("owner", string()),
            ("former_street_office", d(int(), "1: a former street office's building the reform converted.")),
            ("created_at", string()),
            ("closed_on", null(string())),
        ]),
    );
    m.insert(
        "CircleFacilityType".into(),
        record(&[
            ("code", string()),
            ("name", string()),
            ("level_code", string()),
            ("radius_m", d(null(int()), "A service radius stricter than the level's walking distance.")),
            ("source", string()),
        ]),
    );
    m.insert(
        "CoverageRun".into(),
        record(&[
            ("id", int()),
            ("network_id", int()),
            ("network_name", string()),
            ("computed_on", d(string(), "YYYY-MM-DD")),
            ("computed_at", string()),
            ("computed_by", string()),
            ("buildings", d(int(), "Registry buildings placed on the network.")),
            ("residents", int()),
            ("unplaced_buildings", int()),
            ("unplaced_residents", d(int(), "Not counted in the shares.")),
        ]),
    );
    m.insert(
        "CoverageRow".into(),
        record(&[
            ("community_code", d(string(), "Empty in a total over communities.")),
            ("type_code", string()),
            ("walk_m", d(int(), "The walking distance the type is judged against (rules §7).")),
            ("facilities", int()),
            ("residents", int()),
            ("covered", d(int(), "Residents within `walk_m` of a facility of the type on the walking network.")),
        ]),
    );
    m.insert(
        "CoverageGap".into(),
        record(&[
            ("type_code", string()),
            ("community_code", string()),
            ("building", string()),
            ("households", int()),
            ("residents", int()),
            ("lon", num()),
            ("lat", num()),
        ]),
    );
    m.insert(
        "CommunityCoverage".into(),
        json!({ "type": "object", "required": ["community_code", "community_name", "rows", "gaps"], "properties": {
            "community_code": string(), "community_name": string(),
            "run": d(r("CoverageRun"), "Absent until coverage has been computed."),
            "rows": arr(r("CoverageRow")),
            "gaps": d(arr(r("CoverageGap")), "Buildings outside the standard: counts only, never people."),
        }}),
    );
    m.insert(
        "SitingProposal".into(),
        record(&[
            ("type_code", string()),
            ("type_name", string()),
            ("walk_m", int()),
            (
                "sites",
                d(
                    arr(json!({ "type": "array", "prefixItems": [num(), num(), int()] })),
                    "[lon, lat, residents added], in the order the greedy chose them (≥ 1 − 1/e of the best k).",
                ),
            ),
            ("candidates", int()),
            ("before", d(int(), "Residents in reach covered now.")),
            ("after", d(int(), "…and with the proposed sites.")),
            ("residents", int()),
        ]),
    );
}
