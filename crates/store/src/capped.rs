//! Lists cut at a fixed length. A scope's outbox, claims or meetings grow
//! without end, and a page cannot show them all; a cut list says that it was
//! cut, so that a page or an API client never takes the first rows for the
//! whole (`more`). The query asks for one row past the cap to know.

use serde::{Serialize, Serializer};
use sqlx::FromRow;
use sqlx::any::AnyRow;

/// The first `cap` rows of a list, in the list's order, and whether more matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Capped<T> {
    pub rows: Vec<T>,
    pub cap: usize,
    /// More rows matched than are here.
    pub more: bool,
}

impl<T> Capped<T> {
    /// `rows` fetched with a limit of `cap + 1` (see [`limit`]).
    pub fn cut(mut rows: Vec<T>, cap: usize) -> Capped<T> {
        let more = rows.len() > cap;
        rows.truncate(cap);
        Capped { rows, cap, more }
    }

    /// Other rows made from these (one for each, in order), cut as these were.
    pub fn with_rows<U>(&self, rows: Vec<U>) -> Capped<U> {
        Capped { rows, cap: self.cap, more: self.more }
    }

    /// The rows kept by `keep`, still marked as cut if this list was: a filter
    /// over a cut list cannot know what the rest held.
    pub fn filter(self, keep: impl FnMut(&T) -> bool) -> Capped<T> {
        Capped { rows: self.rows.into_iter().filter(keep).collect(), ..self }
    }
}

/// The names of the lists that were cut, for an API answer's `cut` member:
/// `cut(&[("outbox", list.more)])`.
pub fn cut(lists: &[(&'static str, bool)]) -> Vec<&'static str> {
    lists.iter().filter(|(_, more)| *more).map(|(name, _)| *name).collect()
}

/// The `LIMIT` clause that fetches one row past `cap`.
pub fn limit(cap: usize) -> String {
    format!(" LIMIT {}", cap + 1)
}

/// Rows of `sql` (without its `LIMIT`) whose `$1`/`$2` are the scope's
/// community and district, as [`crate::sql::scoped`] binds them, cut at `cap`.
pub async fn scoped<T>(
    db: &crate::Db,
    sql: &str,
    cap: usize,
    community: Option<&str>,
    district: Option<&str>,
) -> crate::Result<Capped<T>>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    let sql = sqlx::AssertSqlSafe(format!("{sql}{}", limit(cap)));
    Ok(Capped::cut(crate::sql::scoped(db, sql, community, district).await?, cap))
}

/// No rows, and none left out (a list a principal may not see at all).
impl<T> Default for Capped<T> {
    fn default() -> Self {
        Capped { rows: Vec::new(), cap: 0, more: false }
    }
}

impl<T> std::ops::Deref for Capped<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.rows
    }
}

impl<T> std::ops::DerefMut for Capped<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.rows
    }
}

impl<T> IntoIterator for Capped<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Capped<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

/// Serialised as its rows: an API answer names the cut lists in its `cut` member ([`cut`]).
impl<T: Serialize> Serialize for Capped<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.rows.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_one_past_its_cap_is_cut_and_says_so() {
        let c = Capped::cut(vec![1, 2, 3, 4], 3);
        assert_eq!((c.rows.clone(), c.more), (vec![1, 2, 3], true));
        let c = Capped::cut(vec![1, 2, 3], 3);
        assert_eq!((c.rows.clone(), c.more), (vec![1, 2, 3], false));
        assert_eq!(limit(500), " LIMIT 501");
    }

    #[test]
    fn a_filter_over_a_cut_list_keeps_the_mark() {
        let c = Capped::cut(vec![1, 2, 3, 4], 3).filter(|n| n % 2 == 1);
        assert_eq!((c.rows, c.more), (vec![1, 3], true));
    }
}
