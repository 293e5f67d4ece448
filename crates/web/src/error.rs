//! One error envelope: RFC 9457 `application/problem+json`, naming the
//! field, with the message in Chinese and English. Internal errors are
//! logged and never shown.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rules::Msg;
use serde_json::json;
use store::StoreError;

#[derive(Debug)]
pub enum ApiError {
    Invalid {
        field: String,
        msg: Msg,
    },
    /// Bad input in several fields at once (every error of a form, in the
    /// order checked); the first names the problem. Built by [`ApiError::fields`].
    Fields(Vec<(String, Msg)>),
    NotFound,
    Unauthenticated,
    Forbidden,
    Csrf,
    Throttled,
    /// A limit other than log-ins was reached (searches by full ID number per day): 429 saying which.
    Limited(Msg),
    /// The database did not answer (e.g. while looking a session up).
    Unavailable,
    /// The disk (or the operator's cap on the database file) is full: nothing
    /// was written; reading goes on.
    StorageFull,
    Internal(String),
}

impl ApiError {
    pub fn invalid(field: &str, zh: &str, en: &str) -> ApiError {
        ApiError::Invalid { field: field.into(), msg: Msg::new(zh, en) }
    }

    /// Every field error of an input: one is [`ApiError::Invalid`], more are [`ApiError::Fields`].
    pub fn fields(errs: impl IntoIterator<Item = (String, Msg)>) -> ApiError {
        let mut errs: Vec<(String, Msg)> = errs.into_iter().collect();
        match errs.len() {
            0 => ApiError::invalid("input", "输入有误", "invalid input"),
            1 => {
                let (field, msg) = errs.remove(0);
                ApiError::Invalid { field, msg }
            }
            _ => ApiError::Fields(errs),
        }
    }

    /// The field errors this answer carries (none unless it is bad input).
    pub fn field_errors(&self) -> Vec<(&str, &Msg)> {
        match self {
            ApiError::Invalid { field, msg } => vec![(field.as_str(), msg)],
            ApiError::Fields(errs) => errs.iter().map(|(f, m)| (f.as_str(), m)).collect(),
            _ => vec![],
        }
    }

    pub(crate) fn parts(&self) -> (StatusCode, &'static str, Msg) {
        match self {
            ApiError::Invalid { msg, .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", msg.clone()),
            ApiError::Fields(errs) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                errs.first().map(|(_, m)| m.clone()).unwrap_or_else(|| Msg::new("输入有误", "invalid input")),
            ),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not-found", Msg::new("未找到", "not found")),
            ApiError::Unauthenticated => {
                (StatusCode::UNAUTHORIZED, "unauthenticated", Msg::new("请先登录", "log in first"))
            }
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", Msg::new("无权访问", "not permitted")),
            ApiError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                Msg::new("表单已过期，请刷新页面后重试", "the form's CSRF token is missing or wrong"),
            ),
            ApiError::Throttled => (
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                Msg::new("登录失败次数过多，请稍后再试", "too many failed log-ins; try again later"),
            ),
            ApiError::Limited(msg) => (StatusCode::TOO_MANY_REQUESTS, "limited", msg.clone()),
            ApiError::StorageFull => (
                StatusCode::INSUFFICIENT_STORAGE,
                "storage-full",
                Msg::new(
                    "存储空间已满，本次未保存任何内容；查阅不受影响，请联系系统管理员",
                    "storage is full: nothing was saved; reading still works; tell the system administrator",
                ),
            ),
            ApiError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                Msg::new("服务暂时不可用，请稍后再试", "the service is unavailable; try again shortly"),
            ),
            ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", Msg::new("服务器内部错误", "internal error"))
            }
        }
    }
}

/// The field whose value a deserialisation failed on (`lat`, `answers.floor`);
/// `None` when the input as a whole is at fault: not an object at all, or a
/// field that does not exist (that is the body's fault, not a field's).
pub fn field_path<E: std::fmt::Display>(e: &serde_path_to_error::Error<E>) -> Option<String> {
    let s = e.path().to_string();
    let unknown = e.inner().to_string().starts_with("unknown field");
    (s != "." && !s.is_empty() && !unknown).then_some(s)
}

/// Form values (gathered as a JSON object) as one of the store's input types.
/// A value of the wrong shape is the input's fault: 422 naming its field,
/// never an empty input that fails later for another reason.
pub fn typed_input<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, StoreError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let field = field_path(&e).unwrap_or_else(|| "form".to_string());
        let detail = e.inner().to_string();
        store::error::bad(&field, format!("{field}的取值格式不正确：{detail}"), format!("malformed {field}: {detail}"))
    })
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid { field, msg } => ApiError::Invalid { field, msg },
            StoreError::NotFound => ApiError::NotFound,
            other if other.is_storage_full() => {
                tracing::error!(error = %other, "storage full: writes refused");
                ApiError::StorageFull
            }
            other if other.is_unavailable() => {
                tracing::warn!(error = %other, "database unavailable");
                ApiError::Unavailable
            }
            StoreError::Limited(msg) => ApiError::Limited(msg),
            StoreError::Fields(errs) => ApiError::fields(errs),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, msg) = self.parts();
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let mut body = json!({
            "type": format!("https://shequ.example/problems/{code}"),
            "title": msg.en,
            "status": status.as_u16(),
            "detail": msg.zh,
            "code": code,
        });
        let errs = self.field_errors();
        if let Some((field, _)) = errs.first() {
            body["field"] = json!(field);
            body["errors"] = errs.iter().map(|(f, m)| json!({ "field": f, "zh": m.zh, "en": m.en })).collect();
        }
        (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
    }
}

/// The API answers every error as problem+json (issue 12, point 13): a path or
/// query value the extractors could not read (axum answers those as plain
/// text) becomes a problem naming `path` or `query`, with the client-error
/// status axum gave (400 for a value it cannot parse), its text kept as the detail.
pub async fn api_problem(api: bool, resp: Response) -> Response {
    let plain = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !api || !plain || !(resp.status().is_client_error()) {
        return resp;
    }
    let status = resp.status();
    let text = match axum::body::to_bytes(resp.into_body(), 64 << 10).await {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(_) => String::new(),
    };
    let field = if text.contains("query string") { "query" } else { "path" };
    let msg = Msg::new(format!("地址中的取值无效：{text}"), text.clone());
    let body = json!({
        "type": "https://shequ.example/problems/invalid",
        "title": msg.en,
        "status": status.as_u16(),
        "detail": msg.zh,
        "code": "invalid",
        "field": field,
        "errors": [{ "field": field, "zh": msg.zh, "en": msg.en }],
    });
    (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
}
