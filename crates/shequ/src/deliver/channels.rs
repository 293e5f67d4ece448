//! The HTTP channels: the SMS gateway and the webhook, a JSON POST signed
//! with HMAC-SHA256 over the exact body (`notify::sign`), over HTTP or HTTPS
//! (rustls with the *ring* provider, the system's root certificates).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{Client, connect::HttpConnector};
use std::time::Duration;

/// One pooled client for the gateways: `http://` and `https://` URLs.
#[derive(Clone)]
pub struct Http {
    client: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
    timeout: Duration,
}

/// The TLS settings for gateways, webhooks and SMTP: rustls on *ring*, TLS 1.2
/// and 1.3, and the system's root certificates (none found: no TLS server is
/// trusted, and every HTTPS or SMTPS delivery fails with that error recorded).
/// *ring* (deprecated in rustls 0.23.48 for lacking post-quantum key exchange)
/// rather than aws-lc-rs, whose C build this project does not take on.
#[allow(deprecated)]
pub fn tls_config() -> rustls::ClientConfig {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports TLS 1.2 and 1.3")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

impl Http {
    pub fn new(max_idle: usize, timeout: Duration) -> Http {
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls_config())
            .https_or_http()
            .enable_http1()
            .build();
        let client =
            Client::builder(hyper_util::rt::TokioExecutor::new()).pool_max_idle_per_host(max_idle.max(1)).build(https);
        Http { client, timeout }
    }
}

/// POSTs the JSON `bytes` signed with `secret`, with the message's
/// idempotency `key` also as a header; Ok on a 2xx answer, else the error to
/// record (status and the start of the answer, or the connection error).
pub async fn post_signed(http: &Http, url: &str, secret: &[u8], bytes: Vec<u8>, key: &str) -> Result<(), String> {
    let sig = notify::sign::sign(secret, &bytes);
    let req = hyper::Request::post(url)
        .header("content-type", "application/json")
        .header(notify::sign::HEADER, sig)
        .header("idempotency-key", key)
        .body(Full::new(Bytes::from(bytes)))
        .map_err(|e| format!("网关地址无效 / bad gateway URL: {e}"))?;
    let fut = async {
        let r = http.client.request(req).await.map_err(|e| format!("网关无法连接 / gateway unreachable: {e:?}"))?;
        let status = r.status();
        let text = r.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
        if status.is_success() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&text);
        Err(format!("网关拒绝 / gateway answered {status}: {}", text.chars().take(200).collect::<String>()))
    };
    tokio::time::timeout(http.timeout, fut).await.map_err(|_| "网关超时 / gateway timed out".to_string())?
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tls_settings_build_on_ring() {
        let c = super::tls_config();
        assert!(c.crypto_provider().cipher_suites.iter().any(|s| s.version() == &rustls::version::TLS13));
    }

    #[tokio::test]
    async fn an_https_url_is_tried_over_tls() {
        // A plain-HTTP listener: the TLS handshake fails, and the error says so.
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let (mut s, _) = l.accept().await.unwrap();
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").await;
        });
        let http = super::Http::new(1, std::time::Duration::from_secs(5));
        let body = br#"{"idempotency_key":"k"}"#.to_vec();
        let e = super::post_signed(&http, &format!("https://{addr}/sms"), b"s", body, "k").await.unwrap_err();
        assert!(e.contains("gateway unreachable"), "{e}");
    }
}
