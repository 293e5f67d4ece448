//! The HTTP channels: the SMS gateway and the webhook, a JSON POST signed
//! with HMAC-SHA256 over the exact body (`notify::sign`).

/// POSTs `body` signed with `secret`; Ok on a 2xx answer, else the error to
/// record (status and the start of the answer, or the connection error).
pub async fn post_signed(
    http: &reqwest::Client,
    url: &str,
    secret: &[u8],
    body: &serde_json::Value,
) -> Result<(), String> {
    let bytes = serde_json::to_vec(body).map_err(|e| e.to_string())?;
    let sig = notify::sign::sign(secret, &bytes);
    let key = body["idempotency_key"].as_str().unwrap_or("").to_string();
    let r = http
        .post(url)
        .header("content-type", "application/json")
        .header(notify::sign::HEADER, sig)
        .header("idempotency-key", key)
        .body(bytes)
        .send()
        .await
        .map_err(|e| format!("网关无法连接 / gateway unreachable: {e}"))?;
    let status = r.status();
    if status.is_success() {
        return Ok(());
    }
    let text = r.text().await.unwrap_or_default();
    Err(format!("网关拒绝 / gateway answered {status}: {}", text.chars().take(200).collect::<String>()))
}
