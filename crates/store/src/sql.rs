//! Dynamic SQL for both databases: `$n` placeholders on PostgreSQL, anonymous
//! `?` on SQLite. (sqlx's QueryBuilder writes `?` for the Any driver, which
//! PostgreSQL rejects; and binding numbered parameters on SQLite costs time
//! quadratic in their count, which a 1,000-row insert makes visible.)

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, AssertSqlSafe, FromRow};
use std::fmt::Write;

#[derive(Clone, Debug)]
pub enum Val {
    Int(Option<i64>),
    Text(Option<String>),
    Real(Option<f64>),
}

impl From<Option<f64>> for Val {
    fn from(v: Option<f64>) -> Self {
        Val::Real(v)
    }
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(Some(v))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::Int(v)
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(Some(v))
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(Some(v.to_string()))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::Text(v)
    }
}

#[derive(Default)]
pub struct Sql {
    pub text: String,
    args: Vec<Val>,
    anonymous: bool,
}

impl Sql {
    pub fn new(dialect: crate::Dialect, text: impl Into<String>) -> Sql {
        Sql { text: text.into(), args: Vec::new(), anonymous: dialect == crate::Dialect::Sqlite }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Append a placeholder bound to `v`.
    pub fn bind(&mut self, v: impl Into<Val>) -> &mut Self {
        let v = v.into();
        if self.anonymous {
            self.args.push(v);
            self.text.push('?');
        } else if let Val::Real(x) = v {
            // sqlx's Any driver can send a double to PostgreSQL in a width the prepared
            // statement did not declare ("incorrect binary data format"); the shortest
            // round-trip text of the number, cast in SQL, is exact and unambiguous.
            self.args.push(Val::Text(x.map(|x| x.to_string())));
            let _ = write!(self.text, "CAST(${} AS DOUBLE PRECISION)", self.args.len());
        } else {
            self.args.push(v);
            // Written in place: a batch of cases binds thousands of values.
            let _ = write!(self.text, "${}", self.args.len());
        }
        self
    }

    /// Append `(row), (row), …` for a multi-row insert.
    pub fn values<T>(&mut self, rows: &[T], mut each: impl FnMut(&T) -> Vec<Val>) -> &mut Self {
        self.text.push_str(" VALUES ");
        for (i, r) in rows.iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.text.push('(');
            for (j, v) in each(r).into_iter().enumerate() {
                if j > 0 {
                    self.text.push_str(", ");
                }
                self.bind(v);
            }
            self.text.push(')');
        }
        self
    }

    /// The statement, taking its text and values without copying them.
    pub fn into_query(self) -> Query<'static, Any, AnyArguments> {
        let mut q = sqlx::query(AssertSqlSafe(self.text));
        for a in self.args {
            q = match a {
                Val::Int(v) => q.bind(v),
                Val::Text(v) => q.bind(v),
                Val::Real(v) => q.bind(v),
            };
        }
        q
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments> {
        let mut q = sqlx::query(AssertSqlSafe(self.text.clone()));
        for a in &self.args {
            q = match a {
                Val::Int(v) => q.bind(*v),
                Val::Text(v) => q.bind(v.clone()),
                Val::Real(v) => q.bind(*v),
            };
        }
        q
    }

    pub fn query_as<T: for<'r> FromRow<'r, AnyRow>>(&self) -> QueryAs<'_, Any, T, AnyArguments> {
        let mut q = sqlx::query_as(AssertSqlSafe(self.text.clone()));
        for a in &self.args {
            q = match a {
                Val::Int(v) => q.bind(*v),
                Val::Text(v) => q.bind(v.clone()),
                Val::Real(v) => q.bind(*v),
            };
        }
        q
    }

    pub fn query_scalar<T>(&self) -> QueryScalar<'_, Any, T, AnyArguments>
    where
        (T,): for<'r> FromRow<'r, AnyRow>,
    {
        let mut q = sqlx::query_scalar(AssertSqlSafe(self.text.clone()));
        for a in &self.args {
            q = match a {
                Val::Int(v) => q.bind(*v),
                Val::Text(v) => q.bind(v.clone()),
                Val::Real(v) => q.bind(*v),
            };
        }
        q
    }
}

/// Rows of a query whose `$1`/`$2` are the optional community and district a
/// principal's scope allows (`CAST($n AS TEXT) IS NULL OR … = $n`): every
/// scoped list in the store binds its scope the same way, here.
pub async fn scoped<T>(
    db: &crate::Db,
    sql: impl sqlx::SqlSafeStr,
    community: Option<&str>,
    district: Option<&str>,
) -> crate::Result<Vec<T>>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql)
        .bind(community.map(str::to_string))
        .bind(district.map(str::to_string))
        .fetch_all(&db.pool)
        .await?)
}

/// On SQLite the statements joined into one multi-statement text (its
/// anonymous placeholders are taken in order); on PostgreSQL, which takes one
/// statement per call with parameters, as they are.
fn joined(stmts: Vec<Sql>) -> Vec<Sql> {
    if !stmts.first().is_some_and(|s| s.anonymous) {
        return stmts;
    }
    let mut all = Sql { anonymous: true, ..Sql::default() };
    for s in stmts {
        if !all.text.is_empty() {
            all.text.push_str(";\n");
        }
        all.text.push_str(&s.text);
        all.args.extend(s.args);
    }
    vec![all]
}

/// Runs statements in order, in the caller's transaction. On SQLite they go
/// as one call: one trip to the connection's thread instead of one per
/// statement, and a text that repeats from batch to batch stays prepared.
pub async fn execute_all(conn: &mut sqlx::AnyConnection, stmts: Vec<Sql>) -> crate::Result<()> {
    for s in joined(stmts) {
        s.into_query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// [`execute_all`] for statements that return rows: every row, in order.
pub async fn fetch_all_of(conn: &mut sqlx::AnyConnection, stmts: Vec<Sql>) -> crate::Result<Vec<AnyRow>> {
    let mut rows = Vec::new();
    for s in joined(stmts) {
        rows.extend(s.into_query().fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}
