//! The load generator's side of `shequ bench intake`: one keep-alive
//! HTTP/1.1 connection per simulated client, as wrk or oha open them — no
//! connection pool, URL parsing or cookie jar per request — so that the two
//! cores the client shares with the server go to the server as far as they can.

use anyhow::Result;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, COOKIE, HOST};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;

pub struct Conn {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

/// What every request of a phase carries besides its body.
#[derive(Clone, Default)]
pub struct Headers {
    pub content_type: &'static str,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
}

impl Conn {
    pub async fn open(addr: SocketAddr) -> Result<Conn> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Conn { sender, host: addr.to_string() })
    }

    /// POSTs `body` to `path`; the status once the whole response is read,
    /// or None if the connection failed.
    pub async fn post(&mut self, path: &str, h: &Headers, body: String) -> Option<u16> {
        self.sender.ready().await.ok()?;
        let mut req = hyper::Request::post(path).header(HOST, &self.host).header(CONTENT_TYPE, h.content_type);
        if let Some(c) = &h.cookie {
            req = req.header(COOKIE, c);
        }
        if let Some(t) = &h.csrf {
            req = req.header("x-csrf-token", t);
        }
        let resp = self.sender.send_request(req.body(Full::new(Bytes::from(body))).ok()?).await.ok()?;
        let status = resp.status().as_u16();
        resp.into_body().collect().await.ok()?;
        Some(status)
    }
}

/// The `Cookie` header a browser would send back after `resp`.
pub fn cookie_of(resp: &reqwest::Response) -> Option<String> {
    let pairs: Vec<&str> = resp
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect();
    (!pairs.is_empty()).then(|| pairs.join("; "))
}
