//! The sending half of the delivery worker, on a thread of its own with a
//! single-threaded runtime: the HTTP client's connections, the gateway's
//! token bucket and every request of a batch live there, so a message costs
//! no wake-up of another thread (issue 19: delivery's CPU a message is what
//! slows case intake). The worker hands it a batch and gets the outcomes back
//! ([`Sender::send`]); claiming and settling stay with the worker.
//!
//! The gateway's even pace wakes once for a group of tokens (10 ms' worth,
//! half the bucket's capacity, `notify::bucket::Bucket::ready_in`), not once
//! a message; the rate limit (N4) is the bucket's as before.

use super::{Config, channels};
use futures_util::StreamExt;
use notify::bucket::Bucket;
use notify::route::Channel;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use store::notify::Pending;
use tokio::sync::{Mutex, mpsc, oneshot};

/// One message to send: the claimed row, its channel and address, and the
/// city's templates for its kind (Chinese, English).
pub struct Job {
    pub m: Pending,
    pub channel: Channel,
    pub to: String,
    pub zh_t: String,
    pub en_t: String,
}

/// A message and what its attempt came to: the channel's word, or the error.
pub type Sent = (Pending, Result<&'static str, String>);

type Batch = (Vec<Job>, oneshot::Sender<Vec<Sent>>);

/// The handle to the sending thread; the thread ends when the last handle is dropped.
#[derive(Clone)]
pub struct Sender {
    tx: mpsc::UnboundedSender<Batch>,
}

/// What the sending thread owns.
struct Ctx {
    cfg: Config,
    http: channels::Http,
    bucket: Mutex<Bucket>,
    /// Tokens a sleeping sender waits for before it wakes (half the bucket's capacity).
    group: u64,
    start: Instant,
}

/// The SMS gateway's JSON, fields in the order `serde_json` writes a map
/// (sorted), so the bytes are those the gateway has always been sent.
#[derive(serde::Serialize)]
struct SmsBody<'a> {
    idempotency_key: &'a str,
    params: &'a BTreeMap<String, String>,
    template: &'a str,
    text: &'a str,
    to: &'a str,
}

/// The webhook's JSON, fields sorted as above.
#[derive(serde::Serialize)]
struct WebhookBody<'a> {
    case_id: Option<i64>,
    community: &'a str,
    idempotency_key: &'a str,
    kind: &'a str,
    recipient_kind: &'a str,
    text_en: &'a str,
    text_zh: &'a str,
    to: &'a str,
}

impl Sender {
    /// Starts the sending thread for `cfg`.
    pub fn start(cfg: Config) -> Sender {
        let (tx, mut rx) = mpsc::unbounded_channel::<Batch>();
        std::thread::Builder::new()
            .name("shequ-deliver".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async move {
                    let ctx = Ctx::new(cfg);
                    while let Some((jobs, reply)) = rx.recv().await {
                        let _ = reply.send(ctx.send_all(jobs).await);
                    }
                });
            })
            .expect("the delivery thread starts");
        Sender { tx }
    }

    /// Sends a batch on the sending thread; each message with its outcome.
    /// Err when the thread has stopped (a panic): the batch's messages stay
    /// claimed and their lease runs out, so they are sent later (at least once),
    /// and the caller starts a new thread.
    pub async fn send(&self, jobs: Vec<Job>) -> Result<Vec<Sent>, Stopped> {
        if jobs.is_empty() {
            return Ok(Vec::new());
        }
        let (reply, back) = oneshot::channel();
        self.tx.send((jobs, reply)).map_err(|_| Stopped)?;
        back.await.map_err(|_| Stopped)
    }
}

/// The sending thread has stopped.
#[derive(Debug)]
pub struct Stopped;

impl Ctx {
    fn new(cfg: Config) -> Ctx {
        let http = channels::Http::new(cfg.concurrency, Duration::from_secs(10));
        // An even pace, not bursts: at most 20 ms worth of messages at once,
        // and a sleeping sender wakes for 10 ms' worth, so a late timer (the
        // runtime's is 1 ms, a busy machine's later) does not find the bucket
        // full and lose the tokens that overflow it.
        let rate = cfg.sms_rate;
        let capacity = (rate / 50).max(1);
        let group = (capacity / 2).max(1);
        Ctx { bucket: Mutex::new(Bucket::new(capacity, rate, 0)), group, http, cfg, start: Instant::now() }
    }

