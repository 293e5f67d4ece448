//! Email to staff through SMTP: a small client (EHLO, STARTTLS or implicit
//! TLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT; UTF-8 subject and body in base64)
//! and, for `shequ sms-sink` and the tests, a small server that prints what it
//! takes (plain, and it accepts any AUTH, recording the user name).
//!
//! `SHEQU_SMTP_URL`: `smtp://host:25` (plain, a relay on the local network),
//! `smtp+starttls://user:pass@host:587` (STARTTLS required: a server that does
//! not offer it gets nothing) or `smtps://user:pass@host:465` (TLS from the
//! first byte). User and password may be percent-encoded. A password is never
//! sent in clear to another machine: credentials on a plain `smtp://` URL are
//! refused unless the host is this machine.

use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// Plain SMTP (a local relay).
    None,
    /// Plain, then STARTTLS before anything else; refused if not offered.
    StartTls,
    /// TLS from the first byte (port 465).
    Implicit,
}

/// An SMTP server to send through: `host:port`, protection, login and the sender's address.
#[derive(Clone)]
pub struct Relay {
    pub addr: String,
    pub tls: Tls,
    /// User and password for AUTH PLAIN.
    pub auth: Option<(String, String)>,
    pub from: String,
}

impl std::fmt::Debug for Relay {
    /// The password stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("addr", &self.addr)
            .field("tls", &self.tls)
            .field("user", &self.auth.as_ref().map(|a| &a.0))
            .field("from", &self.from)
            .finish()
    }
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

/// `%XX` decoding for the user and password of a URL.
fn percent_decode(s: &str) -> anyhow::Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3).ok_or_else(|| anyhow::anyhow!("bad %-escape in SHEQU_SMTP_URL"))?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| anyhow::anyhow!("bad %-escape in SHEQU_SMTP_URL"))?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8(out)?)
}

/// Any stream SMTP runs over: TCP, or TLS over TCP.
trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

async fn tls(stream: Box<dyn Io>, host: &str) -> Result<Box<dyn Io>, String> {
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| format!("邮件服务器名称无效 / bad SMTP host name: {e}"))?;
    let c = tokio_rustls::TlsConnector::from(Arc::new(super::channels::tls_config()));
    let s = c.connect(name, stream).await.map_err(|e| format!("邮件服务器 TLS 握手失败 / SMTP TLS handshake: {e}"))?;
    Ok(Box::new(s))
}

impl Relay {
    /// A plain relay without login (the tests' sink).
    pub fn plain(addr: impl Into<String>, from: impl Into<String>) -> Relay {
        Relay { addr: addr.into(), tls: Tls::None, auth: None, from: from.into() }
    }

