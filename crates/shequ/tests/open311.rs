//! Open311 GeoReport v2 on both databases: every endpoint in JSON and XML
//! against expected documents (ids and times normalised), posting with and
//! without a client's api_key, attribute checks, jurisdictions, routing by
//! location, the search filters and tokens.

mod common;
use common::*;
#[path = "open311/support.rs"]
mod support;
use serde_json::{Value, json};
use support::*;

#[tokio::test]
async fn discovery_services_and_definitions_match_the_expected_json_and_xml() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = format!("{}/open311/v2", s.base);

        let (st, ct, body) = fetch(format!("{b}/discovery.json")).await;
        assert_eq!((st, ct.as_str()), (200, "application/json; charset=utf-8"), "{backend}");
        let contact = "铜陵市一站式服务中心，热线12345 / Tongling one-stop service center, hotline 12345";
        let key_service = "api_key 由系统管理员以 `shequ open311 key add 名称` 签发 / api keys are issued by the system administrator with `shequ open311 key add NAME`";
        assert_eq!(
            json_of(&body),
            json!({"changeset": "2026-11-28T00:00:00+08:00", "contact": contact, "key_service": key_service,
                   "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": b,
                                  "changeset": "2026-11-28T00:00:00+08:00", "type": "production",
                                  "formats": ["text/xml", "application/json"]}]})
        );
        let (st, ct, body) = fetch(format!("{b}/discovery.xml")).await;
        assert_eq!((st, ct.as_str()), (200, "text/xml; charset=utf-8"), "{backend}");
        assert_eq!(
            body,
            format!(
                "{DECL}<discovery><changeset>2026-11-28T00:00:00+08:00</changeset><contact>{contact}</contact>\
                 <key_service>{key_service}</key_service><endpoints><endpoint>\
                 <specification>http://wiki.open311.org/GeoReport_v2</specification><url>{b}</url>\
                 <changeset>2026-11-28T00:00:00+08:00</changeset><type>production</type>\
                 <formats><format>text/xml</format><format>application/json</format></formats>\
                 </endpoint></endpoints></discovery>"
            )
        );

        // Services: the city catalogue, the same for a known jurisdiction.
        let hr = json!({"service_code": "HR-001", "service_name": "家庭水管维修",
            "description": "家政维修；承办：水电维修服务商；时限2个工作日", "metadata": true, "type": "realtime",
            "keywords": "家政维修,水电维修服务商", "group": "家政维修"});
        let hr_xml = "<service><service_code>HR-001</service_code><service_name>家庭水管维修</service_name>\
            <description>家政维修；承办：水电维修服务商；时限2个工作日</description><metadata>true</metadata>\
            <type>realtime</type><keywords>家政维修,水电维修服务商</keywords><group>家政维修</group></service>";
        let (st, _, body) = fetch(format!("{b}/services.json")).await;
        assert_eq!(st, 200);
        let services = json_of(&body);
        let arr = services.as_array().expect("a top-level array");
        assert!(arr.len() >= 40, "{backend}");
        assert_eq!(arr.iter().find(|x| x["service_code"] == "HR-001"), Some(&hr));
        let (_, _, same) = fetch(format!("{b}/services.json?jurisdiction_id=340705402")).await;
        assert_eq!(json_of(&same), services);
        let (st, ct, xml) = fetch(format!("{b}/services.xml")).await;
        assert_eq!((st, ct.as_str()), (200, "text/xml; charset=utf-8"));
        assert!(xml.starts_with(&format!("{DECL}<services><service>")) && xml.ends_with("</service></services>"));
        assert!(xml.contains(hr_xml), "{xml}");
        assert_eq!(xml.matches("<service>").count(), arr.len());

        // A service definition.
        let (st, _, body) = fetch(format!("{b}/services/HR-001.json")).await;
        assert_eq!(st, 200);
        assert_eq!(
            json_of(&body),
            json!({"service_code": "HR-001", "attributes": [
                {"variable": true, "code": "place", "datatype": "string", "required": false, "datatype_description": "",
                 "order": 1, "description": "具体位置", "values": []},
                {"variable": true, "code": "urgency", "datatype": "singlevaluelist", "required": false,
                 "datatype_description": "", "order": 2, "description": "紧急程度",
                 "values": [{"key": "一般", "name": "一般"}, {"key": "紧急", "name": "紧急"}]}]})
        );
        let (st, _, body) = fetch(format!("{b}/services/HR-001.xml")).await;
        assert_eq!(st, 200);
        assert_eq!(
            body,
            format!(
                "{DECL}<service_definition><service_code>HR-001</service_code><attributes>\
                 <attribute><variable>true</variable><code>place</code><datatype>string</datatype><required>false</required>\
                 <datatype_description></datatype_description><order>1</order><description>具体位置</description><values></values></attribute>\
                 <attribute><variable>true</variable><code>urgency</code><datatype>singlevaluelist</datatype><required>false</required>\
                 <datatype_description></datatype_description><order>2</order><description>紧急程度</description>\
                 <values><value><key>一般</key><name>一般</name></value><value><key>紧急</key><name>紧急</name></value></values>\
                 </attribute></attributes></service_definition>"
            )
        );
        let (_, _, body) = fetch(format!("{b}/services/EL-001.json")).await;
        assert_eq!(json_of(&body)["attributes"][0]["datatype"], "number");
        assert_eq!(json_of(&body)["attributes"][0]["datatype_description"], "数字 / a number");

        // Errors in the spec's shape, in the asked format.
        let (st, ct, body) = fetch(format!("{b}/services/NOPE.json")).await;
        assert_eq!((st, ct.as_str()), (404, "application/json; charset=utf-8"));
        assert_eq!(json_of(&body), json!([{"code": 404, "description": "unknown service_code NOPE / 未知的服务事项"}]));
        let (st, _, body) = fetch(format!("{b}/services/NOPE.xml")).await;
        assert_eq!(st, 404);
        assert_eq!(
            body,
            format!(
                "{DECL}<errors><error><code>404</code><description>unknown service_code NOPE / 未知的服务事项</description></error></errors>"
            )
        );
        let (st, _, body) = fetch(format!("{b}/services/HR-001.csv")).await;
        assert_eq!(st, 404);
        assert_eq!(json_of(&body)[0]["code"], 404);
        // Paths the spec does not have answer its 404 too.
        let (st, _, body) = fetch(format!("{b}/services.csv")).await;
        assert_eq!((st, json_of(&body)), (404, json!([{"code": 404, "description": "not found / 未找到"}])));
        let (st, _, body) = fetch(format!("{b}/nothing.xml")).await;
        assert_eq!(st, 404);
        assert_eq!(
            body,
            format!(
                "{DECL}<errors><error><code>404</code><description>not found / 未找到</description></error></errors>"
            )
        );
        for path in ["services.json", "services/HR-001.json", "requests.json", "requests/1.json", "tokens/abc.json"] {
            let (st, _, body) = fetch(format!("{b}/{path}?jurisdiction_id=999999999")).await;
            assert_eq!(st, 404, "{backend} {path}");
            assert_eq!(
                json_of(&body),
                json!([{"code": 404, "description": "unknown jurisdiction_id 999999999 / 未知的辖区"}])
            );
        }
        let (st, _, body) = fetch(format!("{b}/services.xml?jurisdiction_id=999999999")).await;
        assert_eq!(st, 404);
        assert!(body.starts_with(&format!("{DECL}<errors><error><code>404</code>")), "{body}");
    }
}

