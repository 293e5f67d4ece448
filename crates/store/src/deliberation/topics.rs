//! Topics raised by residents, units or the committee, their discussion and closing.

use super::*;
use crate::Capped;

// ---------------------------------------------------------------- topics

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewTopic {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// resident | unit | committee
    #[serde(default)]
    pub raised_by_kind: String,
    /// Who raised it: the unit's name, the committee, or the resident.
    #[serde(default)]
    pub raised_by_name: String,
    /// Tagged "涉及全体居民利益的重要问题".
    #[serde(default, deserialize_with = "loose")]
    pub important: Option<String>,
}

impl NewTopic {
    pub fn is_important(&self) -> bool {
        flag(&self.important)
    }
}

pub async fn create_topic(db: &Db, actor: &str, community: &str, n: NewTopic) -> Result<Topic> {
    let title = text("title", &n.title, 200, "请填写议题名称", "a title is required")?;
    let kind = match n.raised_by_kind.trim() {
        k @ ("resident" | "unit" | "committee") => k,
        _ => {
            return Err(bad(
                "raised_by_kind",
                "提出方应为居民、驻区单位或居委会",
                "raised by a resident, a resident unit or the committee",
            ));
        }
    };
    if kind == "unit" && n.raised_by_name.trim().is_empty() {
        return Err(bad("raised_by_name", "请填写提出议题的驻区单位", "name the resident unit that raised it"));
    }
    let c = crate::structure::community(db, community).await?;
    let mut tx = db.begin().await?;
    let t: Topic = sqlx::query_as(
        "INSERT INTO delib_topics (community_code, district_code, title, description, raised_by_kind, raised_by_name, raised_by, important, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) RETURNING *",
    )
    .bind(&c.code)
    .bind(&c.district_code)
    .bind(&title)
    .bind(n.description.trim())
    .bind(kind)
    .bind(n.raised_by_name.trim())
    .bind(actor)
    .bind(n.is_important() as i64)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(&mut tx, actor, "delib.topic.create", "delib_topic", t.id, (&c.code, &c.district_code), json!(t))
        .await?;
    tx.commit().await?;
    Ok(t)
}

pub async fn topics(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Capped<Topic>> {
    crate::capped::scoped(db, "SELECT * FROM delib_topics WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) ORDER BY id DESC", 500, community, district).await
}

pub async fn topic(db: &Db, id: i64) -> Result<Topic> {
    sqlx::query_as("SELECT * FROM delib_topics WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn comments(db: &Db, topic_id: i64) -> Result<Vec<Comment>> {
    Ok(sqlx::query_as("SELECT * FROM delib_comments WHERE topic_id = $1 ORDER BY id")
        .bind(topic_id)
        .fetch_all(&db.pool)
        .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewComment {
    #[serde(default)]
    pub body: String,
}

pub async fn comment(db: &Db, actor: &str, author_name: &str, topic_id: i64, n: NewComment) -> Result<Comment> {
    let t = topic(db, topic_id).await?;
    if t.status != TopicStatus::Open {
        return Err(bad("body", "议题已结案，不能再发言", "the topic is closed to discussion"));
    }
    let body = text("body", &n.body, 4000, "请填写发言内容", "write something to say")?;
    let mut tx = db.begin().await?;
    let c: Comment = sqlx::query_as(
        "INSERT INTO delib_comments (topic_id, community_code, district_code, author, author_name, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
    )
    .bind(t.id)
    .bind(&t.community_code)
    .bind(&t.district_code)
    .bind(actor)
    .bind(author_name)
    .bind(&body)
    .bind(clock::now_text())
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "delib.comment.create",
        "delib_comment",
        c.id,
        (&t.community_code, &t.district_code),
        json!({ "topic": t.id, "body": c.body }),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Close {
    /// The resolution that decided the topic (required for an important question).
    #[serde(default, deserialize_with = "loose")]
    pub resolution_id: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Close a topic. An important question for all residents closes only by a
/// resolution on it that a 居民会议 passed (rules §1.9); any other topic
/// closes by a resolution or by the committee with a written reason.
pub async fn close_topic(db: &Db, actor: &str, topic_id: i64, c: Close) -> Result<Topic> {
    let t = topic(db, topic_id).await?;
    if t.status != TopicStatus::Open {
        return Err(bad("status", "议题已结案", "the topic is already closed"));
    }
    let res = match id_field("resolution_id", &c.resolution_id)? {
        Some(rid) => {
            let r =
                resolution(db, rid).await.map_err(|_| bad("resolution_id", "没有这项决议", "no such resolution"))?;
            if r.topic_id != Some(t.id) {
                return Err(bad(
                    "resolution_id",
                    "该决议不是针对本议题作出的",
                    "that resolution was not taken on this topic",
                ));
            }
            let m = meeting(db, r.meeting_id).await?;
            Some((r, m))
        }
        None => None,
    };
    let by_assembly = res.as_ref().is_some_and(|(r, m)| m.kind == MeetingKind::Assembly && r.passed == 1);
    assembly::important_question_may_close(t.important == 1, by_assembly)
        .map_err(|m| StoreError::invalid("resolution_id", m))?;
    if res.is_none() && c.note.trim().is_empty() {
        return Err(bad("note", "没有决议时须写明结案理由", "without a resolution, give the reason for closing"));
    }
    let mut tx = db.begin().await?;
    // Compare-and-set: a double click cannot close twice.
    let t: Option<Topic> = sqlx::query_as(
        "UPDATE delib_topics SET status = 'closed', closing_resolution_id = $1, closing_note = $2, closed_at = $3 WHERE id = $4 AND status = 'open' RETURNING *",
    )
    .bind(res.as_ref().map(|(r, _)| r.id))
    .bind(c.note.trim())
    .bind(clock::now_text())
    .bind(topic_id)
    .fetch_optional(&mut *tx)
    .await?;
    let t = t.ok_or_else(|| bad("status", "议题已结案", "the topic is already closed"))?;
    audit_write(
        &mut tx,
        actor,
        "delib.topic.close",
        "delib_topic",
        t.id,
        (&t.community_code, &t.district_code),
        json!({ "resolution": t.closing_resolution_id, "note": t.closing_note }),
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}
