//! The voter roll (rules §1.4, §2.1, §2.2, §2.3) built from the residents
//! registry by the engine's [`election::roll::judge_roll`]: age on election
//! day from the birth date the registry's import read from the checked ID
//! number (the sealed number itself is not opened for the roll),
//! the §2.1 category from the registry's 户籍 flag, and one registration per
//! person per cycle (the election year) across communities, by the registry's
//! blind index. The roll stores a name, a residents' group and the category.

use super::{Election, ElectionMode, ElectionStatus, not_preparing};
use crate::audit::record as audit_write;
use crate::error::bad;
use crate::{Db, Result, StoreError, clock};
use election::roll::{Applicant, Category, CycleRegister, Resident, judge_roll};
use rules::Msg;
use serde::Serialize;
use serde_json::json;
use time::Date;

/// A resident the roll left off, with the rule's reason (shown to the committee only).
#[derive(Debug, Clone, Serialize)]
pub struct LeftOff {
    pub name: String,
    pub reason: Msg,
}

#[derive(Debug, Clone, Serialize)]
pub struct RollReport {
    pub published: usize,
    pub left_off: Vec<LeftOff>,
    /// Under all voters: whether the roll the SQL wrote was the engine's (else the
    /// engine's was written instead). `None` in the other modes, which the engine writes.
    #[serde(skip)]
    pub sql_agreed: Option<bool>,
}

/// Whole months from `from` to `to` (0 when `from` is later).
pub(super) fn months_between(from: Date, to: Date) -> u32 {
    let m =
        (to.year() - from.year()) * 12 + (to.month() as i32 - from.month() as i32) - i32::from(to.day() < from.day());
    m.max(0) as u32
}

fn category_word(c: &Category) -> &'static str {
    match c {
        Category::HukouAndResident => "hukou_and_resident",
        Category::HukouElsewhere { .. } => "hukou_elsewhere",
        Category::ResidentWithoutHukou { .. } => "resident_without_hukou",
    }
}

/// (id, name, group, birth date, blind index, 户籍, moved in, household) as the registry has them.
type RegistryRow = (i64, String, String, String, String, i64, Option<String>, String);

/// A row read under all voters: the blind index, and `id|户籍|birth date|moved in|name`.
fn unpack((index, packed): (String, String)) -> Result<RegistryRow> {
    let bad_row = || StoreError::Config(format!("a registry row read for the roll is malformed: {packed:?}"));
    let mut f = packed.splitn(5, '|');
    let mut next = || f.next().ok_or_else(bad_row);
    let id: i64 = next()?.parse().map_err(|_| bad_row())?;
    let hukou: i64 = next()?.parse().map_err(|_| bad_row())?;
    let birth = next()?.to_string();
    let moved_in = Some(next()?).filter(|m| !m.is_empty()).map(str::to_string);
    let name = next()?.to_string();
    Ok((id, name, String::new(), birth, index, hukou, moved_in, String::new()))
}

/// Build the community's roll for `e` from the registry and publish it on
/// `published_on` (§2.3: the engine's calendar then says whether the gap is met).
pub async fn publish_roll(db: &Db, actor: &str, e: &Election, published_on: Date) -> Result<RollReport> {
    publish_roll_with(db, actor, e, published_on, &[]).await
}

