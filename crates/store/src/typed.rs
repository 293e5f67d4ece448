//! Values stored as one of a fixed set of words: statuses, channels, kinds.
//!
//! A column holds the word (`"in_progress"`, `"counter"`); the row types carry
//! the enum, decoded from the column once, in [`Text`]'s one conversion per
//! enum: an unknown word in the database fails the read as a store error,
//! never as a silent default. The JSON API shows the same words as before.
//! Where an engine already has the enum (`cases::Status`, `cases::state::Channel`,
//! `lists::ListKind`) the store reuses it; the store's own enums sit beside
//! the module that owns the concept and are declared with [`words!`].

use crate::StoreError;
use crate::error::bad;
use sqlx::Any;
use sqlx::error::BoxDynError;
use sqlx::types::Type;

/// One of a fixed set of words.
pub trait Word: Sized + Copy + PartialEq + std::fmt::Debug + 'static {
    /// What the value is, for error messages ("case status").
    const WHAT: &'static str;
    /// Every value, in declaration order.
    const ALL: &'static [Self];

    /// The stored and serialised word.
    fn word(self) -> &'static str;

    /// The value a word names; an unknown word is an error.
    fn from_word(s: &str) -> Result<Self, UnknownWord> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.word() == s)
            .ok_or_else(|| UnknownWord { what: Self::WHAT, word: s.to_string() })
    }

    /// The value a word from user input names; an unknown word is the
    /// input's fault (422 naming `field`).
    fn parse_field(s: &str, field: &str) -> Result<Self, StoreError> {
        Self::from_word(s.trim()).map_err(|e| bad(field, format!("无效的取值：{}", e.word), e.to_string()))
    }
}

/// A word no value of the enum is stored as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what}: {word:?}")]
pub struct UnknownWord {
    pub what: &'static str,
    pub word: String,
}

impl From<UnknownWord> for StoreError {
    /// A stored word that names nothing: the database is not what the code expects.
    fn from(e: UnknownWord) -> Self {
        StoreError::Config(e.to_string())
    }
}

/// A text column on its way to a [`Word`]: the row types say
/// `#[sqlx(try_from = "crate::typed::Text")]` on a field whose enum comes from
/// an engine (no sqlx impl can be written for it here).
pub struct Text(pub String);

impl Type<Any> for Text {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }
    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for Text {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        <String as sqlx::Decode<'r, Any>>::decode(value).map(Text)
    }
}

/// Serde for a [`Word`] field whose enum comes from an engine and serialises
/// otherwise there (`#[serde(with = "crate::typed::word")]`).
pub mod word {
    use super::Word;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: Word, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.word())
    }

    pub fn deserialize<'de, T: Word, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let s = String::deserialize(d)?;
        T::from_word(&s).map_err(serde::de::Error::custom)
    }
}

/// A JSON text column parsed once, when the row is read: `value` is what the
/// code uses, `text` what is stored and what the JSON API shows (unchanged).
/// A text that does not parse fails the read as a store error.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonText<T> {
    pub text: String,
    pub value: T,
}

impl<T: serde::Serialize> JsonText<T> {
    /// The value and its text, for a write.
    pub fn new(value: T) -> Result<Self, StoreError> {
        let text = serde_json::to_string(&value).map_err(|e| StoreError::Config(format!("serialising: {e}")))?;
        Ok(JsonText { text, value })
    }
}

impl<T> std::ops::Deref for JsonText<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> serde::Serialize for JsonText<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<T> Type<Any> for JsonText<T> {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }
    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r, T: serde::de::DeserializeOwned> sqlx::Decode<'r, Any> for JsonText<T> {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as sqlx::Decode<'r, Any>>::decode(value)?;
        let value = serde_json::from_str(&text)?;
        Ok(JsonText { text, value })
    }
}

/// Declares the words of an enum defined elsewhere (an engine's): [`Word`],
/// the decoding from [`Text`], and binding as a [`crate::sql::Val`].
macro_rules! engine_words {
    ($ty:ty, $what:literal, { $($v:path => $w:literal),+ $(,)? }) => {
        impl $crate::typed::Word for $ty {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$($v),+];
            fn word(self) -> &'static str {
                match self {
                    $($v => $w),+
                }
            }
        }
        impl TryFrom<$crate::typed::Text> for $ty {
            type Error = $crate::typed::UnknownWord;
            fn try_from(t: $crate::typed::Text) -> Result<Self, Self::Error> {
                <$ty as $crate::typed::Word>::from_word(&t.0)
            }
        }
        impl From<$ty> for $crate::sql::Val {
            fn from(v: $ty) -> Self {
                $crate::sql::Val::Text(Some($crate::typed::Word::word(v).to_string()))
            }
        }
    };
}

