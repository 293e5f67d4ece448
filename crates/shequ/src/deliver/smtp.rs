//! Email to staff through an SMTP relay on the local network: a small client
//! (EHLO, MAIL, RCPT, DATA, QUIT; UTF-8 subject and body in base64) and, for
//! `shequ sms-sink` and the tests, a small server that prints what it takes.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// An SMTP relay: `smtp://host:port` and the sender's address.
#[derive(Debug, Clone)]
pub struct Relay {
    pub addr: String,
    pub from: String,
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

pub fn unbase64(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for b in s.bytes() {
        let Some(v) = B64.iter().position(|&x| x == b) else { continue };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn clean(addr: &str) -> Result<&str, String> {
    let a = addr.trim();
    if a.contains(['<', '>', '\r', '\n']) || !a.contains('@') {
        return Err(format!("not an email address: {a}"));
    }
    Ok(a)
}

impl Relay {
    pub fn parse(url: &str, from: &str) -> anyhow::Result<Relay> {
        let rest =
            url.strip_prefix("smtp://").ok_or_else(|| anyhow::anyhow!("SHEQU_SMTP_URL must be smtp://host:port"))?;
        let addr = rest.trim_end_matches('/');
        let addr = if addr.contains(':') { addr.to_string() } else { format!("{addr}:25") };
        clean(from).map_err(|e| anyhow::anyhow!(e))?;
        Ok(Relay { addr, from: from.to_string() })
    }

    /// Sends one message; Ok once the relay accepted it (250 after DATA).
    pub async fn send(&self, to: &str, subject: &str, text: &str, key: &str) -> Result<(), String> {
        let to = clean(to)?;
        let fut = async {
            let stream = TcpStream::connect(&self.addr)
                .await
                .map_err(|e| format!("邮件服务器无法连接 / SMTP unreachable: {e}"))?;
            let (r, mut w) = stream.into_split();
            let mut r = BufReader::new(r);
            expect(&mut r, 220).await?;
            let body = base64(text.as_bytes());
            let lines: Vec<String> =
                body.as_bytes().chunks(76).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
            let data = format!(
                "From: <{from}>\r\nTo: <{to}>\r\nSubject: =?UTF-8?B?{subj}?=\r\nMessage-ID: <{key}@shequ>\r\n\
                 Idempotency-Key: {key}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n{body}\r\n.\r\n",
                from = self.from,
                subj = base64(subject.as_bytes()),
                body = lines.join("\r\n"),
            );
            for (cmd, code) in [
                ("EHLO shequ\r\n".to_string(), 250),
                (format!("MAIL FROM:<{}>\r\n", self.from), 250),
                (format!("RCPT TO:<{to}>\r\n"), 250),
                ("DATA\r\n".to_string(), 354),
                (data, 250),
            ] {
                w.write_all(cmd.as_bytes()).await.map_err(|e| e.to_string())?;
                expect(&mut r, code).await?;
            }
            let _ = w.write_all(b"QUIT\r\n").await;
            Ok(())
        };
        tokio::time::timeout(std::time::Duration::from_secs(15), fut).await.map_err(|_| "SMTP timed out".to_string())?
    }
}

/// Reads one (possibly multi-line) reply and checks its code.
async fn expect<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R, code: u16) -> Result<(), String> {
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.map_err(|e| e.to_string())? == 0 {
            return Err("SMTP connection closed".into());
        }
        let got: u16 = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
        if got != code {
            return Err(format!("SMTP answered {}", line.trim()));
        }
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok(());
        }
    }
}

/// A mail the sink took.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub idempotency_key: String,
    pub text: String,
}

fn decode_mail(from: String, to: Vec<String>, data: &str) -> Mail {
    let (head, body) = data.split_once("\r\n\r\n").unwrap_or((data, ""));
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default()
    };
    let subject = header("Subject");
    let subject = match subject.strip_prefix("=?UTF-8?B?").and_then(|s| s.strip_suffix("?=")) {
        Some(b) => String::from_utf8_lossy(&unbase64(b)).into_owned(),
        None => subject,
    };
    let text = if header("Content-Transfer-Encoding").eq_ignore_ascii_case("base64") {
        String::from_utf8_lossy(&unbase64(body)).into_owned()
    } else {
        body.to_string()
    };
    Mail { from, to, subject, idempotency_key: header("Idempotency-Key"), text }
}

/// Serves SMTP on `listener`, handing each mail to `took`.
pub async fn serve_sink(listener: tokio::net::TcpListener, took: impl Fn(Mail) + Clone + Send + Sync + 'static) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let took = took.clone();
        tokio::spawn(async move {
            let (r, mut w) = stream.into_split();
            let mut r = BufReader::new(r);
            let _ = w.write_all(b"220 shequ sms-sink\r\n").await;
            let (mut from, mut to) = (String::new(), Vec::new());
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                let up = line.to_ascii_uppercase();
                let reply: &[u8] = if up.starts_with("EHLO") || up.starts_with("HELO") {
                    b"250-shequ\r\n250 8BITMIME\r\n"
                } else if up.starts_with("MAIL FROM:") {
                    from = line[10..].trim().trim_matches(['<', '>']).to_string();
                    b"250 OK\r\n"
                } else if up.starts_with("RCPT TO:") {
                    to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                    b"250 OK\r\n"
                } else if up.starts_with("DATA") {
                    let _ = w.write_all(b"354 go on\r\n").await;
                    let mut data = String::new();
                    loop {
                        let mut l = String::new();
                        if r.read_line(&mut l).await.unwrap_or(0) == 0 {
                            return;
                        }
                        if l == ".\r\n" || l == ".\n" {
                            break;
                        }
                        data.push_str(l.strip_prefix('.').filter(|_| l.starts_with("..")).unwrap_or(&l));
                    }
                    took(decode_mail(std::mem::take(&mut from), std::mem::take(&mut to), &data));
                    b"250 OK queued\r\n"
                } else if up.starts_with("QUIT") {
                    let _ = w.write_all(b"221 bye\r\n").await;
                    return;
                } else {
                    b"250 OK\r\n"
                };
                if w.write_all(reply).await.is_err() {
                    return;
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_round_trips() {
        for s in ["", "a", "ab", "abc", "社区通知：第42号"] {
            assert_eq!(super::unbase64(&super::base64(s.as_bytes())), s.as_bytes());
        }
        assert_eq!(super::base64(b"Man"), "TWFu");
        assert_eq!(super::base64(b"Ma"), "TWE=");
    }
}