/// [`publish_roll`] by the election's mode (§1.5): all voters; one per household
/// (the household's first eligible member in the registry); or, under group
/// representatives, the committee's `representatives` (group, name), 2 or 3 for
/// every residents' group, each a resident of that group who may vote.
pub async fn publish_roll_with(
    db: &Db,
    actor: &str,
    e: &Election,
    published_on: Date,
    representatives: &[(String, String)],
) -> Result<RollReport> {
    if e.status != ElectionStatus::Preparing {
        return Err(not_preparing());
    }
    if e.roll_published.is_some() {
        return Err(bad(
            "roll",
            "选民名单已公布；此后的更正须经申诉程序（规则2.4）",
            "the voter roll is published; corrections go through objections (rule 2.4)",
        ));
    }
    let day = e.day().ok_or_else(|| StoreError::Config(format!("election {}: bad election day", e.id)))?;
    let direct = e.mode == ElectionMode::DirectAllVoters;
    let started = std::time::Instant::now();
    let rules = election::Ruleset::default();
    // Under all voters the SQL's roll is written (on one connection) while the registry is read and
    // judged (on another): the two take about as long, and SQLite's threads run them side by side.
    let judging = async {
        // Only the columns the judgement needs. Under all voters the published lines are written from
        // the registry by `INSERT … SELECT` (below), so neither the group nor the household is read, and
        // each row comes as two values (the blind index, and the rest joined by `|` with the name last,
        // so a name may hold anything): sqlx's cost is per value, and it was most of a roll's time.
        let rows: Vec<RegistryRow> = if direct {
            let packed: Vec<(String, String)> = sqlx::query_as(
                "SELECT r.id_index, r.id || '|' || r.hukou || '|' || r.birth_date || '|' || COALESCE(r.moved_in, '') \
                 || '|' || r.name FROM residents r WHERE r.community_code = $1 ORDER BY r.id",
            )
            .bind(&e.community_code)
            .fetch_all(&db.pool)
            .await?;
            packed.into_iter().map(unpack).collect::<Result<_>>()?
        } else {
            sqlx::query_as(
                "SELECT r.id, r.name, COALESCE(g.name, ''), r.birth_date, r.id_index, r.hukou, r.moved_in, r.household \
                 FROM residents r LEFT JOIN resident_groups g ON g.id = r.group_id WHERE r.community_code = $1 \
                 ORDER BY r.id",
            )
            .bind(&e.community_code)
            .fetch_all(&db.pool)
            .await?
        };
        let rows = match e.mode {
            ElectionMode::GroupRepresentatives => group_representatives(db, e, rows, representatives).await?,
            _ if !representatives.is_empty() => {
                return Err(bad(
                    "representatives",
                    "只有居民小组代表选举才由选举委员会填报代表（规则1.5）",
                    "representatives are entered only for a group-representative election (rule 1.5)",
                ));
            }
            _ => rows,
        };
        let read = started.elapsed();
        // §2.2: this community's residents already on another community's roll in this cycle.
        // A person is one registry row (its blind index is unique), so only those rows can clash:
        // reading them, not every other roll, keeps building all the rolls linear. The CROSS JOINs
        // fix SQLite's order: each of this community's residents is looked up once in the voters'
        // by-resident index (0.03 s for the last of 23 rolls at city scale), where the planner would
        // otherwise probe every other election of the year for every resident (0.13 s, growing).
        let others: Vec<(String, String)> = sqlx::query_as(
            "SELECT r.id_index, c.name FROM election_voters v CROSS JOIN elections x CROSS JOIN residents r \
             CROSS JOIN communities c WHERE v.resident_id IN (SELECT id FROM residents WHERE community_code = $1) \
             AND v.struck_on IS NULL AND x.id = v.election_id AND x.community_code <> $1 \
             AND SUBSTR(x.election_day, 1, 4) = $2 AND r.id = v.resident_id AND c.code = x.community_code",
        )
        .bind(&e.community_code)
        .bind(day.year().to_string())
        .fetch_all(&db.pool)
        .await?;
        let community_name: String = sqlx::query_scalar("SELECT name FROM communities WHERE code = $1")
            .bind(&e.community_code)
            .fetch_one(&db.pool)
            .await?;
        let mut register = CycleRegister::with_capacity(others.len() + rows.len());
        for (key, name) in &others {
            // Seeding with distinct keys of other communities cannot clash.
            let _ = register.register(key, name);
        }
        // §2.1(c): residents without 户籍 whose own application the committee approved.
        let approved: std::collections::HashSet<i64> =
            sqlx::query_scalar("SELECT resident_id FROM election_applications WHERE election_id = $1 AND approved = 1")
                .bind(e.id)
                .fetch_all(&db.pool)
                .await?
                .into_iter()
                .collect();
        let checked = started.elapsed();
        let mut born = Vec::with_capacity(rows.len());
        let mut categories = Vec::with_capacity(rows.len());
        for (id, _, _, birth, _, hukou, moved_in, _) in &rows {
            // The registry's birth date is the one its import read from the checked ID number (GB 11643).
            born.push(clock::parse_date(birth).ok_or_else(|| {
                StoreError::Config(format!("resident {id}: the registry's birth date {birth:?} is not a date"))
            })?);
            categories.push(if *hukou != 0 {
                Category::HukouAndResident
            } else {
                let months = moved_in.as_deref().and_then(clock::parse_date).map_or(0, |m| months_between(m, day));
                // §2.1(c): only on the person's own application, approved.
                let applied = approved.contains(id);
                Category::ResidentWithoutHukou { months, applied, approved: applied, residence_permit: false }
            });
        }
        let dated = started.elapsed();
        let residents = rows.iter().zip(&born).zip(&categories).map(|((r, born), category)| Resident {
            name: &r.1,
            group: &r.2,
            person_key: &r.4,
            applicant: Applicant {
                id_number: "",
                born: Some(*born),
                category: *category,
                deprived_of_political_rights: false,
            },
        });
        let judged = judge_roll(&rules, day, &community_name, residents, &mut register);
        let mut left_off = judged.left_off;
        let mut kept = judged.kept;
        match e.mode {
            // The committee's representatives must all be voters: any refusal refuses the roll.
            ElectionMode::GroupRepresentatives if !left_off.is_empty() => {
                let name = |i: usize| rows[i].1.clone();
                return Err(StoreError::Fields(
                    left_off
                        .into_iter()
                        .map(|(i, m)| {
                            let msg = Msg::new(format!("{}：{}", name(i), m.zh), format!("{}: {}", name(i), m.en));
                            ("representatives".to_string(), msg)
                        })
                        .collect(),
                ));
            }
            ElectionMode::HouseholdRepresentatives => {
                // A resident without a household number is a household of their own.
                let keys: Vec<String> = kept
                    .iter()
                    .map(|&i| if rows[i].7.trim().is_empty() { format!("#{}", rows[i].0) } else { rows[i].7.clone() })
                    .collect();
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                let (stay, extra) = election::roll::one_per_household(&keys);
                left_off.extend(extra.into_iter().map(|(j, m)| (kept[j], m)));
                left_off.sort_by_key(|(i, _)| *i);
                kept = stay.into_iter().map(|j| kept[j]).collect();
            }
            _ => {}
        }
        let judged_at = started.elapsed();
        Ok::<_, StoreError>((rows, categories, kept, left_off, (read, checked, dated, judged_at)))
    };
    let writing = async {
        let mut tx = db.begin().await?;
        let n = sqlx::query(
            "UPDATE elections SET roll_published = $1 WHERE id = $2 AND roll_published IS NULL AND status = 'preparing'",
        )
        .bind(published_on.to_string())
        .bind(e.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(bad("roll", "选民名单已公布", "the voter roll is already published"));
        }
        let by_sql = if direct { Some(super::roll_sql::insert(&mut tx, e, day, &rules).await?) } else { None };
        Ok::<_, StoreError>((tx, by_sql))
    };
    let ((rows, categories, kept, left_off, (read, checked, dated, judged_at)), (mut tx, by_sql)) = if direct {
        tokio::try_join!(judging, writing)?
    } else {
        let judged = judging.await?;
        (judged, writing.await?)
    };
    let engine = (kept.len() as i64, kept.iter().map(|&i| rows[i].0).sum::<i64>());
    if by_sql != Some(engine) {
        if let Some(sql) = by_sql {
            // The engine is the judge: a registry whose rows the SQL reads otherwise than the
            // engine (a moved-in date the engine cannot read as a date, say) gets the engine's roll.
            tracing::error!(
                election = e.id,
                ?sql,
                ?engine,
                "the roll's SQL and the engine disagree; writing the engine's roll"
            );
            sqlx::query("DELETE FROM election_voters WHERE election_id = $1").bind(e.id).execute(&mut *tx).await?;
        }
        // Under all voters the groups were not read: the engine's roll needs them now.
        let groups: std::collections::HashMap<i64, String> = if direct {
            sqlx::query_as(
                "SELECT r.id, COALESCE(g.name, '') FROM residents r LEFT JOIN resident_groups g ON g.id = r.group_id \
                 WHERE r.community_code = $1",
            )
            .bind(&e.community_code)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect()
        } else {
            std::collections::HashMap::new()
        };
        for chunk in kept.chunks(500) {
            let mut q = crate::sql::Sql::new(
                db.dialect,
                "INSERT INTO election_voters (election_id, resident_id, name, group_name, category)",
            );
            q.values(chunk, |&i| {
                let r = &rows[i];
                let group = groups.get(&r.0).map_or(r.2.as_str(), String::as_str);
                let category = category_word(&categories[i]);
                vec![e.id.into(), r.0.into(), r.1.as_str().into(), group.into(), category.into()]
            });
            q.query().execute(&mut *tx).await?;
        }
    }
    audit_write(
        &mut tx,
        actor,
        "election.roll",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "published_on": published_on.to_string(), "mode": e.mode, "voters": kept.len(), "left_off": left_off.len() }),
    )
    .await?;
    tx.commit().await?;
    tracing::debug!(
        election = e.id,
        read_ms = read.as_millis() as u64,
        check_2_2_ms = (checked - read).as_millis() as u64,
        dates_ms = (dated - checked).as_millis() as u64,
        judge_ms = (judged_at - dated).as_millis() as u64,
        write_ms = (started.elapsed() - judged_at).as_millis() as u64,
        "roll published"
    );
    let left_off = left_off.into_iter().map(|(i, reason)| LeftOff { name: rows[i].1.clone(), reason }).collect();
    Ok(RollReport { published: kept.len(), left_off, sql_agreed: by_sql.map(|sql| sql == engine) })
}