    pub fn parse(url: &str, from: &str) -> anyhow::Result<Relay> {
        let (tls, rest) = if let Some(r) = url.strip_prefix("smtps://") {
            (Tls::Implicit, r)
        } else if let Some(r) = url.strip_prefix("smtp+starttls://") {
            (Tls::StartTls, r)
        } else if let Some(r) = url.strip_prefix("smtp://") {
            (Tls::None, r)
        } else {
            anyhow::bail!("SHEQU_SMTP_URL must be smtp://, smtp+starttls:// or smtps:// host:port");
        };
        let rest = rest.trim_end_matches('/');
        let (auth, host) = match rest.rsplit_once('@') {
            Some((cred, host)) => {
                let (u, p) = cred.split_once(':').unwrap_or((cred, ""));
                (Some((percent_decode(u)?, percent_decode(p)?)), host)
            }
            None => (None, rest),
        };
        let port = match tls {
            Tls::None => 25,
            Tls::StartTls => 587,
            Tls::Implicit => 465,
        };
        let addr = if host.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) {
            host.to_string()
        } else {
            format!("{host}:{port}")
        };
        let local = ["localhost:", "127.", "[::1]:"].iter().any(|p| addr.starts_with(p));
        if auth.is_some() && tls == Tls::None && !local {
            anyhow::bail!("SHEQU_SMTP_URL: a password goes only over TLS (smtps:// or smtp+starttls://)");
        }
        clean(from).map_err(|e| anyhow::anyhow!(e))?;
        Ok(Relay { addr, tls, auth, from: from.to_string() })
    }

    fn host(&self) -> &str {
        let h = self.addr.rsplit_once(':').map_or(self.addr.as_str(), |(h, _)| h);
        h.trim_start_matches('[').trim_end_matches(']')
    }

    /// Sends one message; Ok once the relay accepted it (250 after DATA).
    pub async fn send(&self, to: &str, subject: &str, text: &str, key: &str) -> Result<(), String> {
        let to = clean(to)?;
        let fut = async {
            let tcp = TcpStream::connect(&self.addr)
                .await
                .map_err(|e| format!("邮件服务器无法连接 / SMTP unreachable: {e}"))?;
            let mut io: Box<dyn Io> = Box::new(tcp);
            if self.tls == Tls::Implicit {
                io = tls(io, self.host()).await?;
            }
            let mut s = BufReader::new(io);
            reply(&mut s, 220).await?;
            let mut caps = command(&mut s, "EHLO shequ\r\n", 250).await?;
            if self.tls == Tls::StartTls {
                if !caps.iter().any(|c| c.eq_ignore_ascii_case("STARTTLS")) {
                    return Err("邮件服务器不支持 STARTTLS，未发送 / SMTP server offers no STARTTLS: not sent".into());
                }
                command(&mut s, "STARTTLS\r\n", 220).await?;
                s = BufReader::new(tls(s.into_inner(), self.host()).await?);
                caps = command(&mut s, "EHLO shequ\r\n", 250).await?;
            }
            if let Some((user, pass)) = &self.auth {
                if !caps.iter().any(|c| c.to_ascii_uppercase().starts_with("AUTH")) {
                    return Err("邮件服务器不接受登录 / SMTP server offers no AUTH".into());
                }
                let token = base64(format!("\0{user}\0{pass}").as_bytes());
                command(&mut s, &format!("AUTH PLAIN {token}\r\n"), 235)
                    .await
                    .map_err(|e| format!("邮件服务器登录失败 / SMTP login refused: {e}"))?;
            }
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
                (format!("MAIL FROM:<{}>\r\n", self.from), 250),
                (format!("RCPT TO:<{to}>\r\n"), 250),
                ("DATA\r\n".to_string(), 354),
                (data, 250),
            ] {
                command(&mut s, &cmd, code).await?;
            }
            let _ = s.write_all(b"QUIT\r\n").await;
            let _ = s.flush().await;
            Ok(())
        };
        tokio::time::timeout(std::time::Duration::from_secs(15), fut).await.map_err(|_| "SMTP timed out".to_string())?
    }
}

/// Sends one command and reads its reply.
async fn command<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut BufReader<S>,
    cmd: &str,
    code: u16,
) -> Result<Vec<String>, String> {
    s.write_all(cmd.as_bytes()).await.map_err(|e| e.to_string())?;
    s.flush().await.map_err(|e| e.to_string())?;
    reply(s, code).await
}

