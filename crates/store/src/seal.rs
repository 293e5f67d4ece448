//! Citizen ID numbers at rest (rules §6.4): sealed with ChaCha20-Poly1305 and
//! found again through a keyed blind index (HMAC-SHA256), so the database
//! never holds the number in clear and equality search still works.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct Seal {
    cipher: ChaCha20Poly1305,
    index_key: [u8; 32],
}

// Keys never appear in Debug output.
impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seal(***)")
    }
}

fn derive(label: &str, master: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(label.as_bytes());
    h.update(master);
    h.finalize().into()
}

impl Seal {
    pub fn new(master: [u8; 32]) -> Seal {
        let enc = derive("shequ-seal-v1", &master);
        let cipher = ChaCha20Poly1305::new_from_slice(&enc).expect("32-byte key");
        Seal { cipher, index_key: derive("shequ-index-v1", &master) }
    }

    /// Parse a 64-hex-digit master key.
    pub fn from_hex(hex_key: &str) -> Option<Seal> {
        let bytes = hex::decode(hex_key.trim()).ok()?;
        let arr: [u8; 32] = bytes.try_into().ok()?;
        Some(Seal::new(arr))
    }

    pub fn generate_hex() -> String {
        hex::encode(rand::random::<[u8; 32]>())
    }

    pub fn seal(&self, plain: &str) -> String {
        let nonce_bytes: [u8; 12] = rand::random();
        let nonce = Nonce::from(nonce_bytes);
        let ct = self.cipher.encrypt(&nonce, plain.as_bytes()).expect("encryption does not fail");
        let mut out = nonce_bytes.to_vec();
        out.extend(ct);
        hex::encode(out)
    }

    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = hex::decode(sealed).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let nonce_bytes: [u8; 12] = bytes[..12].try_into().ok()?;
        let plain = self.cipher.decrypt(&Nonce::from(nonce_bytes), &bytes[12..]).ok()?;
        String::from_utf8(plain).ok()
    }

    /// Deterministic keyed digest for uniqueness and exact search.
    pub fn index(&self, plain: &str) -> String {
        let mut mac = <Hmac<Sha256>>::new_from_slice(&self.index_key).expect("any key length");
        mac.update(plain.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trip_and_index_is_stable() {
        let s = Seal::new([7; 32]);
        let a = s.seal("34052419800101001X");
        let b = s.seal("34052419800101001X");
        assert_ne!(a, b, "fresh nonce each time");
        assert_eq!(s.open(&a).as_deref(), Some("34052419800101001X"));
        assert_eq!(s.index("x"), s.index("x"));
        assert_ne!(Seal::new([8; 32]).index("x"), s.index("x"));
        assert!(Seal::new([8; 32]).open(&a).is_none());
    }
}