/// §1.5: the committee's representatives, 2 or 3 for every residents' group of
/// the community, each found once among that group's residents. Every error at once.
async fn group_representatives(
    db: &Db,
    e: &Election,
    rows: Vec<RegistryRow>,
    reps: &[(String, String)],
) -> Result<Vec<RegistryRow>> {
    let groups: Vec<String> =
        sqlx::query_scalar("SELECT name FROM resident_groups WHERE community_code = $1 ORDER BY id")
            .bind(&e.community_code)
            .fetch_all(&db.pool)
            .await?;
    if groups.is_empty() {
        return Err(bad(
            "representatives",
            "本社区没有居民小组，不能按居民小组代表选举（规则1.5）",
            "this community has no residents' groups to send representatives (rule 1.5)",
        ));
    }
    let mut per_group: std::collections::BTreeMap<String, u32> = groups.iter().map(|g| (g.clone(), 0)).collect();
    let (mut picked, mut errs, mut seen) = (Vec::new(), Vec::new(), std::collections::HashSet::new());
    for (g, n) in reps {
        let Some(count) = per_group.get_mut(g) else {
            errs.push((
                "representatives".to_string(),
                Msg::new(format!("本社区没有居民小组“{g}”"), format!("no residents' group {g} here")),
            ));
            continue;
        };
        if !seen.insert((g, n)) {
            continue;
        }
        let found: Vec<&RegistryRow> = rows.iter().filter(|r| &r.2 == g && &r.1 == n).collect();
        match found.as_slice() {
            [r] => {
                picked.push((*r).clone());
                *count += 1;
            }
            _ => errs.push((
                "representatives".to_string(),
                Msg::new(
                    format!("居民小组“{g}”中找不到唯一的居民“{n}”"),
                    format!("{n} is not found once in residents' group {g}"),
                ),
            )),
        }
    }
    if let Err(ms) = election::polling::check_group_representatives(&per_group) {
        errs.extend(ms.into_iter().map(|m| ("representatives".to_string(), m)));
    }
    if errs.is_empty() { Ok(picked) } else { Err(StoreError::Fields(errs)) }
}

