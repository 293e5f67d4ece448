//! The city's templates per kind of message, in Chinese and English
//! (issue 19). A kind without a saved template sends the text its action
//! wrote (`{body}`); a template is checked by `notify::template::check`
//! before it is saved, so a message never meets a broken one.

use crate::audit::{Scope, record as audit_write};
use crate::error::bad;
use crate::{Db, Result, clock};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Template {
    pub kind: String,
    pub zh: String,
    pub en: String,
    pub updated_by: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SetTemplate {
    pub zh: String,
    pub en: String,
}

/// Every saved template.
pub async fn all(db: &Db) -> Result<Vec<Template>> {
    Ok(sqlx::query_as("SELECT * FROM notify_templates ORDER BY kind").fetch_all(&db.pool).await?)
}

/// The template of a kind, saved or the default: the text the action wrote
/// (`{正文}` in Chinese, `{body}` in English).
pub fn effective(saved: &[Template], kind: &str) -> (String, String) {
    saved
        .iter()
        .find(|t| t.kind == kind)
        .map(|t| (t.zh.clone(), t.en.clone()))
        .unwrap_or(("{正文}".into(), "{body}".into()))
}

/// The city saves a kind's template (both languages checked first).
pub async fn set(db: &Db, actor: &str, kind: &str, cmd: SetTemplate) -> Result<Template> {
    if notify::template::params_of(kind).is_none() {
        return Err(crate::StoreError::NotFound);
    }
    notify::template::check(kind, &cmd.zh).map_err(|m| crate::StoreError::invalid("zh", m))?;
    notify::template::check(kind, &cmd.en).map_err(|m| crate::StoreError::invalid("en", m))?;
    if cmd.zh.chars().count() > 500 || cmd.en.chars().count() > 1000 {
        return Err(bad("zh", "模板过长", "the template is too long"));
    }
    let now = clock::now_text();
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM notify_templates WHERE kind = $1").bind(kind).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO notify_templates (kind, zh, en, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(kind)
        .bind(cmd.zh.trim())
        .bind(cmd.en.trim())
        .bind(actor)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "notify.template",
        "notify_template",
        kind,
        Scope::CITY,
        json!({ "zh": cmd.zh, "en": cmd.en }),
    )
    .await?;
    tx.commit().await?;
    Ok(Template {
        kind: kind.into(),
        zh: cmd.zh.trim().into(),
        en: cmd.en.trim().into(),
        updated_by: actor.into(),
        updated_at: now,
    })
}
