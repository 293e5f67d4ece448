//! Small pieces of HTTP that know nothing of pages, policy or the API:
//! cookies, form bodies and URL encoding. Everything above may use them.

use axum::http::{HeaderMap, header};

/// The value of the cookie `name`, if the request carries it.
pub fn cookie(req_headers: &HeaderMap, name: &str) -> Option<String> {
    req_headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(
        |kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        },
    )
}

/// A redirect target taken from the request (`/lang?back=`, the log-in's
/// `next`), if it is a path on this site: it starts with one `/`, and has no
/// backslash (browsers read `/\evil.com` as another host), no control
/// character (browsers drop tabs and newlines, so `/\t/evil.com` becomes
/// `//evil.com`; a newline would also end the header) and no second `/` or `\`
/// at the start. A scheme (`https://x`) cannot start with `/`.
pub fn local_path(s: &str) -> Option<&str> {
    let mut chars = s.chars();
    let ok = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !s.chars().any(|c| c == '\\' || c.is_control());
    ok.then_some(s)
}

/// Percent-encode for a query value (keeps `/`).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Decode an `application/x-www-form-urlencoded` body into its pairs,
/// keeping repeated keys (checkbox groups), which `Form<T>` cannot.
pub fn form_pairs(body: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        // Valid UTF-8 (nearly always) is kept as it is, without a second copy.
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
    body.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_decode_with_repeated_keys_and_stray_percents() {
        let pairs = form_pairs("a=1&topics=2&topics=3&name=%E5%AE%89+x&bad=%zz&end=%4");
        let got: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            got,
            [("a", "1"), ("topics", "2"), ("topics", "3"), ("name", "安 x"), ("bad", "%zz"), ("end", "%4")]
        );
    }

    #[test]
    fn only_same_site_paths_are_redirect_targets() {
        for ok in ["/", "/residents?q=%E5%BC%A0", "/pb/3?done=voted", "/a/b//c"] {
            assert_eq!(local_path(ok), Some(ok));
        }
        for bad in [
            "//evil.com",
            "/\\evil.com",
            "\\evil.com",
            "/\tevil",
            "/\t/evil.com",
            "/a\nLocation: x",
            "https://x",
            "",
            "evil.com",
            "/\u{85}evil",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn cookies_and_url_encoding() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "lang=en; shequ_session=abc".parse().unwrap());
        assert_eq!(cookie(&h, "shequ_session").as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "nope"), None);
        assert_eq!(urlencode("/cases?q=安"), "/cases%3Fq%3D%E5%AE%89");
    }
}

/// The one file of a multipart upload (field `file`): its name and bytes,
/// refusing more than `max` bytes (the message says 5 MB, the limit of case files).
pub async fn read_file(
    mut mp: axum::extract::Multipart,
    max: usize,
) -> Result<(String, Vec<u8>), crate::error::ApiError> {
    use crate::error::ApiError;
    let too_big = || ApiError::invalid("file", "文件不能超过5MB", "a file may be at most 5 MB");
    while let Ok(Some(mut field)) = mp.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("file").to_string();
        let mut bytes = Vec::new();
        while let Ok(Some(chunk)) = field.chunk().await {
            if bytes.len() + chunk.len() > max {
                return Err(too_big());
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok((name, bytes));
    }
    Err(ApiError::invalid("file", "请选择文件", "choose a file"))
}
