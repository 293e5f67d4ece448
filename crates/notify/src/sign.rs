//! N7 · HMAC-SHA256 signatures: every request to a gateway or webhook and
//! every receipt from one carries `X-Shequ-Signature: sha256=<hex>` over the
//! exact body, keyed with the shared secret; checked in constant time.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The header that carries the signature.
pub const HEADER: &str = "x-shequ-signature";

/// `sha256=<hex of HMAC-SHA256(secret, body)>`.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// N7: true when `header` is the body's signature under `secret`.
pub fn verify(secret: &[u8], body: &[u8], header: &str) -> bool {
    let Some(hexed) = header.trim().strip_prefix("sha256=") else { return false };
    let Ok(given) = hex::decode(hexed) else { return false };
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret).expect("any key length");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// A message's idempotency key: the same on every attempt at it, different
/// for every message (its id, when it was queued, and to whom).
pub fn idempotency_key(id: i64, created_at: &str, recipient: &str) -> String {
    let mut h = Sha256::new();
    h.update(format!("{id}\u{1f}{created_at}\u{1f}{recipient}").as_bytes());
    format!("shequ-{id}-{}", &hex::encode(h.finalize())[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_n7_a_signature_verifies_under_its_secret_only() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let s = sign(b"secret", b"{\"to\":\"1\"}");
        assert!(verify(b"secret", b"{\"to\":\"1\"}", &s));
        assert!(!verify(b"other", b"{\"to\":\"1\"}", &s), "another secret");
        assert!(!verify(b"secret", b"{\"to\":\"2\"}", &s), "another body");
        assert!(!verify(b"secret", b"x", "md5=00"), "another scheme");
        assert!(!verify(b"secret", b"x", "sha256=zz"), "not hex");
    }

    #[test]
    fn rule_n7_the_idempotency_key_is_stable_per_message() {
        let a = idempotency_key(7, "2026-03-02T02:00:00Z", "13800000000");
        assert_eq!(a, idempotency_key(7, "2026-03-02T02:00:00Z", "13800000000"));
        assert_ne!(a, idempotency_key(8, "2026-03-02T02:00:00Z", "13800000000"));
        assert_ne!(a, idempotency_key(7, "2026-03-02T02:00:01Z", "13800000000"));
    }
}
