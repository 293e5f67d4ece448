//! The audit chain against someone who can write to the database (issue 12,
//! point 5): every column is hashed, an anchor kept outside the database
//! catches the newest entries deleted with the head rewritten, and entries
//! written before hash version 2 still verify. On SQLite and PostgreSQL.

mod common;
use common::*;
use store::audit::{AuditRow, Verdict};

fn intact(v: &Verdict) -> bool {
    matches!(v, Verdict::Intact { .. })
}

async fn entries(db: &store::Db) -> Vec<AuditRow> {
    sqlx::query_as("SELECT * FROM audit_log ORDER BY seq").fetch_all(&db.pool).await.unwrap()
}

#[tokio::test]
async fn a_changed_district_breaks_the_chain() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        assert!(intact(&store::audit::verify(&s.db).await.unwrap()), "{backend}");
        let seq: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM audit_log WHERE district_code = '340705'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET district_code = '340706' WHERE seq = $1")
            .bind(seq)
            .execute(&s.db.pool)
            .await
            .unwrap();
        match store::audit::verify(&s.db).await.unwrap() {
            Verdict::Broken { seq: at, .. } => assert_eq!(at, seq, "{backend}"),
            v => panic!("{backend}: a changed district_code verified: {v:?}"),
        }
        // Downgrading the entry to the old hash version (which left the district out) does not help.
        sqlx::query("UPDATE audit_log SET hash_version = 1 WHERE seq = $1")
            .bind(seq)
            .execute(&s.db.pool)
            .await
            .unwrap();
        assert!(!intact(&store::audit::verify(&s.db).await.unwrap()), "{backend}");
    }
}

#[tokio::test]
async fn deleting_the_newest_entries_and_rewriting_the_head_fails_against_an_anchor() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let (seq, hash) = store::audit::anchor(&s.db).await.unwrap();
        assert!(seq > 10, "{backend}");
        assert_eq!(store::audit::parse_anchor(&format!("{seq}:{hash}")), Some((seq, hash.clone())));
        assert!(intact(&store::audit::verify_anchor(&s.db, seq, &hash).await.unwrap()), "{backend}");
        // More entries later: the old anchor still holds.
        login(&s, "civil").await;
        assert!(intact(&store::audit::verify_anchor(&s.db, seq, &hash).await.unwrap()), "{backend}");

        // The tamper: delete the newest entries, point the head at what is left.
        let keep = seq - 3;
        sqlx::query("DELETE FROM audit_log WHERE seq > $1").bind(keep).execute(&s.db.pool).await.unwrap();
        let last: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
            .bind(keep)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_head SET seq = $1, last_hash = $2 WHERE id = 1")
            .bind(keep)
            .bind(&last)
            .execute(&s.db.pool)
            .await
            .unwrap();
        // The chain alone cannot tell...
        assert!(intact(&store::audit::verify(&s.db).await.unwrap()), "{backend}");
        // ...the anchor kept outside can.
        match store::audit::verify_anchor(&s.db, seq, &hash).await.unwrap() {
            Verdict::Broken { seq: at, .. } => assert_eq!(at, seq, "{backend}"),
            v => panic!("{backend}: {v:?}"),
        }
        // An anchor whose entry is there but rewritten fails as well.
        let wrong = "f".repeat(64);
        assert!(!intact(&store::audit::verify_anchor(&s.db, keep, &wrong).await.unwrap()), "{backend}");
    }
}

#[tokio::test]
async fn entries_written_before_hash_version_2_still_verify() {
    for (backend, url) in backends().await {
        // A database whose chain began under version 1 (no demo: the entries are made here).
        let db = store::Db::connect(&url, store::seal::Seal::new([9; 32])).await.unwrap();
        db.migrate().await.unwrap();
        let mut prev = "0".repeat(64);
        for seq in 1..=3i64 {
            let mut row = AuditRow {
                seq,
                at: format!("2025-0{seq}-01T00:00:00Z"),
                actor: "cli".into(),
                action: "user.add".into(),
                entity: "user".into(),
                entity_id: seq.to_string(),
                community_code: None,
                district_code: Some("340705".into()),
                digest: "d".repeat(64),
                prev_hash: prev.clone(),
                hash: String::new(),
                hash_version: 1,
            };
            row.hash = store::audit::hash_of(&row, &prev).unwrap();
            sqlx::query(
                "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, community_code, district_code, digest, prev_hash, hash, hash_version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)",
            )
            .bind(row.seq)
            .bind(&row.at)
            .bind(&row.actor)
            .bind(&row.action)
            .bind(&row.entity)
            .bind(&row.entity_id)
            .bind(row.community_code.clone())
            .bind(row.district_code.clone())
            .bind(&row.digest)
            .bind(&row.prev_hash)
            .bind(&row.hash)
            .execute(&db.pool)
            .await
            .unwrap();
            prev = row.hash.clone();
        }
        sqlx::query("UPDATE audit_head SET seq = 3, last_hash = $1 WHERE id = 1")
            .bind(&prev)
            .execute(&db.pool)
            .await
            .unwrap();
        assert!(intact(&store::audit::verify(&db).await.unwrap()), "{backend}: version 1 entries");
        // New entries chain on under version 2.
        for name in ["n1", "n2"] {
            let u = store::users::NewUser {
                username: name,
                display_name: name,
                password: "a-long-password",
                role: store::users::Role::SystemAdmin,
                community_code: None,
                district_code: None,
                department: None,
            };
            store::users::add(&db, "cli", u).await.unwrap();
        }
        let rows = entries(&db).await;
        assert!(rows.len() > 3 && rows[3..].iter().all(|r| r.hash_version == 2), "{backend}");
        assert!(intact(&store::audit::verify(&db).await.unwrap()), "{backend}: versions 1 then 2");
        db.pool.close().await;
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_cli_prints_an_anchor_and_verifies_against_it() {
    let dir = std::env::temp_dir().join(format!("shequ-anchor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("a.db").display());
    let shequ = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_shequ"))
            .args(args)
            .args(["--db", &db])
            .env_remove("SHEQU_KEY")
            .env_remove("SHEQU_KEY_FILE")
            .env("SHEQU_PASSWORD", "一个足够长的口令-2026")
            .output()
            .unwrap()
    };
    let add = |name: &str| {
        let out = shequ(&["user", "add", "--username", name, "--role", "system_admin"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    add("a1");
    add("a2");
    let out = shequ(&["audit", "anchor"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let anchor = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(store::audit::parse_anchor(&anchor).is_some(), "{anchor}");
    add("a3");
    assert!(shequ(&["audit", "verify", "--anchor", &anchor]).status.success());
    // Delete the newest entries and rewrite the head.
    let (seq, _) = store::audit::parse_anchor(&anchor).unwrap();
    let d = store::Db::connect(&db, store::seal::Seal::new([0; 32])).await.unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq >= $1").bind(seq).execute(&d.pool).await.unwrap();
    sqlx::query("UPDATE audit_head SET seq = $1, last_hash = (SELECT hash FROM audit_log WHERE seq = $1) WHERE id = 1")
        .bind(seq - 1)
        .execute(&d.pool)
        .await
        .unwrap();
    d.pool.close().await;
    assert!(shequ(&["audit", "verify"]).status.success(), "the chain alone cannot tell");
    let out = shequ(&["audit", "verify", "--anchor", &anchor]);
    assert!(!out.status.success(), "an anchor no longer in the chain must fail");
    assert!(String::from_utf8_lossy(&out.stderr).contains("BROKEN"));
    let _ = std::fs::remove_dir_all(&dir);
}
