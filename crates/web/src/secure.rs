//! The response headers every answer carries (CSP, framing, referrer, MIME
//! sniffing), `Secure` cookies over HTTPS, who the client is behind a trusted
//! proxy, and whether a browser's request comes from this site (the Origin
//! check that protects the log-in form and multipart forms from cross-site
//! requests).

use crate::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// How the server is reached: set by `shequ serve --https --trusted-proxy`.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Served over HTTPS (directly or by a proxy): cookies are `Secure`, HSTS is sent.
    pub https: bool,
    /// The reverse proxy whose `X-Forwarded-Proto`, `X-Forwarded-For` and
    /// `X-Forwarded-Host` are believed; from anyone else they are ignored.
    pub trusted_proxy: Option<IpAddr>,
}

/// Scripts only from this site's files (no inline script, no eval), nothing
/// framed anywhere, forms posting only here. Styles allow `style=` attributes.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn peer(req_ext: &axum::http::Extensions) -> Option<IpAddr> {
    req_ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

/// Did the request come through the trusted proxy?
fn via_proxy(s: &Settings, ext: &axum::http::Extensions) -> bool {
    s.trusted_proxy.is_some() && peer(ext) == s.trusted_proxy
}

fn forwarded<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(|v| v.split(',').next().unwrap_or("").trim())
}

/// Is this request served over HTTPS (the setting, or the trusted proxy says so)?
pub fn is_https(s: &Settings, headers: &HeaderMap, ext: &axum::http::Extensions) -> bool {
    s.https
        || (via_proxy(s, ext)
            && forwarded(headers, "x-forwarded-proto").is_some_and(|p| p.eq_ignore_ascii_case("https")))
}

/// The client's address: the peer, or the first `X-Forwarded-For` hop the trusted proxy reports.
pub fn client(s: &Settings, headers: &HeaderMap, ext: &axum::http::Extensions) -> String {
    if via_proxy(s, ext)
        && let Some(ip) = forwarded(headers, "x-forwarded-for").and_then(|v| v.parse::<IpAddr>().ok())
    {
        return ip.to_string();
    }
    peer(ext).map(|ip| ip.to_string()).unwrap_or_default()
}

/// Does a browser say this request comes from another site? `Origin` (or,
/// without it, `Sec-Fetch-Site`) naming anything but this host is cross-site;
/// `Origin: null` too. A request with neither (a program, not a browser) is not.
pub fn cross_site(s: &Settings, headers: &HeaderMap, ext: &axum::http::Extensions) -> bool {
    let host = if via_proxy(s, ext) { forwarded(headers, "x-forwarded-host") } else { None }
        .or_else(|| headers.get(header::HOST).and_then(|v| v.to_str().ok()));
    match headers.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("null")) {
        Some(origin) => {
            let authority = origin.split_once("://").map(|(_, a)| a);
            authority.is_none() || authority != host
        }
        None => headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !matches!(v, "same-origin" | "none")),
    }
}

/// Does a browser say this request comes from this very site? `Origin`
/// naming this host (positive evidence, unlike [`cross_site`]'s absence of it).
pub fn same_site(s: &Settings, headers: &HeaderMap, ext: &axum::http::Extensions) -> bool {
    headers.contains_key(header::ORIGIN) && !cross_site(s, headers, ext)
}

/// The client's address as [`client`] finds it, for handlers (log-in throttling).
#[derive(Debug, Clone, Default)]
pub struct Client(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Client>().cloned().unwrap_or_default())
    }
}

/// Adds the security headers to every answer, and `Secure` to its cookies
/// over HTTPS; tells the handlers who the client is ([`Client`]).
pub async fn headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let https = is_https(&state.settings, req.headers(), req.extensions());
    let who = Client(client(&state.settings, req.headers(), req.extensions()));
    req.extensions_mut().insert(who);
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
        let cookies: Vec<HeaderValue> = h.get_all(header::SET_COOKIE).iter().cloned().collect();
        h.remove(header::SET_COOKIE);
        for c in cookies {
            let secure = match c.to_str() {
                Ok(s) if !s.to_ascii_lowercase().contains("; secure") => {
                    HeaderValue::from_str(&format!("{s}; Secure")).unwrap_or(c)
                }
                _ => c,
            };
            h.append(header::SET_COOKIE, secure);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
        }
        h
    }

    fn from(ip: &str) -> axum::http::Extensions {
        let mut e = axum::http::Extensions::new();
        e.insert(ConnectInfo(SocketAddr::new(ip.parse().unwrap(), 5000)));
        e
    }

    #[test]
    fn only_the_trusted_proxy_says_https_and_who_the_client_is() {
        let s = Settings { https: false, trusted_proxy: Some("10.0.0.1".parse().unwrap()) };
        let h = with(&[("x-forwarded-proto", "https"), ("x-forwarded-for", "203.0.113.9, 10.0.0.1")]);
        assert!(is_https(&s, &h, &from("10.0.0.1")));
        assert_eq!(client(&s, &h, &from("10.0.0.1")), "203.0.113.9");
        assert!(!is_https(&s, &h, &from("10.0.0.2")));
        assert_eq!(client(&s, &h, &from("10.0.0.2")), "10.0.0.2");
        assert!(is_https(&Settings { https: true, trusted_proxy: None }, &HeaderMap::new(), &from("10.0.0.2")));
    }

    #[test]
    fn a_request_from_another_site_is_cross_site() {
        let s = Settings::default();
        let e = from("127.0.0.1");
        assert!(!cross_site(&s, &with(&[("host", "a.example:8080"), ("origin", "http://a.example:8080")]), &e));
        assert!(cross_site(&s, &with(&[("host", "a.example:8080"), ("origin", "https://evil.example")]), &e));
        assert!(cross_site(&s, &with(&[("host", "a.example"), ("origin", "null")]), &e));
        assert!(cross_site(&s, &with(&[("host", "a.example"), ("sec-fetch-site", "cross-site")]), &e));
        assert!(!cross_site(&s, &with(&[("host", "a.example"), ("sec-fetch-site", "same-origin")]), &e));
        assert!(!cross_site(&s, &with(&[("host", "a.example")]), &e));
    }
}