#[tokio::test]
async fn a_posted_request_reads_back_by_id_search_and_token_in_json_and_xml() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = format!("{}/open311/v2", s.base);
        let (lat, lon) = center("340705402");
        let body = keyed(
            &s,
            &format!(
                "jurisdiction_id=340705402&service_code=PS-002&lat={lat}&long={lon}&address_string=%E5%A4%A9%E4%BA%95%E6%B9%96%E8%B7%AF1%E5%8F%B7\
             &description=%E5%9E%83%E5%9C%BE%E6%9C%AA%E6%B8%85&attribute[urgency]=%E7%B4%A7%E6%80%A5\
             &first_name=%E8%8A%B3&last_name=%E7%8E%8B&phone=13800000000&email=wang%40example.cn"
            ),
        );
        let notice = "3个工作日内办结 / to be completed within 3 working days";
        let (st, resp) = post(&s, "json", &body).await;
        assert_eq!(st, 200, "{backend} {resp}");
        let v = json_of(&resp);
        assert_eq!(
            norm_json(v.clone()),
            json!([{"service_request_id": "*", "token": "*", "service_notice": notice, "account_id": null}])
        );
        let id = v[0]["service_request_id"].as_str().unwrap().to_string();
        let token = v[0]["token"].as_str().unwrap().to_string();

        // The case exists for the community's staff: open311 channel, routed to the community.
        let (desk, _) = login(&s, "frontdesk").await;
        let staff: Value =
            desk.get(format!("{}/api/v1/cases/{id}", s.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(staff["case"]["channel"], "open311", "{backend}");
        assert_eq!(staff["case"]["status"], "routed");
        assert_eq!(staff["case"]["community_code"], "340705402");
        assert_eq!(staff["case"]["caller_name"], "王芳");
        assert!(staff["case"]["answers"].as_str().unwrap().contains("wang@example.cn"));
        let actor: String =
            sqlx::query_scalar("SELECT actor FROM audit_log WHERE action = 'case.create' ORDER BY seq DESC LIMIT 1")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert_eq!(actor, "open311:demo-app");

        let request = json!([{"service_request_id": "*", "status": "open", "status_notes": "routed",
            "service_name": "小区环境卫生问题反映", "service_code": "PS-002", "description": "垃圾未清",
            "agency_responsible": "天井湖社区", "service_notice": notice, "requested_datetime": "*",
            "updated_datetime": "*", "expected_datetime": "*", "address": "天井湖路1号", "address_id": null,
            "zipcode": null, "lat": lat, "long": lon, "media_url": null}]);
        let (st, _, got) = fetch(format!("{b}/requests/{id}.json")).await;
        assert_eq!(st, 200);
        let got = json_of(&got);
        assert_eq!(got[0]["service_request_id"], id.as_str());
        assert_eq!(norm_json(got), request, "{backend}");
        let request_xml = format!(
            "<request><service_request_id>*</service_request_id><status>open</status><status_notes>routed</status_notes>\
             <service_name>小区环境卫生问题反映</service_name><service_code>PS-002</service_code><description>垃圾未清</description>\
             <agency_responsible>天井湖社区</agency_responsible><service_notice>{notice}</service_notice>\
             <requested_datetime>*</requested_datetime><updated_datetime>*</updated_datetime><expected_datetime>*</expected_datetime>\
             <address>天井湖路1号</address><address_id></address_id><zipcode></zipcode><lat>{lat}</lat><long>{lon}</long>\
             <media_url></media_url></request>"
        );
        let (st, ct, xml) = fetch(format!("{b}/requests/{id}.xml")).await;
        assert_eq!((st, ct.as_str()), (200, "text/xml; charset=utf-8"));
        assert!(xml.contains(&format!("<service_request_id>{id}</service_request_id>")));
        assert_eq!(norm_xml(&xml), format!("{DECL}<service_requests>{request_xml}</service_requests>"));
        // Search finds it too, in both formats.
        let (_, _, found) = fetch(format!("{b}/requests.json?service_request_id={id}")).await;
        assert_eq!(norm_json(json_of(&found)), request);
        let (_, _, found) = fetch(format!("{b}/requests.xml?service_request_id={id}")).await;
        assert_eq!(norm_xml(&found), format!("{DECL}<service_requests>{request_xml}</service_requests>"));
        // Another community's jurisdiction does not see it.
        let (st, _, _) = fetch(format!("{b}/requests/{id}.json?jurisdiction_id=340705403")).await;
        assert_eq!(st, 404);
        let (st, _, _) = fetch(format!("{b}/requests/{id}.json?jurisdiction_id=340705402")).await;
        assert_eq!(st, 200);
        let (st, _, body) = fetch(format!("{b}/requests/99999.xml")).await;
        assert_eq!(st, 404);
        assert!(body.contains("<errors><error><code>404</code>"));

        // The token answers with the request's id.
        let (st, _, t) = fetch(format!("{b}/tokens/{token}.json")).await;
        assert_eq!(st, 200);
        assert_eq!(json_of(&t), json!([{"service_request_id": id, "token": token}]));
        let (_, _, t) = fetch(format!("{b}/tokens/{token}.xml")).await;
        assert_eq!(
            t,
            format!(
                "{DECL}<service_requests><request><service_request_id>{id}</service_request_id><token>{token}</token></request></service_requests>"
            )
        );
        let (st, _, _) = fetch(format!("{b}/tokens/nope.json")).await;
        assert_eq!(st, 404);

        // Posting in XML answers in XML; a department's item names the department.
        let (st, resp) =
            post(&s, "xml", &keyed(&s, &format!("service_code=SA-001&lat={lat}&long={lon}&description=%3Ca%26b%3E")))
                .await;
        assert_eq!(st, 200, "{resp}");
        assert_eq!(
            norm_xml(&resp),
            format!(
                "{DECL}<service_requests><request><service_request_id>*</service_request_id><token>*</token>\
                 <service_notice>{}</service_notice><account_id></account_id></request></service_requests>",
                "20个工作日内办结 / to be completed within 20 working days"
            )
        );
        let id2 = resp.split("<service_request_id>").nth(1).unwrap().split('<').next().unwrap();
        let (_, _, got) = fetch(format!("{b}/requests/{id2}.xml")).await;
        assert!(got.contains("<agency_responsible>区民政局</agency_responsible>"), "{got}");
        assert!(got.contains("<description>&lt;a&amp;b&gt;</description>"), "escaped: {got}");
    }
}

