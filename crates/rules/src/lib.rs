//! Pure rules of shequ's foundation, each named after its source and tested
//! against the vectors the source gives. No I/O, no async.
#![forbid(unsafe_code)]

pub mod assembly;
pub mod between;
pub mod committee;
pub mod dates;
pub mod division;
pub mod fuzz;
pub mod gb11643;
pub mod gb32100;
pub mod minors;
pub mod orgs;
pub mod party;
pub mod redact;
pub mod text;

/// A message in both of shequ's languages, so every rejection can be shown
/// to a front-desk worker in Chinese and to an API client in English. The one
/// bilingual message type of every engine (`cases`, `ledger` and `lists`
/// re-export it) and of the store's errors.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Msg {
    pub zh: String,
    pub en: String,
}

impl Msg {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Msg { zh: zh.into(), en: en.into() }
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}
