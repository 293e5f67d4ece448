//! The 2881890 hotline console's look-up: who is calling — residents of the
//! community registered with this phone number — and the cases taken before
//! from the same number.

use crate::cases::{Case, CaseView, view};
use crate::residents::{Filter, Resident, list};
use crate::{Db, Result};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Caller {
    pub phone: String,
    pub residents: Vec<Resident>,
    /// Cases from this number or of these residents, newest first.
    pub cases: Vec<CaseView>,
}

impl Caller {
    pub fn open_cases(&self) -> impl Iterator<Item = &CaseView> {
        self.cases.iter().filter(|c| !matches!(c.case.status, cases::Status::Closed | cases::Status::Rejected))
    }
}

/// Digits and hyphens only, so a pasted "138 0000 0000" still finds the caller.
pub fn normalise(phone: &str) -> String {
    phone.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect()
}

pub async fn caller(db: &Db, community: &str, phone: &str) -> Result<Caller> {
    let phone = normalise(phone);
    if phone.len() < 7 {
        return Ok(Caller { phone, residents: vec![], cases: vec![] });
    }
    let residents = list(
        db,
        &Filter {
            community: Some(community.to_string()),
            phone: Some(phone.clone()),
            // A child is never the caller the desk needs to see (rules §6.5).
            born_on_or_before: Some(rules::minors::cutoff(crate::clock::today()).to_string()),
            limit: Some(20),
            ..Default::default()
        },
    )
    .await?
    .rows;
    // The open ones first in each read (open as `open_cases` has it), so that
    // newer closed cases never push an open one out of the 50.
    let rows: Vec<Case> =
        sqlx::query_as("SELECT * FROM cases WHERE community_code = $1 AND caller_phone = $2 ORDER BY CASE WHEN status IN ('closed', 'rejected') THEN 1 ELSE 0 END, id DESC LIMIT 50")
            .bind(community)
            .bind(&phone)
            .fetch_all(&db.pool)
            .await?;
    let mut ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let mut all = rows;
    for r in &residents {
        let theirs: Vec<Case> = sqlx::query_as(
            "SELECT * FROM cases WHERE community_code = $1 AND resident_id = $2 ORDER BY CASE WHEN status IN ('closed', 'rejected') THEN 1 ELSE 0 END, id DESC LIMIT 50",
        )
        .bind(community)
        .bind(r.id)
        .fetch_all(&db.pool)
        .await?;
        for c in theirs {
            if !ids.contains(&c.id) {
                ids.push(c.id);
                all.push(c);
            }
        }
    }
    all.sort_by_key(|c| std::cmp::Reverse(c.id));
    let mut cases = Vec::with_capacity(all.len());
    for c in all {
        cases.push(view(db, c).await?);
    }
    Ok(Caller { phone, residents, cases })
}

/// The registered phone of the resident a log-in belongs to, if linked.
pub async fn user_phone(db: &Db, username: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT r.phone FROM users u JOIN residents r ON r.id = u.resident_id WHERE u.username = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?)
}
