use rules::Msg;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A database error. A UNIQUE constraint that a request's own check
    /// guards (see [`UNIQUE`]) never ends here: it becomes that field's `Invalid`.
    #[error("database: {0}")]
    Db(#[source] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("configuration: {0}")]
    Config(String),
    /// Bad input: the field and a message in both languages. Nothing was written.
    #[error("invalid {field}: {msg}")]
    Invalid { field: String, msg: Msg },
    #[error("not found")]
    NotFound,
    /// The database cannot be reached now (see [`StoreError::is_unavailable`]).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Refused for now: a limit (searches by full ID number per day, failed
    /// log-ins) was reached. The message says which, in both languages.
    #[error("limited: {0}")]
    Limited(Msg),
    /// Bad input in several fields at once, every error in the order checked. Nothing was written.
    #[error("invalid input: {0:?}")]
    Fields(Vec<(String, Msg)>),
}

impl StoreError {
    /// A clash with a concurrent writer (another process on the same
    /// database): a duplicate key, a deadlock, a serialization failure or a
    /// busy SQLite file. Retrying after reading what the other committed is safe.
    pub fn is_conflict(&self) -> bool {
        let StoreError::Db(e) = self else { return false };
        let Some(db) = e.as_database_error() else { return false };
        db.is_unique_violation()
            || matches!(db.code().as_deref(), Some("40P01" | "40001" | "5" | "517" | "261"))
            || db.message().contains("database is locked")
    }

    /// The disk is full (SQLite's SQLITE_FULL, also past an operator's cap on
    /// the file; PostgreSQL's disk_full): writes fail, reads go on.
    pub fn is_storage_full(&self) -> bool {
        let StoreError::Db(sqlx::Error::Database(db)) = self else { return false };
        matches!(db.code().as_deref(), Some("13" | "53100"))
    }

    /// The database cannot be reached or cannot write right now (the server
    /// is down or restarting, the connection broke, the disk is full): the
    /// request may succeed later; nothing was written.
    pub fn is_unavailable(&self) -> bool {
        let e = match self {
            StoreError::Unavailable(_) => return true,
            StoreError::Db(e) => e,
            _ => return false,
        };
        match e {
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => true,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                // PostgreSQL: connection exceptions (08…), shutting down (57P01–57P03), disk full (53100);
                // SQLite: SQLITE_FULL (13), SQLITE_IOERR (10), and SQLITE_BUSY (5, 517) once the
                // busy timeout ran out: the write lock stayed taken longer than a request may wait.
                code.starts_with("08")
                    || matches!(&*code, "57P01" | "57P02" | "57P03" | "53100" | "13" | "10" | "5" | "517")
            }
            _ => false,
        }
    }

    pub fn invalid(field: &str, msg: Msg) -> StoreError {
        StoreError::Invalid { field: field.to_string(), msg }
    }
}

/// Bad input in `field`, in both languages.
pub fn bad(field: &str, zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::invalid(field, Msg::new(zh, en))
}

/// A UNIQUE constraint a write checks for before it inserts, and what that
/// check answers. Two identical requests at once can both pass the check; the
/// second insert then hits the constraint and is answered the same way.
pub struct Unique {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    /// The name of a `CREATE UNIQUE INDEX` (PostgreSQL reports it); None for
    /// a `UNIQUE` column or clause, named `{table}_{columns}_key` there.
    pub index: Option<&'static str>,
    pub field: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn unique(
    table: &'static str,
    columns: &'static [&'static str],
    field: &'static str,
    zh: &'static str,
    en: &'static str,
) -> Unique {
    Unique { table, columns, index: None, field, zh, en }
}

