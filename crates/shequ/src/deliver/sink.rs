//! `shequ sms-sink`: a local SMS gateway (and, with `--smtp`, a mail server)
//! to point `shequ serve` at. It checks each request's signature, prints what
//! it received (a second arrival of an idempotency key is marked), answers
//! 200 (401 to a bad signature), and with `--receipts` sends the signed
//! delivery receipt back to shequ, as a provider's gateway would. `GET /stats`
//! answers what it has counted (`shequ bench notify` runs it as a process of
//! its own, `--quiet`, and reads that at the end).

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What the sink took: an SMS or webhook call, or a mail.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Received {
    /// sms (any POST) or email.
    pub kind: &'static str,
    pub signature_ok: bool,
    pub duplicate: bool,
    pub idempotency_key: String,
    pub to: String,
    pub text: String,
    pub body: serde_json::Value,
}

#[derive(clap::Args, Clone)]
pub struct SinkArgs {
    /// Where the gateway listens (point `shequ serve --sms-gateway http://ADDR/sms` at it).
    #[arg(long, default_value = "127.0.0.1:9099")]
    pub listen: String,
    /// Also take mail here (point SHEQU_SMTP_URL=smtp://ADDR at it).
    #[arg(long)]
    pub smtp: Option<String>,
    /// Send each accepted message's delivery receipt to this URL (shequ's /api/v1/notify/receipts).
    #[arg(long)]
    pub receipts: Option<String>,
    /// Print one JSON line per message instead of a readable line.
    #[arg(long)]
    pub json: bool,
    /// Print nothing per message (a benchmark's gateway); `GET /stats` still counts.
    #[arg(long)]
    pub quiet: bool,
}

type Seen = Arc<Mutex<HashSet<String>>>;

/// What the gateway has counted since it started (`GET /stats`).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub received: u64,
    pub bad_signatures: u64,
    pub duplicates: u64,
}

#[derive(Default)]
struct Counters {
    received: AtomicU64,
    bad: AtomicU64,
    duplicates: AtomicU64,
}

/// Serves the gateway on `listener`, handing each arrival to `took`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    secret: Arc<Vec<u8>>,
    receipts: Option<String>,
    delay: std::time::Duration,
    took: impl Fn(Received) + Clone + Send + Sync + 'static,
) {
    let seen: Seen = Default::default();
    let counters: Arc<Counters> = Default::default();
    let http = reqwest::Client::new();
    let c = counters.clone();
    let handler = move |headers: HeaderMap, body: Bytes| {
        let (secret, seen, took, receipts, http, c) =
            (secret.clone(), seen.clone(), took.clone(), receipts.clone(), http.clone(), c.clone());
        async move {
            // A slow gateway, for tests that stop shequ in the middle of a batch.
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let sig = headers.get(notify::sign::HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            let ok = notify::sign::verify(&secret, &body, sig);
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let key = v["idempotency_key"].as_str().unwrap_or("").to_string();
            let duplicate = ok && !seen.lock().expect("seen").insert(key.clone());
            c.received.fetch_add(1, Ordering::Relaxed);
            c.bad.fetch_add(u64::from(!ok), Ordering::Relaxed);
            c.duplicates.fetch_add(u64::from(duplicate), Ordering::Relaxed);
            let text = v["text"].as_str().or(v["text_zh"].as_str()).unwrap_or("").to_string();
            let to = v["to"].as_str().unwrap_or("").to_string();
            took(Received {
                kind: "sms",
                signature_ok: ok,
                duplicate,
                idempotency_key: key.clone(),
                to,
                text,
                body: v,
            });
            if !ok {
                return (StatusCode::UNAUTHORIZED, "bad signature");
            }
            if let Some(url) = receipts {
                let receipt = serde_json::to_vec(&serde_json::json!({
                    "idempotency_key": key, "status": "delivered", "detail": "DELIVRD",
                }))
                .expect("json");
                let sig = notify::sign::sign(&secret, &receipt);
                tokio::spawn(async move {
                    let r = http
                        .post(url)
                        .header("content-type", "application/json")
                        .header(notify::sign::HEADER, sig)
                        .body(receipt)
                        .send()
                        .await;
                    if let Err(e) = r {
                        eprintln!("receipt not delivered: {e}");
                    }
                });
            }
            (StatusCode::OK, "{\"ok\":true}")
        }
    };
    let stats = move || {
        let c = counters.clone();
        async move {
            axum::Json(Stats {
                received: c.received.load(Ordering::Relaxed),
                bad_signatures: c.bad.load(Ordering::Relaxed),
                duplicates: c.duplicates.load(Ordering::Relaxed),
            })
        }
    };
    let app = axum::Router::new().route("/stats", axum::routing::get(stats)).fallback(axum::routing::post(handler));
    let _ = axum::serve(listener, app).await;
}

fn print(json: bool, r: &Received) {
    if json {
        println!("{}", serde_json::to_string(r).expect("json"));
    } else {
        let sig = if r.signature_ok { "签名正确 signature ok" } else { "签名错误 BAD SIGNATURE" };
        let dup = if r.duplicate { " · 重复 duplicate" } else { "" };
        println!(
            "[{}] → {} · {} · {}{}\n    {}",
            r.kind,
            r.to,
            r.idempotency_key,
            sig,
            dup,
            r.text.replace('\n', "\n    ")
        );
    }
}

/// The subcommand.
pub async fn run(a: SinkArgs) -> anyhow::Result<()> {
    let secret = std::env::var("SHEQU_SMS_SECRET").unwrap_or_default();
    if secret.is_empty() {
        anyhow::bail!("set SHEQU_SMS_SECRET to the secret shequ serve signs with");
    }
    let listener = tokio::net::TcpListener::bind(&a.listen).await?;
    let addr = listener.local_addr()?;
    println!("sms-sink listening on http://{addr}/sms");
    if let Some(s) = &a.smtp {
        let l = tokio::net::TcpListener::bind(s).await?;
        println!("sms-sink taking mail on smtp://{}", l.local_addr()?);
        let json = a.json;
        tokio::spawn(super::smtp::serve_sink(l, move |m| {
            let r = Received {
                kind: "email",
                signature_ok: true,
                duplicate: false,
                idempotency_key: m.idempotency_key.clone(),
                to: m.to.join(","),
                text: format!("{}\n{}", m.subject, m.text.trim()),
                body: serde_json::json!(m),
            };
            print(json, &r);
        }));
    }
    println!(
        "point shequ at it: SHEQU_SMS_SECRET=… shequ serve --sms-gateway http://{addr}/sms{}",
        a.smtp.as_ref().map(|s| format!(" (and SHEQU_SMTP_URL=smtp://{s})")).unwrap_or_default()
    );
    let (json, quiet) = (a.json, a.quiet);
    serve(listener, Arc::new(secret.into_bytes()), a.receipts, Default::default(), move |r| {
        if !quiet {
            print(json, &r)
        }
    })
    .await;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_says_how_to_point_it_at_the_sink() {
        let b = crate::demo::banner(None);
        assert!(b.contains("shequ sms-sink") && b.contains("--sms-gateway http://127.0.0.1:9099/sms"), "{b}");
    }
}
