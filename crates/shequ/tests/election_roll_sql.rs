//! The roll under all voters is written by one `INSERT … SELECT` from the
//! registry (store::elections::roll_sql), with rules §1.4, §2.1 and §2.2 as SQL;
//! the engine stays the judge. On both databases, on a registry built around
//! every edge of those rules, the SQL writes exactly the engine's roll; and where
//! the two read a registry row differently, the engine's roll is written.

mod common;
use common::*;
use rules::committee::Post;
use store::elections::{self as el, ElectionMode, ElectionSpec};
use store::residents::ResidentInput;
use time::{Date, Duration};

/// The same day `n` years earlier (28 February for a 29th of February that year lacks).
fn years_back(day: Date, n: i32) -> Date {
    let last = time::util::days_in_month(day.month(), day.year() - n);
    Date::from_calendar_date(day.year() - n, day.month(), day.day().min(last)).unwrap()
}

async fn add(db: &store::Db, community: &str, name: &str, seq: u16, born: Date, hukou: bool, moved_in: Option<Date>) {
    let input = ResidentInput {
        name: name.into(),
        id_number: rules::gb11643::compose("340705", born, seq),
        hukou: if hukou { "是" } else { "否" }.into(),
        moved_in: moved_in.map(|d| d.to_string()).unwrap_or_default(),
        household: format!("{seq}"),
        ..ResidentInput::default()
    };
    store::residents::add(db, "test", 1, community, input).await.unwrap_or_else(|e| panic!("{name}: {e}"));
}

async fn names(db: &store::Db, election: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM election_voters WHERE election_id = $1 AND struck_on IS NULL ORDER BY name")
        .bind(election)
        .fetch_all(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn rule_1_4_2_1_2_2_the_roll_sql_and_the_engine_agree() {
    for (backend, url) in backends().await {
        let s = start(backend, &url).await;
        let db = &s.db;
        let today = store::clock::today();
        let day = today + Duration::days(40);
        let spec = ElectionSpec {
            mode: ElectionMode::DirectAllVoters,
            election_day: day,
            seats: vec![(Post::Director, 1), (Post::DeputyDirector, 1), (Post::Member, 3)],
        };
        let open: Vec<String> = sqlx::query_scalar("SELECT community_code FROM elections WHERE status = 'preparing'")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        let all = store::structure::communities(db, None).await.unwrap();
        let free: Vec<_> = all.iter().filter(|c| !open.contains(&c.code)).collect();
        let (a, b, c) = (free[0], free[1], free[2]);
        let adult = years_back(day, 18);
        let long_ago = years_back(today, 5);
        let year_ago = years_back(day, 1);
        add(db, &a.code, "满十八岁", 901, adult, true, None).await;
        add(db, &a.code, "差一天满十八", 902, adult + Duration::days(1), true, None).await;
        add(db, &a.code, "早一天满十八", 903, adult - Duration::days(1), true, None).await;
        add(db, &a.code, "非户籍满一年", 904, years_back(day, 40), false, Some(year_ago)).await;
        add(db, &a.code, "非户籍差一天", 905, years_back(day, 40), false, Some(year_ago + Duration::days(1))).await;
        add(db, &a.code, "非户籍未获批", 906, years_back(day, 40), false, Some(long_ago)).await;
        add(db, &a.code, "非户籍未申请", 907, years_back(day, 40), false, Some(long_ago)).await;
        add(db, &a.code, "非户籍无迁入日", 908, years_back(day, 40), false, None).await;
        add(db, &b.code, "已在别处登记", 909, years_back(day, 30), true, None).await;
        add(db, &b.code, "别处已除名", 910, years_back(day, 30), true, None).await;

        // §2.2: two residents of B on B's roll move to A; one was struck off B's roll.
        let eb = el::create(db, "test", b, &spec, true).await.unwrap();
        let rb = el::publish_roll(db, "test", &eb, today).await.unwrap();
        assert_eq!(rb.sql_agreed, Some(true), "{backend}");
        sqlx::query(
            "UPDATE election_voters SET struck_on = $1 WHERE election_id = $2 \
             AND resident_id = (SELECT id FROM residents WHERE name = '别处已除名')",
        )
        .bind(today.to_string())
        .bind(eb.id)
        .execute(&db.pool)
        .await
        .unwrap();
        sqlx::query("UPDATE residents SET community_code = $1 WHERE name IN ('已在别处登记', '别处已除名')")
            .bind(&a.code)
            .execute(&db.pool)
            .await
            .unwrap();

        let ea = el::create(db, "test", a, &spec, true).await.unwrap();
        for (name, approved) in
            [("非户籍满一年", true), ("非户籍差一天", true), ("非户籍未获批", false), ("非户籍无迁入日", true)]
        {
            el::roll::apply(db, "test", &ea, name, today, approved, today).await.unwrap();
        }
        let ra = el::publish_roll(db, "test", &ea, today).await.unwrap();
        assert_eq!(ra.sql_agreed, Some(true), "{backend}: the SQL wrote the engine's roll");
        let on = names(db, ea.id).await;
        for name in ["满十八岁", "早一天满十八", "非户籍满一年", "别处已除名"] {
            assert!(on.iter().any(|n| n == name), "{backend}: {name} is on the roll: {on:?}");
        }
        let left: Vec<&str> = ra.left_off.iter().map(|l| l.name.as_str()).collect();
        for name in ["差一天满十八", "非户籍差一天", "非户籍未获批", "非户籍未申请", "非户籍无迁入日", "已在别处登记"]
        {
            assert!(!on.iter().any(|n| n == name), "{backend}: {name} is not on the roll: {on:?}");
            assert!(left.contains(&name), "{backend}: {name} is left off with a reason: {left:?}");
        }
        assert!(ra.left_off.iter().any(|l| l.reason.en.contains("rule 2.2")), "{backend}");
        assert_eq!(on.len(), ra.published, "{backend}");
        let groups: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM election_voters v JOIN residents r ON r.id = v.resident_id \
             LEFT JOIN resident_groups g ON g.id = r.group_id WHERE v.election_id = $1 \
             AND v.group_name = COALESCE(g.name, '') AND v.name = r.name \
             AND v.category = CASE WHEN r.hukou <> 0 THEN 'hukou_and_resident' ELSE 'resident_without_hukou' END",
        )
        .bind(ea.id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(groups as usize, ra.published, "{backend}: name, group and category as the registry has them");

        // A registry row the SQL reads otherwise than the engine (a moved-in date not written as a
        // date, which the engine cannot count months from): the engine's roll is written, not the SQL's.
        add(db, &c.code, "迁入日期有误", 911, years_back(day, 30), false, Some(long_ago)).await;
        let ec = el::create(db, "test", c, &spec, true).await.unwrap();
        el::roll::apply(db, "test", &ec, "迁入日期有误", today, true, today).await.unwrap();
        sqlx::query("UPDATE residents SET moved_in = '2001-1-1' WHERE name = '迁入日期有误'")
            .execute(&db.pool)
            .await
            .unwrap();
        let rc = el::publish_roll(db, "test", &ec, today).await.unwrap();
        assert_eq!(rc.sql_agreed, Some(false), "{backend}");
        let on = names(db, ec.id).await;
        assert!(!on.iter().any(|n| n == "迁入日期有误"), "{backend}: the engine's judgement: {on:?}");
        assert!(rc.left_off.iter().any(|l| l.name == "迁入日期有误"), "{backend}");
        assert_eq!(on.len(), rc.published, "{backend}");
    }
}