/// Reads one (possibly multi-line) reply, checks its code, and gives its
/// lines' text (for EHLO: the server's capabilities).
async fn reply<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R, code: u16) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.map_err(|e| e.to_string())? == 0 {
            return Err("SMTP connection closed".into());
        }
        let got: u16 = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
        if got != code {
            return Err(format!("SMTP answered {}", line.trim()));
        }
        lines.push(line.get(4..).unwrap_or("").trim().to_string());
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok(lines);
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
    /// The user name given with AUTH PLAIN, if any.
    pub auth_user: Option<String>,
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
    Mail { from, to, subject, idempotency_key: header("Idempotency-Key"), text, auth_user: None }
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
            let (mut from, mut to, mut user) = (String::new(), Vec::new(), None);
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                let up = line.to_ascii_uppercase();
                let reply: &[u8] = if up.starts_with("EHLO") || up.starts_with("HELO") {
                    b"250-shequ\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n"
                } else if up.starts_with("AUTH PLAIN ") {
                    let plain = unbase64(line[11..].trim());
                    let mut parts = plain.split(|b| *b == 0).skip(1);
                    user = parts.next().map(|u| String::from_utf8_lossy(u).into_owned());
                    b"235 OK\r\n"
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
                    let mut mail = decode_mail(std::mem::take(&mut from), std::mem::take(&mut to), &data);
                    mail.auth_user = user.clone();
                    took(mail);
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

    #[test]
    fn urls_name_the_protection_port_and_login() {
        use super::{Relay, Tls};
        let r = Relay::parse("smtps://ops%40city:p%3Ass@mail.example.cn", "shequ@example.cn").unwrap();
        assert_eq!((r.addr.as_str(), r.tls), ("mail.example.cn:465", Tls::Implicit));
        assert_eq!(r.auth, Some(("ops@city".into(), "p:ss".into())));
        let r = Relay::parse("smtp+starttls://u:p@mail.example.cn:2587", "a@b").unwrap();
        assert_eq!((r.addr.as_str(), r.tls), ("mail.example.cn:2587", Tls::StartTls));
        assert_eq!(Relay::parse("smtp://relay", "a@b").unwrap().addr, "relay:25");
        assert!(!format!("{r:?}").contains("\"p\""), "no password in logs");
        // A password in clear to another machine is refused; to this machine it is allowed.
        assert!(Relay::parse("smtp://u:p@mail.example.cn", "a@b").is_err());
        assert!(Relay::parse("smtp://u:p@127.0.0.1:2525", "a@b").is_ok());
        assert!(Relay::parse("http://x", "a@b").is_err());
    }

    async fn sink() -> (String, std::sync::Arc<std::sync::Mutex<Vec<super::Mail>>>) {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap().to_string();
        let got: std::sync::Arc<std::sync::Mutex<Vec<super::Mail>>> = Default::default();
        let g = got.clone();
        tokio::spawn(super::serve_sink(l, move |m| g.lock().unwrap().push(m)));
        (addr, got)
    }

    #[tokio::test]
    async fn auth_plain_is_sent_when_the_url_has_credentials() {
        let (addr, got) = sink().await;
        let r = super::Relay::parse(&format!("smtp://staff%40city:secret@{addr}"), "shequ@example.cn").unwrap();
        r.send("ops@example.cn", "主题", "正文", "shequ-1-x").await.unwrap();
        let mails = got.lock().unwrap();
        assert_eq!(mails[0].auth_user.as_deref(), Some("staff@city"));
        assert_eq!(mails[0].text, "正文");
        drop(mails);
        super::Relay::plain(addr, "shequ@example.cn").send("ops@example.cn", "s", "t", "k").await.unwrap();
        assert_eq!(got.lock().unwrap()[1].auth_user, None, "no credentials: no AUTH");
    }

    #[tokio::test]
    async fn starttls_required_and_not_offered_sends_nothing() {
        let (addr, got) = sink().await;
        let r = super::Relay::parse(&format!("smtp+starttls://{addr}"), "shequ@example.cn").unwrap();
        let e = r.send("ops@example.cn", "s", "t", "k").await.unwrap_err();
        assert!(e.contains("STARTTLS"), "{e}");
        assert!(got.lock().unwrap().is_empty());
        // Implicit TLS to a plain server fails in the handshake, and says so.
        let r = super::Relay::parse(&format!("smtps://{addr}"), "shequ@example.cn").unwrap();
        let e = r.send("ops@example.cn", "s", "t", "k").await.unwrap_err();
        assert!(e.contains("TLS") || e.contains("timed out"), "{e}");
    }
}
