//! Operations: liveness, readiness, metrics, this OpenAPI document, static assets, the language switch.

use super::*;

routes! {
    GET "/healthz" => ops::healthz, P, Ops, "Liveness";
    GET "/readyz" => ops::readyz, P, Ops, "Readiness: the database answers";
    GET "/metrics" => ops::metrics, P, Ops, "Prometheus metrics";
    GET "/api/openapi.json" => openapi_document, P, Ops, "This OpenAPI document";
    GET "/assets/{*file}" => ops::asset, P, Ops, "Static assets";
    GET "/lang" => ops::switch_lang, P, Ops, "Switch the interface language";
}