#[tokio::test]
async fn keys_attributes_and_jurisdictions_are_checked_with_nothing_written() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        // An item with a required number, a single and a multi choice.
        store::cases::add_item(
            &s.db,
            "test",
            store::cases::NewItem {
                code: "TS-001".into(),
                name: "漏水报修".into(),
                category: "测试".into(),
                unit_kind: "community".into(),
                unit_name: "社区".into(),
                limit_days: 2,
                questions: json!([
                    {"key": "floor", "label": "楼层", "kind": "number", "required": true},
                    {"key": "kind", "label": "类别", "kind": "single", "required": false, "options": ["漏水", "停水"]},
                    {"key": "rooms", "label": "房间", "kind": "multi", "required": false, "options": ["厨房", "卫生间"]}
                ]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        store::cases::adopt_all(&s.db).await.unwrap();
        let (c, r) =
            shequ::demo::open311::areas().into_iter().find(|a| a.0 == "340705402").map(|a| (a.1, a.2)).unwrap();
        let at = format!("lat={c}&long={r}");
        let before = counts(&s).await;
        let cases = [
            // (body, status, description fragment)
            (format!("service_code=PS-002&{at}"), 403, "api_key is required"),
            (format!("api_key=wrong&service_code=PS-002&{at}"), 403, "api_key is not valid"),
            (keyed(&s, &format!("jurisdiction_id=999999999&service_code=PS-002&{at}")), 404, "unknown jurisdiction_id"),
            (keyed(&s, &at), 400, "service_code is required"),
            (keyed(&s, &format!("service_code=NOPE&{at}")), 400, "service_code NOPE is unknown"),
            (keyed(&s, &format!("service_code=TS-001&{at}")), 400, "attribute[floor] is required"),
            (
                keyed(&s, &format!("service_code=TS-001&{at}&attribute[floor]=three")),
                400,
                "attribute[floor]: three is not a number",
            ),
            (
                keyed(&s, &format!("service_code=TS-001&{at}&attribute[floor]=3&attribute[kind]=%E5%9D%8F")),
                400,
                "attribute[kind]: 坏 is not one of its values",
            ),
            (
                keyed(
                    &s,
                    &format!(
                        "service_code=TS-001&{at}&attribute[floor]=3&attribute[kind]=%E6%BC%8F%E6%B0%B4&attribute[kind]=%E5%81%9C%E6%B0%B4"
                    ),
                ),
                400,
                "attribute[kind] takes one value",
            ),
            (
                keyed(
                    &s,
                    &format!("service_code=TS-001&{at}&attribute[floor]=3&attribute[rooms][]=%E9%98%B3%E5%8F%B0"),
                ),
                400,
                "attribute[rooms]: 阳台 is not one of its values",
            ),
            (
                keyed(&s, &format!("service_code=TS-001&{at}&attribute[floor]=3&attribute[colour]=red")),
                400,
                "attribute[colour]: not an attribute",
            ),
            (keyed(&s, "service_code=PS-002&lat=north&long=117.8"), 400, "lat must be a decimal number"),
            (keyed(&s, "service_code=PS-002&lat=30.93"), 400, "lat and long go together"),
            (keyed(&s, "jurisdiction_id=340705402&service_code=PS-002"), 400, "a location is required"),
            (keyed(&s, &format!("service_code=PS-002&{at}&phone=abc")), 400, "phone: not a valid phone number"),
        ];
        for (body, status, says) in &cases {
            let (st, resp) = post(&s, "json", body).await;
            assert_eq!(st, *status, "{backend} {body}: {resp}");
            let v = json_of(&resp);
            assert_eq!(v[0]["code"], *status);
            assert!(v[0]["description"].as_str().unwrap().contains(says), "{body}: {resp}");
        }
        let (st, resp) = post(&s, "xml", &format!("service_code=PS-002&{at}")).await;
        assert_eq!(st, 403);
        assert_eq!(
            resp,
            format!(
                "{DECL}<errors><error><code>403</code><description>api_key is required / 缺少 api_key</description></error></errors>"
            )
        );
        assert_eq!(counts(&s).await, before, "{backend}: nothing written");

        // The same request with its answers right is taken; a multi-value list keeps every value.
        let (st, resp) = post(
            &s,
            "json",
            &keyed(&s, &format!("service_code=TS-001&{at}&attribute[floor]=3&attribute[kind]=%E6%BC%8F%E6%B0%B4&attribute[rooms][]=%E5%8E%A8%E6%88%BF&attribute[rooms][]=%E5%8D%AB%E7%94%9F%E9%97%B4")),
        )
        .await;
        assert_eq!(st, 200, "{resp}");
        let id: i64 = json_of(&resp)[0]["service_request_id"].as_str().unwrap().parse().unwrap();
        let answers: Value = serde_json::from_str(&store::cases::case(&s.db, id).await.unwrap().answers).unwrap();
        assert_eq!(answers, json!({"floor": "3", "kind": "漏水", "rooms": ["厨房", "卫生间"]}));

        // A revoked key is refused; a new key from the store works once issued.
        let (client, key) = store::open311::add_client(&s.db, "test", "街道App").await.unwrap();
        assert_eq!(key.len(), 64);
        let stored: String = sqlx::query_scalar("SELECT key_hash FROM open311_clients WHERE id = $1")
            .bind(client.id)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_ne!(stored, key, "only the hash is kept");
        // The audited change is the client's name alone, never the key.
        let digest: String =
            sqlx::query_scalar("SELECT digest FROM audit_log WHERE action = 'open311.client.add' AND entity_id = $1")
                .bind(client.id.to_string())
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert_eq!(digest, store::audit::digest(&json!({ "name": "街道App" })));
        let body = format!("api_key={key}&service_code=PS-002&{at}");
        assert_eq!(post(&s, "json", &body).await.0, 200);
        store::open311::revoke_client(&s.db, "test", "街道App").await.unwrap();
        let (st, resp) = post(&s, "json", &body).await;
        assert_eq!(st, 403, "{resp}");
        assert!(store::open311::add_client(&s.db, "test", "街道App").await.is_err(), "names are unique");
    }
}

#[tokio::test]
async fn location_routes_to_the_community_and_outside_is_refused() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (la, lo) = center("340705403");
        // Without a jurisdiction the point decides: 映湖's staff see the case.
        let (st, resp) = post(&s, "json", &keyed(&s, &format!("service_code=PS-001&lat={la}&long={lo}"))).await;
        assert_eq!(st, 200, "{backend} {resp}");
        let id = json_of(&resp)[0]["service_request_id"].as_str().unwrap().to_string();
        let (yh, _) = login(&s, "frontdesk_yh").await;
        let r = yh.get(format!("{}/api/v1/cases/{id}", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["case"]["community_code"], "340705403");
        assert_eq!(v["case"]["lead_queue"], "community:340705403");
        let (tjh, _) = login(&s, "frontdesk").await;
        assert_eq!(tjh.get(format!("{}/api/v1/cases/{id}", s.base)).send().await.unwrap().status(), 404);
        let (_, _, got) = fetch(format!("{}/open311/v2/requests/{id}.json", s.base)).await;
        assert_eq!(json_of(&got)[0]["agency_responsible"], "映湖社区");

        // Where circles overlap the nearest center wins; the store agrees with the route.
        assert_eq!(store::structure::locate(&s.db, la, lo).await.unwrap().as_deref(), Some("340705403"));
        assert_eq!(store::structure::locate(&s.db, 31.5, 118.5).await.unwrap(), None);
        assert!(store::structure::contains(&s.db, "340705403", la, lo).await.unwrap());
        assert!(!store::structure::contains(&s.db, "340705402", 31.5, 118.5).await.unwrap());

        let before = counts(&s).await;
        for (body, says) in [
            ("service_code=PS-001&lat=31.5&long=118.5".to_string(), "outside every community"),
            (
                format!("jurisdiction_id=340705402&service_code=PS-001&lat={la}&long={lo}"),
                "outside jurisdiction 340705402",
            ),
        ] {
            let (st, resp) = post(&s, "json", &keyed(&s, &body)).await;
            assert_eq!(st, 400, "{backend} {body}");
            assert!(json_of(&resp)[0]["description"].as_str().unwrap().contains(says), "{resp}");
        }
        assert_eq!(counts(&s).await, before);
        // With a jurisdiction an address alone is enough.
        let (st, _) = post(
            &s,
            "json",
            &keyed(&s, "jurisdiction_id=340705402&service_code=PS-001&address_string=%E6%9F%90%E5%A4%84"),
        )
        .await;
        assert_eq!(st, 200);
    }
}