/// Declares a store enum stored as words: the enum itself with [`Word`],
/// `Display`, `FromStr`, serde and sqlx decoding (no attribute needed on the
/// row's field), and binding as a [`crate::sql::Val`].
macro_rules! words {
    ($(#[$m:meta])* pub enum $name:ident, $what:literal { $($(#[$vm:meta])* $v:ident => $w:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vm])* $v),+
        }
        impl $crate::typed::Word for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$($name::$v),+];
            fn word(self) -> &'static str {
                match self {
                    $($name::$v => $w),+
                }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::typed::Word::word(*self))
            }
        }
        impl std::str::FromStr for $name {
            type Err = $crate::typed::UnknownWord;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$name as $crate::typed::Word>::from_word(s)
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::typed::Word::word(*self))
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                <$name as $crate::typed::Word>::from_word(&s).map_err(serde::de::Error::custom)
            }
        }
        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let s = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                Ok(<$name as $crate::typed::Word>::from_word(&s)?)
            }
        }
        impl From<$name> for $crate::sql::Val {
            fn from(v: $name) -> Self {
                $crate::sql::Val::Text(Some($crate::typed::Word::word(v).to_string()))
            }
        }
    };
}

pub(crate) use words;

engine_words!(cases::Status, "case status", {
    cases::Status::Accepted => "accepted",
    cases::Status::Routed => "routed",
    cases::Status::InProgress => "in_progress",
    cases::Status::ReturnedForMaterials => "returned_for_materials",
    cases::Status::Resolved => "resolved",
    cases::Status::Callback => "callback",
    cases::Status::Closed => "closed",
    cases::Status::Rejected => "rejected",
});

engine_words!(cases::state::Channel, "channel", {
    cases::state::Channel::Counter => "counter",
    cases::state::Channel::Hotline => "hotline",
    cases::state::Channel::Web => "web",
    cases::state::Channel::Open311 => "open311",
});

engine_words!(lists::ListKind, "list kind", {
    lists::ListKind::Exit => "exit",
    lists::ListKind::Duty => "duty",
    lists::ListKind::Assistance => "assistance",
    lists::ListKind::AssessmentAccess => "assessment_access",
});

engine_words!(lists::ItemType, "item type", {
    lists::ItemType::Organization => "organization",
    lists::ItemType::Plaque => "plaque",
    lists::ItemType::LedgerReport => "ledger_report",
    lists::ItemType::Survey => "survey",
    lists::ItemType::Inspection => "inspection",
    lists::ItemType::Assessment => "assessment",
    lists::ItemType::Certificate => "certificate",
    lists::ItemType::WorkTask => "work_task",
});

engine_words!(lists::RefusalReason, "refusal reason", {
    lists::RefusalReason::NoApproval => "no_approval",
    lists::RefusalReason::ApprovalNotInForce => "approval_not_in_force",
    lists::RefusalReason::EmergencyExpired => "emergency_expired",
});

engine_words!(ledger::AccountKind, "account kind", {
    ledger::AccountKind::Asset => "asset",
    ledger::AccountKind::Receivable => "receivable",
    ledger::AccountKind::Liability => "liability",
    ledger::AccountKind::Fund => "fund",
    ledger::AccountKind::Income => "income",
    ledger::AccountKind::Expense => "expense",
});

engine_words!(pb::VoteType, "ballot kind", {
    pb::VoteType::Approval => "approval",
    pb::VoteType::Cumulative => "cumulative",
    pb::VoteType::Ordinal => "ordinal",
    pb::VoteType::Scoring => "scoring",
    pb::VoteType::Choose1 => "choose-1",
});

/// A value stored as JSON text as the truth: a value that cannot be
/// serialised fails the write (never an empty text).
pub fn json_text<T: serde::Serialize + ?Sized>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Config(format!("serialising a stored value: {e}")))
}