    /// Up to `concurrency` requests at once, all in this one task.
    async fn send_all(&self, jobs: Vec<Job>) -> Vec<Sent> {
        futures_util::stream::iter(jobs)
            .map(|j| async move {
                let r = self.send(&j).await;
                (j.m, r)
            })
            .buffer_unordered(self.cfg.concurrency.max(1))
            .collect()
            .await
    }

    /// One message through its channel; the channel's word, or the error.
    async fn send(&self, j: &Job) -> Result<&'static str, String> {
        let m = &j.m;
        let mut params = BTreeMap::new();
        params.insert("body".to_string(), m.body_zh.clone());
        params.insert("case".to_string(), m.case_id.map(|c| c.to_string()).unwrap_or_default());
        params.insert("community".to_string(), m.community_name.clone());
        let zh = notify::template::render(&j.zh_t, &params).map_err(|e| e.to_string())?;
        // English is rendered only for the channels that carry it.
        let en = || {
            let mut params = params.clone();
            params.insert("body".into(), m.body_en.clone());
            notify::template::render(&j.en_t, &params).map_err(|e| e.to_string())
        };
        let key = m.idempotency_key();
        match j.channel {
            Channel::Sms => {
                self.wait_for_token().await;
                let text = notify::sms::limit(&notify::sms::signed(&m.community_name, &zh), self.cfg.max_parts);
                let url = self.cfg.sms_gateway.as_deref().unwrap_or_default();
                let body =
                    SmsBody { idempotency_key: &key, params: &params, template: &m.kind, text: &text, to: &j.to };
                let bytes = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
                channels::post_signed(&self.http, url, &self.cfg.secret, bytes, &key).await.map(|_| "sms")
            }
            Channel::Webhook => {
                let en = en()?;
                let url = self.cfg.webhook.as_deref().unwrap_or_default();
                let body = WebhookBody {
                    case_id: m.case_id,
                    community: &m.community_name,
                    idempotency_key: &key,
                    kind: &m.kind,
                    recipient_kind: &m.recipient_kind,
                    text_en: &en,
                    text_zh: &zh,
                    to: &j.to,
                };
                let bytes = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
                channels::post_signed(&self.http, url, &self.cfg.webhook_secret, bytes, &key).await.map(|_| "webhook")
            }
            Channel::Email => {
                let en = en()?;
                let relay = self.cfg.smtp.as_ref().ok_or("SMTP not configured")?;
                let subject = match m.case_id {
                    Some(c) => format!("【{}】第{c}号案件通知", m.community_name),
                    None => format!("【{}】通知", m.community_name),
                };
                let text = format!("{zh}\r\n\r\n{en}\r\n");
                relay.send(&j.to, &subject, &text, &key).await.map(|_| "email")
            }
        }
    }

    /// Waits for the gateway's next token. The waiter holding the lock is the
    /// only one asleep, and it sleeps until a group of tokens is in the bucket,
    /// so the pace costs one timer for each group, not one for each message.
    async fn wait_for_token(&self) {
        let mut bucket = self.bucket.lock().await;
        loop {
            let now_ms = self.start.elapsed().as_millis() as u64;
            if bucket.take(now_ms).is_ok() {
                return;
            }
            let ms = bucket.ready_in(self.group, now_ms);
            tokio::time::sleep(Duration::from_millis(ms.max(1))).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sms_body_is_the_json_the_gateway_has_always_been_sent() {
        let params = BTreeMap::from([
            ("body".into(), "您好".into()),
            ("case".into(), "7".into()),
            ("community".into(), "A".into()),
        ]);
        let typed =
            SmsBody { idempotency_key: "k", params: &params, template: "case_ack", text: "【A】您好", to: "139" };
        let value = serde_json::json!({
            "to": "139", "text": "【A】您好", "template": "case_ack", "params": params, "idempotency_key": "k",
        });
        assert_eq!(serde_json::to_vec(&typed).unwrap(), serde_json::to_vec(&value).unwrap());
        let web = WebhookBody {
            case_id: None,
            community: "A",
            idempotency_key: "k",
            kind: "notice",
            recipient_kind: "staff",
            text_en: "hi",
            text_zh: "您好",
            to: "x",
        };
        let value = serde_json::json!({
            "to": "x", "recipient_kind": "staff", "kind": "notice", "case_id": None::<i64>,
            "community": "A", "text_zh": "您好", "text_en": "hi", "idempotency_key": "k",
        });
        assert_eq!(serde_json::to_vec(&web).unwrap(), serde_json::to_vec(&value).unwrap());
    }
}