#[tokio::test]
async fn search_filters_by_id_code_status_and_dates() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let b = format!("{}/open311/v2", s.base);
        let (la, lo) = center("340705402");
        let (la3, lo3) = center("340705403");
        let mut ids = Vec::new();
        for (code, at) in [("PS-001", (la, lo)), ("PS-002", (la, lo)), ("PS-002", (la3, lo3))] {
            let (st, resp) =
                post(&s, "json", &keyed(&s, &format!("service_code={code}&lat={}&long={}", at.0, at.1))).await;
            assert_eq!(st, 200, "{resp}");
            ids.push(json_of(&resp)[0]["service_request_id"].as_str().unwrap().to_string());
        }
        // The third is rejected by its supervisor: closed for Open311.
        store::cases::apply(
            &s.db,
            "test",
            cases::Role::Supervisor,
            ids[2].parse().unwrap(),
            store::cases::NewEvent { event: "reject".into(), reason: "重复".into(), ..Default::default() },
        )
        .await
        .unwrap();
        // Only this test's requests: the demo has cases of its own.
        let found = |q: String| {
            let b = b.clone();
            let mine = ids.clone();
            async move {
                let (st, _, body) = fetch(format!("{b}/requests.json{q}")).await;
                assert_eq!(st, 200, "{q}: {body}");
                let v = json_of(&body);
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["service_request_id"].as_str().unwrap().to_string())
                    .filter(|id| mine.contains(id))
                    .collect::<Vec<_>>()
            }
        };
        let rev = |xs: &[&String]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (a, bb, c) = (&ids[0], &ids[1], &ids[2]);
        assert_eq!(found(String::new()).await, rev(&[c, bb, a]), "{backend}: newest first, last 90 days");
        assert_eq!(found("?service_code=PS-002".into()).await, rev(&[c, bb]));
        assert_eq!(found("?service_code=PS-001,PS-002".into()).await, rev(&[c, bb, a]));
        assert_eq!(found("?status=open".into()).await, rev(&[bb, a]));
        assert_eq!(found("?status=closed".into()).await, rev(&[c]));
        assert_eq!(found("?status=open,closed".into()).await, rev(&[c, bb, a]));
        assert_eq!(found("?jurisdiction_id=340705403".into()).await, rev(&[c]));
        assert_eq!(found(format!("?service_request_id={a},{c}")).await, rev(&[c, a]));
        // Ids override the other filters.
        assert_eq!(found(format!("?service_request_id={a}&status=closed&service_code=HR-001")).await, rev(&[a]));
        let (_, _, closed) = fetch(format!("{b}/requests/{c}.json")).await;
        assert_eq!(json_of(&closed)[0]["status"], "closed");
        assert_eq!(json_of(&closed)[0]["status_notes"], "rejected");

        let now = time::OffsetDateTime::now_utc();
        let t = |d: time::Duration| {
            (now + d)
                .to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap())
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap()
                .replace('+', "%2B")
        };
        let h = time::Duration::hours(1);
        assert_eq!(found(format!("?start_date={}&end_date={}", t(-h), t(h))).await, rev(&[c, bb, a]));
        assert_eq!(found(format!("?start_date={}", t(h))).await, Vec::<String>::new());
        assert_eq!(found(format!("?end_date={}", t(-h))).await, Vec::<String>::new());
        assert_eq!(found(format!("?end_date={}&status=open", t(h))).await, rev(&[bb, a]));
        for (q, says) in [
            (format!("?start_date={}&end_date={}", t(-time::Duration::days(100)), t(h)), "at most 90 days"),
            (format!("?start_date={}&end_date={}", t(h), t(-h)), "end_date is before start_date"),
            ("?start_date=2026-11-01T00:00:00".to_string(), "start_date: a date and time with its zone"),
            ("?status=pending".to_string(), "status: pending"),
            ("?service_request_id=abc".to_string(), "service_request_id: abc"),
        ] {
            let (st, _, body) = fetch(format!("{b}/requests.json{q}")).await;
            assert_eq!(st, 400, "{q}");
            assert!(json_of(&body)[0]["description"].as_str().unwrap().contains(says), "{q}: {body}");
        }
        let (st, _, xml) = fetch(format!("{b}/requests.xml?status=closed")).await;
        assert_eq!(st, 200);
        // The demo's own closed cases are listed too; ours is there, the open ones are not.
        assert!(xml.contains(&format!("<service_request_id>{c}</service_request_id><status>closed</status>")));
        assert!(!xml.contains(&format!("<service_request_id>{a}</service_request_id>")));
        let (st, _, xml) = fetch(format!("{b}/requests.xml?status=nope")).await;
        assert_eq!(st, 400);
        assert!(xml.starts_with(&format!("{DECL}<errors>")));
        // A case taken at the counter is listed, but what the resident said and where is not published.
        let (desk, csrf) = login(&s, "frontdesk").await;
        let counter: Value = desk
            .post(format!("{}/api/v1/cases", s.base))
            .header("x-csrf-token", &csrf)
            .json(
                &json!({"item": "SA-001", "caller_name": "李某", "id_number": id_number(42), "description": "家中困难", "address": "天井湖路3号"}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let cid = counter["id"].as_i64().unwrap();
        let (_, _, got) = fetch(format!("{b}/requests.json?service_request_id={cid}")).await;
        let got = json_of(&got);
        assert_eq!(
            (&got[0]["description"], &got[0]["address"], &got[0]["lat"]),
            (&json!(""), &json!(""), &Value::Null)
        );
        assert_eq!(got[0]["agency_responsible"], "区民政局");
        // An unencoded "+08:00" arrives as a space and is still understood.
        let day = "?start_date=2026-01-01T00:00:00+08:00&end_date=2026-01-02T00:00:00Z";
        assert_eq!(found(day.into()).await, Vec::<String>::new());
    }
}
