//! Delivering notifications (issue 19): the outbox with retries and receipts, channels, residents' consent
//! (rules §6) and the city's templates.

use super::*;

routes! {
    POST "/outbox/{id}/retry" => pages::notify::retry, R(OUTBOX_READERS), Page, "Send a dead letter again";
    GET "/notify/prefs" => pages::notify::prefs, R(OUTBOX_READERS), Page,
        "Recipients' notification channels, opt-outs and consent records";
    POST "/notify/prefs" => pages::notify::set_prefs, R(NOTIFY_DESK), Page, "Record a recipient's channels and consent";
    GET "/notify/templates" => pages::notify::templates, R(OUTBOX_READERS), Page, "Notification templates per kind";
    POST "/notify/templates/{kind}" => pages::notify::set_template, R(TEMPLATE_EDITORS), Page, "Save a kind's template";
    GET "/notify/templates/{kind}/preview" => pages::notify::preview, R(OUTBOX_READERS), Page,
        "A template on an example message, with its SMS segments";
    POST "/api/v1/notify/receipts" => api::notify::receipt, P, Api,
        "A gateway's delivery receipt, signed (X-Shequ-Signature: sha256=HMAC of the body)", body Json("Receipt"),
        reply Object(&["recorded", "status"]);
    POST "/api/v1/outbox/{id}/retry" => api::notify::retry, R(OUTBOX_READERS), Api, "Send a dead letter again",
        body Empty, reply Schema("Message");
    GET "/api/v1/notify/prefs" => api::notify::prefs, R(OUTBOX_READERS), Api, "Channels and consent in scope",
        reply Object(&["prefs: Prefs[]", "cut: string[]"]);
    POST "/api/v1/notify/prefs" => api::notify::set_prefs, R(NOTIFY_DESK), Api,
        "Record a recipient's channels and consent", body Json("SetPrefs"), reply Schema("Prefs");
    GET "/api/v1/notify/templates" => api::notify::templates, R(OUTBOX_READERS), Api, "Saved templates",
        reply Object(&["templates: Template[]"]);
    POST "/api/v1/notify/templates/{kind}" => api::notify::set_template, R(TEMPLATE_EDITORS), Api,
        "Save a kind's template", body Json("SetTemplate"), reply Schema("Template");
}