/// A §2.1(c) application as recorded: who applied, when, and the committee's decision.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Application {
    pub name: String,
    pub applied_on: String,
    pub approved: i64,
    pub decided_on: String,
}

pub async fn applications(db: &Db, election_id: i64) -> Result<Vec<Application>> {
    Ok(sqlx::query_as(
        "SELECT name, applied_on, approved, decided_on FROM election_applications WHERE election_id = $1 ORDER BY id",
    )
    .bind(election_id)
    .fetch_all(&db.pool)
    .await?)
}

/// §2.1(c): a resident of this community without 户籍 applies to register, and
/// the committee decides, before the roll is built; the roll then takes an
/// approved applicant who meets the rest of the rules (months of residence, §1.4, §2.2).
pub async fn apply(
    db: &Db,
    actor: &str,
    e: &Election,
    name: &str,
    applied_on: Date,
    approved: bool,
    decided_on: Date,
) -> Result<Application> {
    if e.status != ElectionStatus::Preparing {
        return Err(not_preparing());
    }
    if e.roll_published.is_some() {
        return Err(bad(
            "name",
            "选民名单已公布；此后的登记须经申诉程序（规则2.4）",
            "the roll is published: later registrations go through objections (rule 2.4)",
        ));
    }
    if decided_on < applied_on {
        return Err(bad("decided_on", "决定日期不能早于申请日期", "the decision cannot precede the application"));
    }
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, hukou FROM residents WHERE community_code = $1 AND name = $2")
            .bind(&e.community_code)
            .bind(name)
            .fetch_all(&db.pool)
            .await?;
    let [(rid, hukou)] = rows.as_slice() else {
        return Err(bad(
            "name",
            format!("本社区居民登记中找不到唯一的“{name}”"),
            format!("{name} is not found once in this community's registry"),
        ));
    };
    if *hukou != 0 {
        return Err(bad(
            "name",
            "户籍在本社区的居民直接登记，无须申请（规则2.1）",
            "a resident with 户籍 here is registered without applying (rule 2.1)",
        ));
    }
    let mut tx = db.begin().await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM election_applications WHERE election_id = $1 AND resident_id = $2")
            .bind(e.id)
            .bind(*rid)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(bad("name", "该居民的登记申请已处理", "this resident's application is already decided"));
    }
    let row: Application = sqlx::query_as(
        "INSERT INTO election_applications (election_id, resident_id, name, applied_on, approved, decided_on, decided_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING name, applied_on, approved, decided_on",
    )
    .bind(e.id)
    .bind(*rid)
    .bind(name)
    .bind(applied_on.to_string())
    .bind(i64::from(approved))
    .bind(decided_on.to_string())
    .bind(actor)
    .fetch_one(&mut *tx)
    .await?;
    audit_write(
        &mut tx,
        actor,
        "election.application",
        "election",
        e.id,
        (&e.community_code, &e.district_code),
        json!({ "resident": rid, "applied_on": row.applied_on, "approved": approved, "decided_on": row.decided_on }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_are_whole_months() {
        assert_eq!(months_between(date!(2025 - 05 - 30), date!(2026 - 05 - 30)), 12);
        assert_eq!(months_between(date!(2025 - 05 - 31), date!(2026 - 05 - 30)), 11);
        assert_eq!(months_between(date!(2027 - 01 - 01), date!(2026 - 05 - 30)), 0);
    }
}
