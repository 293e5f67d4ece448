//! `shequ bench baseline`: the two minimal servers case intake is measured
//! against (issue 13, point 5). Both are axum on one SQLite file opened with
//! shequ's own settings (WAL, `synchronous = FULL`, the same pragmas), take
//! the same Open311 form body at the same path and answer the same shape
//! only after a durable commit; each request stores one row.
//! - `one-row`: one connection, one transaction per request (`BEGIN
//!   IMMEDIATE`, one `INSERT`, `COMMIT`), requests take turns on it.
//! - `group`: a writer thread with a connection of its own takes whatever has
//!   queued (up to 256 requests) and writes it as one multi-row `INSERT` in
//!   one transaction: many requests share one fsync, as shequ's case writer does.

use anyhow::Result;
use axum::extract::{Form, State};
use axum::routing::post;
use serde::Deserialize;
use sqlx::AnyConnection;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Mode {
    OneRow,
    Group,
}

#[derive(Deserialize)]
struct Request {
    service_code: String,
    #[serde(default)]
    description: String,
    lat: Option<f64>,
    long: Option<f64>,
}

type Row = (String, String, Option<f64>, Option<f64>);
type Job = (Row, oneshot::Sender<Option<i64>>);

#[derive(Clone)]
enum Store {
    OneRow(Arc<Mutex<AnyConnection>>),
    Group(mpsc::UnboundedSender<Job>),
}

const TABLE: &str = "CREATE TABLE IF NOT EXISTS bench_requests (id INTEGER PRIMARY KEY, service_code TEXT NOT NULL, \
     description TEXT NOT NULL, lat REAL, lon REAL, created_at TEXT NOT NULL)";

pub(super) async fn serve(db: crate::cli::DbArgs, listen: String, mode: Mode) -> Result<()> {
    let db = crate::cli::open(&db).await?;
    sqlx::query(TABLE).execute(&db.pool).await?;
    let store = match mode {
        Mode::OneRow => Store::OneRow(Arc::new(Mutex::new(db.own_connection().await?))),
        Mode::Group => Store::Group(group_writer(db.own_connection().await?)),
    };
    let app = axum::Router::new().route("/open311/v2/requests.json", post(take)).with_state(store);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("minimal {mode:?} server on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

async fn take(State(store): State<Store>, Form(r): Form<Request>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let row = (r.service_code, r.description, r.lat, r.long);
    let id = match store {
        Store::OneRow(conn) => one_row(&mut *conn.lock().await, row).await.ok(),
        Store::Group(queue) => {
            let (tx, rx) = oneshot::channel();
            if queue.send((row, tx)).is_err() { None } else { rx.await.ok().flatten() }
        }
    };
    match id {
        Some(id) => axum::Json(serde_json::json!([{ "service_request_id": id.to_string() }])).into_response(),
        None => axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

async fn one_row(conn: &mut AnyConnection, (code, text, lat, lon): Row) -> Result<i64> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    let id = sqlx::query_scalar(
        "INSERT INTO bench_requests (service_code, description, lat, lon, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(code)
    .bind(text)
    .bind(lat)
    .bind(lon)
    .bind(store::clock::now_text())
    .fetch_one(&mut *conn)
    .await;
    match id {
        Ok(id) => {
            sqlx::query("COMMIT").execute(&mut *conn).await?;
            Ok(id)
        }
        Err(e) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            Err(e.into())
        }
    }
}

/// The group-commit writer on a thread and runtime of its own.
fn group_writer(mut conn: AnyConnection) -> mpsc::UnboundedSender<Job> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        rt.block_on(async move {
            let mut batch = Vec::with_capacity(256);
            while rx.recv_many(&mut batch, 256).await > 0 {
                let rows: Vec<&Row> = batch.iter().map(|(r, _)| r).collect();
                let first = write_batch(&mut conn, &rows).await.ok();
                for (i, (_, reply)) in batch.drain(..).enumerate() {
                    let _ = reply.send(first.map(|f| f + i as i64));
                }
            }
        });
    });
    tx
}

async fn write_batch(conn: &mut AnyConnection, rows: &[&Row]) -> Result<i64> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    let first: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM bench_requests")
        .fetch_one(&mut *conn)
        .await?;
    let now = store::clock::now_text();
    let mut q = store::sql::Sql::new(
        store::Dialect::Sqlite,
        "INSERT INTO bench_requests (id, service_code, description, lat, lon, created_at)",
    );
    let numbered: Vec<(i64, &&Row)> = rows.iter().enumerate().map(|(i, r)| (first + i as i64, r)).collect();
    q.values(&numbered, |(id, (code, text, lat, lon))| {
        vec![
            (*id).into(),
            code.as_str().into(),
            text.as_str().into(),
            (*lat).into(),
            (*lon).into(),
            now.as_str().into(),
        ]
    });
    if let Err(e) = q.query().execute(&mut *conn).await {
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
        return Err(e.into());
    }
    sqlx::query("COMMIT").execute(&mut *conn).await?;
    Ok(first)
}
