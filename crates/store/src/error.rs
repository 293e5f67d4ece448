use rules::Msg;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("configuration: {0}")]
    Config(String),
    /// Bad input: the field and a message in both languages. Nothing was written.
    #[error("invalid {field}: {msg}")]
    Invalid { field: String, msg: Msg },
    #[error("not found")]
    NotFound,
}

impl StoreError {
    pub fn invalid(field: &str, msg: Msg) -> StoreError {
        StoreError::Invalid { field: field.to_string(), msg }
    }
}

/// Bad input in `field`, in both languages.
pub fn bad(field: &str, zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::invalid(field, Msg::new(zh, en))
}
