//! Log-in and log-out. Sessions are HttpOnly, SameSite=Lax cookies (Secure
//! over HTTPS, see [`crate::secure`]); failed log-ins are throttled per
//! account and client, in the database.

use super::{Ctx, field, page};
use crate::AppState;
use crate::error::ApiError;
use crate::policy::{SESSION_COOKIE, cookie};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use store::users::LoginRefusal;

/// Check a user name and password from a client (its address, see
/// [`crate::secure::Client`]). Failures are counted per account and client in
/// the database, so every server process shares them, with growing waits
/// after the first few (`store::limits`): someone else typing wrong passwords
/// from elsewhere never locks the account's owner out. The password is never
/// logged; every refusal is audited.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    password: &str,
    client: &str,
) -> Result<store::users::UserRow, ApiError> {
    let bucket = store::limits::login_bucket(username, client);
    if store::limits::login_blocked(&state.db, &bucket).await?.is_some() {
        tracing::warn!("log-in throttled");
        let user = store::users::by_username(&state.db, username.trim()).await?;
        store::users::record_login_refused(&state.db, user.as_ref(), LoginRefusal::Throttled, client).await?;
        return Err(ApiError::Throttled);
    }
    let user = store::users::by_username(&state.db, username.trim()).await?;
    let ok = match &user {
        Some(u) => store::users::verify_password(password, &u.password_hash),
        None => {
            // Same work for unknown names, so timing does not reveal which names exist.
            store::users::verify_password(
                password,
                "$argon2id$v=19$m=19456,t=2,p=1$c2hlcXVzYWx0$0000000000000000000000000000000000000000000",
            );
            false
        }
    };
    if let Some(u) = user.as_ref().filter(|_| ok) {
        // A user whose role is unknown is refused (and the refusal audited), never let in as a resident.
        store::users::accept(&state.db, u).await.map_err(|e| match e {
            store::StoreError::Invalid { .. } => ApiError::Forbidden,
            e => e.into(),
        })?;
        store::limits::login_succeeded(&state.db, &bucket).await?;
        return Ok(u.clone());
    }
    store::limits::login_failed(&state.db, &bucket).await?;
    let why = if user.is_some() { LoginRefusal::Password } else { LoginRefusal::UnknownUser };
    store::users::record_login_refused(&state.db, user.as_ref(), why, client).await?;
    Err(ApiError::invalid("password", "用户名或密码错误", "wrong user name or password"))
}

pub fn session_cookie(token: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"))
        .unwrap_or(HeaderValue::from_static(""))
}

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Where a log-in goes next: a path on this site only ([`crate::http::local_path`]).
fn safe_next(n: Option<&str>) -> String {
    n.and_then(crate::http::local_path).unwrap_or("/").to_string()
}

fn form(ctx: &Ctx, username: &str, next: &str, error: Option<&str>) -> Response {
    let body = html! {
        div.card style="max-width:28rem;margin:2rem auto" {
            h1 { (ctx.t("工作人员与居民登录", "Log in")) }
            form.stack method="post" action="/login" {
                input type="hidden" name="next" value=(next);
                (field(ctx.t("用户名", "User name"), "username", username, None, "text"))
                (field(ctx.t("密码", "Password"), "password", "", error, "password"))
                p { button type="submit" { (ctx.t("登录", "Log in")) } }
            }
            p.muted { (ctx.t("演示账号见启动时的终端输出。", "Demo log-ins are printed when the demo starts.")) }
        }
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, page(ctx, ctx.t("登录", "Log in"), body)).into_response()
}

pub async fn login_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    form(&ctx, "", &safe_next(q.next.as_deref()), None)
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    client: crate::secure::Client,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    match authenticate(&state, &f.username, &f.password, &client.0).await {
        Ok(u) => match store::users::open_session(&state.db, &u).await {
            Ok((token, _)) => {
                let mut resp = Redirect::to(&next).into_response();
                resp.headers_mut().insert(header::SET_COOKIE, session_cookie(&token, 12 * 3600));
                resp
            }
            Err(e) => super::error_page(&ctx, e.into()),
        },
        Err(ApiError::Throttled) => {
            let msg = ctx.t("登录失败次数过多，请稍后再试", "Too many failed log-ins; try again later");
            let mut r = form(&ctx, &f.username, &next, Some(msg));
            *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            r
        }
        Err(_) => form(&ctx, &f.username, &next, Some(ctx.t("用户名或密码错误", "Wrong user name or password"))),
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let _ = store::users::close_session(&state.db, &token).await;
    }
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut().insert(header::SET_COOKIE, session_cookie("", 0));
    resp
}