/// Every variant round-trips through its word, and an unknown word is an error.
#[cfg(test)]
pub(crate) fn assert_round_trips<T: Word>() {
    for v in T::ALL {
        assert_eq!(T::from_word(v.word()), Ok(*v), "{} {:?}", T::WHAT, v);
    }
    let mut words: Vec<&str> = T::ALL.iter().map(|v| v.word()).collect();
    words.sort_unstable();
    words.dedup();
    assert_eq!(words.len(), T::ALL.len(), "{}: two values share a word", T::WHAT);
    let e = T::from_word("no such word").unwrap_err();
    assert_eq!(e.what, T::WHAT);
    assert!(T::parse_field("", "f").is_err());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engines' own serde words agree with the stored words where they
    /// have any (a case status's snake_case; a list kind's snake_case).
    fn same_as_serde<T: Word + serde::Serialize>() {
        for v in T::ALL {
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(v.word()), "{:?}", v);
        }
    }

    #[test]
    fn engine_words_round_trip() {
        assert_round_trips::<cases::Status>();
        assert_round_trips::<cases::state::Channel>();
        assert_round_trips::<lists::ListKind>();
        assert_round_trips::<lists::ItemType>();
        assert_round_trips::<lists::RefusalReason>();
        assert_round_trips::<ledger::AccountKind>();
        assert_round_trips::<crate::cases::QuestionKind>();
        assert_round_trips::<pb::VoteType>();
        for v in <pb::VoteType as Word>::ALL {
            assert_eq!(v.word(), v.as_str(), "the pabulib spelling");
        }
        same_as_serde::<cases::Status>();
        same_as_serde::<lists::ListKind>();
        same_as_serde::<lists::ItemType>();
        same_as_serde::<lists::RefusalReason>();
        same_as_serde::<ledger::AccountKind>();
    }

    #[test]
    fn store_words_round_trip() {
        use crate::{budgeting, deliberation, dispatch, finance, lists, stewards};
        assert_round_trips::<dispatch::DispatchStatus>();
        assert_round_trips::<budgeting::Phase>();
        assert_round_trips::<budgeting::ProjectStatus>();
        assert_round_trips::<deliberation::TopicStatus>();
        assert_round_trips::<deliberation::MeetingKind>();
        assert_round_trips::<stewards::StewardStatus>();
        assert_round_trips::<stewards::IssueState>();
        assert_round_trips::<lists::VersionStatus>();
        assert_round_trips::<lists::TaskStatus>();
        assert_round_trips::<finance::ClaimStatus>();
        assert_round_trips::<lists::AppStatus>();
        assert_round_trips::<finance::FundKind>();
        assert_round_trips::<crate::providers::ProviderKind>();
        assert_round_trips::<crate::cases::UnitKind>();
        assert_round_trips::<crate::cases::FeeKind>();
        // serde and Display say the stored word; FromStr reads it back.
        let p = budgeting::Phase::Voting;
        assert_eq!(serde_json::to_value(p).unwrap(), serde_json::json!("voting"));
        assert_eq!(serde_json::from_value::<budgeting::Phase>(serde_json::json!("voting")).unwrap(), p);
        assert!(serde_json::from_value::<budgeting::Phase>(serde_json::json!("Voting")).is_err());
        assert_eq!(p.to_string(), "voting");
        assert_eq!("voting".parse::<budgeting::Phase>(), Ok(p));
        // An engine enum serialised through `word` says the stored word, not the engine's serde name.
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Row {
            #[serde(with = "super::word")]
            channel: cases::state::Channel,
        }
        let v = serde_json::to_value(Row { channel: cases::state::Channel::Open311 }).unwrap();
        assert_eq!(v, serde_json::json!({ "channel": "open311" }));
        assert!(serde_json::from_value::<Row>(serde_json::json!({ "channel": "Open311" })).is_err());
    }

    /// A column is decoded once, in the row type: a word the code does not
    /// know fails the read as a store error, never as a default.
    #[test]
    fn an_unknown_stored_word_fails_the_read() {
        #[derive(sqlx::FromRow, Debug)]
        struct Row {
            status: crate::dispatch::DispatchStatus,
            #[sqlx(try_from = "super::Text")]
            case_status: cases::Status,
            questions: JsonText<Vec<crate::cases::Question>>,
        }
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect("sqlite::memory:").await.unwrap();
            let read = |sql: &'static str| {
                let pool = pool.clone();
                async move { sqlx::query_as::<_, Row>(sql).fetch_one(&pool).await.map_err(StoreError::from) }
            };
            let ok = read("SELECT 'arrived' AS status, 'in_progress' AS case_status, '[{\"key\":\"k\",\"kind\":\"multi\",\"options\":[\"a\"]}]' AS questions")
                .await
                .unwrap();
            assert_eq!(ok.status, crate::dispatch::DispatchStatus::Arrived);
            assert_eq!(ok.case_status, cases::Status::InProgress);
            assert_eq!(ok.questions[0].kind, crate::cases::QuestionKind::Multi);
            assert!(ok.questions.text.starts_with("[{"), "the stored text is kept as it was");
            for sql in [
                "SELECT 'teleported' AS status, 'routed' AS case_status, '[]' AS questions",
                "SELECT 'arrived' AS status, 'lost' AS case_status, '[]' AS questions",
                "SELECT 'arrived' AS status, 'routed' AS case_status, '[{}]' AS questions",
            ] {
                assert!(matches!(read(sql).await, Err(StoreError::Db(_))), "{sql}");
            }
        });
    }

    #[test]
    fn an_unknown_word_is_an_error_naming_the_field() {
        assert_eq!(cases::Status::from_word("opened"), Err(UnknownWord { what: "case status", word: "opened".into() }));
        match cases::state::Channel::parse_field("fax", "channel") {
            Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "channel"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(StoreError::from(UnknownWord { what: "x", word: "y".into() }), StoreError::Config(_)));
    }
}

engine_words!(rules::party::CommitmentKind, "commitment kind", {
    rules::party::CommitmentKind::Venue => "venue",
    rules::party::CommitmentKind::Volunteers => "volunteers",
    rules::party::CommitmentKind::Money => "money",
    rules::party::CommitmentKind::Goods => "goods",
    rules::party::CommitmentKind::Services => "services",
    rules::party::CommitmentKind::Jobs => "jobs",
});