/// Every constraint a concurrent identical request can hit, with its field.
pub const UNIQUE: &[Unique] = &[
    unique("users", &["username"], "username", "用户名已存在", "username is taken"),
    unique(
        "units",
        &["uscc"],
        "uscc",
        "该统一社会信用代码已登记",
        "this unified social credit code is already registered",
    ),
    unique("residents", &["id_index"], "id_number", "该居民已登记", "this resident is already registered"),
    unique("resident_groups", &["community_code", "name"], "name", "该居民小组已存在", "this residents' group exists"),
    unique("pb_ballots", &["call_id", "voter_index"], "voter", "该居民已经投过票", "this resident has already voted"),
    unique(
        "pb_evaluations",
        &["project_id", "voter_index"],
        "rating",
        "您已评价过该项目",
        "you have already rated this project",
    ),
    unique("list_versions", &["kind", "version"], "version", "已有未发布的草稿", "there is already an open draft"),
    unique("task_refusals", &["task_id"], "task", "该事项已拒绝", "the task is already refused"),
    unique("fin_transactions", &["idem_key"], "key", "该幂等键已使用", "this idempotency key was used"),
    unique("fin_claims", &["idem_key"], "key", "该幂等键已使用", "this idempotency key was used"),
    unique("service_items", &["code"], "code", "该事项编码已存在", "this item code exists"),
    unique("open311_clients", &["name"], "name", "该客户端名称已存在", "a client of that name exists"),
    unique("providers", &["name"], "name", "该服务商已登记", "this provider is already registered"),
    unique(
        "party_evaluations",
        &["unit_id", "year"],
        "year",
        "该单位本年度已评价",
        "the unit is already evaluated for this year",
    ),
    unique(
        "party_vetoes",
        &["unit_id", "year"],
        "year",
        "该单位本年度已被否决",
        "the unit is already vetoed for this year",
    ),
    unique(
        "party_representatives",
        &["meeting_id", "unit_id"],
        "unit_id",
        "该单位已派代表参加此会议",
        "the unit already has a representative at this meeting",
    ),
    Unique {
        table: "party_liaisons",
        columns: &["username"],
        index: Some("party_liaisons_pkey"),
        field: "username",
        zh: "该账号已是某驻区单位的联络员",
        en: "this account is already a unit's liaison",
    },
    unique("circle_networks", &["name"], "name", "该路网名称已存在", "a network of this name exists"),
    // Social organisations and purchases (issue 17); schemathesis found a repeated catalogue code answering 500.
    unique(
        "orgs",
        &["uscc"],
        "uscc",
        "该统一社会信用代码已登记",
        "this unified social credit code is already registered",
    ),
    unique(
        "orgs",
        &["community_code", "name"],
        "name",
        "本社区已有同名组织",
        "the community has an organisation of this name",
    ),
    unique(
        "org_members",
        &["org_id", "member_org_id"],
        "member_org_id",
        "该组织已是成员",
        "this organisation is already a member",
    ),
    unique(
        "org_inspections",
        &["org_id", "year"],
        "year",
        "该组织本年度已在年检中",
        "the organisation is already in this year's inspection",
    ),
    unique("purchase_catalogue", &["district_code", "code"], "code", "该目录编号已存在", "this catalogue code exists"),
    unique("purchase_applications", &["project_id", "org_id"], "note", "已申请该项目", "already applied"),
    Unique {
        table: "dispatches",
        columns: &["case_id"],
        index: Some("dispatches_one_live"),
        field: "provider_id",
        zh: "该案件已有进行中的派单",
        en: "the case already has a live dispatch",
    },
];

impl Unique {
    /// Whether a unique violation names this constraint: SQLite says
    /// `UNIQUE constraint failed: t.a, t.b`, PostgreSQL gives the constraint's name.
    fn names(&self, message: &str, constraint: Option<&str>) -> bool {
        match constraint {
            Some(name) => match self.index {
                Some(index) => name == index,
                None => name == format!("{}_{}_key", self.table, self.columns.join("_")),
            },
            None => message.split_once("constraint failed: ").is_some_and(|(_, cols)| {
                let cols: Vec<&str> = cols.split(',').map(str::trim).collect();
                cols.len() == self.columns.len()
                    && cols.iter().zip(self.columns).all(|(c, want)| c.split_once('.') == Some((self.table, want)))
            }),
        }
    }
}

/// The field's 422 for a unique violation that [`UNIQUE`] lists; None for any other error.
pub fn unique_violation(e: &sqlx::Error) -> Option<StoreError> {
    let db = e.as_database_error()?;
    if !db.is_unique_violation() {
        return None;
    }
    let u = UNIQUE.iter().find(|u| u.names(db.message(), db.constraint()))?;
    Some(StoreError::invalid(u.field, Msg::new(u.zh, u.en)))
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        unique_violation(&e).unwrap_or(StoreError::Db(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_catalogue_code_or_organisation_is_a_field_error() {
        let find = |table: &str, message: &str, constraint: Option<&str>| {
            UNIQUE.iter().find(|u| u.table == table && u.names(message, constraint)).map(|u| u.field)
        };
        let sqlite = "UNIQUE constraint failed: purchase_catalogue.district_code, purchase_catalogue.code";
        assert_eq!(find("purchase_catalogue", sqlite, None), Some("code"));
        assert_eq!(find("purchase_catalogue", "", Some("purchase_catalogue_district_code_code_key")), Some("code"));
        assert_eq!(find("orgs", "UNIQUE constraint failed: orgs.community_code, orgs.name", None), Some("name"));
        assert_eq!(find("orgs", "", Some("orgs_uscc_key")), Some("uscc"));
    }

    #[test]
    fn a_violation_is_matched_by_its_columns_or_its_constraint_name() {
        let ballot = UNIQUE.iter().find(|u| u.table == "pb_ballots").unwrap();
        assert!(ballot.names("UNIQUE constraint failed: pb_ballots.call_id, pb_ballots.voter_index", None));
        assert!(!ballot.names("UNIQUE constraint failed: pb_ballots.call_id", None));
        assert!(ballot.names("duplicate key value", Some("pb_ballots_call_id_voter_index_key")));
        let live = UNIQUE.iter().find(|u| u.table == "dispatches").unwrap();
        assert!(live.names("UNIQUE constraint failed: dispatches.case_id", None));
        assert!(live.names("", Some("dispatches_one_live")));
        assert!(!UNIQUE.iter().any(|u| u.names("UNIQUE constraint failed: audit_log.seq", None)));
    }
}
