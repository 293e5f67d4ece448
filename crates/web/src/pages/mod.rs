//! Server-rendered pages (maud). Every page works without JavaScript.

pub mod audit;
pub mod audit_words;
pub mod between;
pub mod case;
pub mod cases;
pub mod chart;
pub mod circle;
pub mod circle_coverage;
pub mod circle_facilities;
pub mod circle_siting;
pub mod community_public;
pub mod dashboard;
pub mod deliberation;
pub mod done;
pub mod election_public;
pub mod elections;
pub mod figures;
pub mod figures_years;
pub mod finance;
pub mod finance_books;
pub mod form;
pub mod hotline;
pub mod lists;
pub mod notify;
pub mod open_data;
pub mod orgs;
pub mod party;
pub mod pb;
pub mod providers;
pub mod public;
pub mod residents;
pub mod service;
pub mod session;
pub mod staff;
pub mod stewards;
pub mod trends;
pub mod triage;
pub mod units;

pub use crate::http::{form_pairs, urlencode};
use crate::i18n::Lang;
use crate::policy::Principal;
use axum::extract::{FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

/// What every page handler needs: the language, the user (if any), the path.
pub struct Ctx {
    pub lang: Lang,
    pub principal: Option<Principal>,
    pub path: String,
    /// The database holds the demo's invented people: staff pages say so (示例).
    pub invented: bool,
}

/// Set by the guard on a logged-in page request: whether the database holds invented data.
#[derive(Clone, Copy)]
pub struct InventedData(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Ctx {
            lang: Lang::from_headers(&parts.headers),
            principal: parts.extensions.get::<Option<Principal>>().cloned().flatten(),
            path: parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into()),
            invented: parts.extensions.get::<InventedData>().is_some_and(|d| d.0),
        })
    }
}

impl Ctx {
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.t(zh, en)
    }

    /// The principal; the policy guard guarantees one on non-public routes.
    pub fn me(&self) -> Result<&Principal, crate::error::ApiError> {
        self.principal.as_ref().ok_or(crate::error::ApiError::Unauthenticated)
    }

    pub fn csrf_field(&self) -> Markup {
        html! { @if let Some(p) = &self.principal { input type="hidden" name="csrf" value=(p.csrf); } }
    }

    pub fn csrf(&self) -> String {
        self.principal.as_ref().map(|p| p.csrf.clone()).unwrap_or_default()
    }
}

pub fn layout(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let lang = ctx.lang;
    let role = ctx.principal.as_ref().map(|p| p.role);
    let can = |roles: &[store::users::Role]| role.is_some_and(|r| roles.contains(&r));
    use crate::policy::*;
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (lang.t("铜陵社区", "shequ Tongling")) }
                link rel="stylesheet" href="/assets/shequ.css";
                link rel="icon" href="/assets/favicon.svg" type="image/svg+xml";
                // Boosted forms must show the page a 4xx carries (the form with its field errors).
                meta name="htmx-config" content=r#"{"responseHandling":[{"code":"204","swap":false},{"code":"...","swap":true}]}"#;
                script src="/assets/vendor/htmx/htmx.min.js" defer {}
                script src="/assets/file-pick.js" defer {}
            }
            body hx-boost="true" {
                header.top {
                    a.brand href="/" { (lang.t("铜陵市社区综合服务平台", "Tongling Community Platform")) }
                    // On a phone the menu folds behind this box (CSS only, no script; see shequ.css).
                    input #menu-toggle .menu-toggle type="checkbox";
                    label.menu-button for="menu-toggle" { (lang.t("菜单", "Menu")) }
                    nav #menu {
                        a href="/" { (lang.t("首页", "Home")) }
                        a href="/functions" { (lang.t("职能清单", "Functions")) }
                        a href="/dashboard" { (lang.t("数据看板", "Dashboard")) }
                        a href="/service/league" { (lang.t("办理情况", "Service league")) }
                        @if can(REGISTRY_READERS) { a href="/residents" { (lang.t("居民", "Residents")) } }
                        @if can(PB_READERS) { a href="/pb" { (lang.t("社区项目", "Projects")) } }
                        @if can(DELIB_READERS) { a href="/deliberation" { (lang.t("协商议事", "Deliberation")) } }
                        @if can(FIN_READERS) { a href="/finance" { (lang.t("社区财务", "Finance")) } }
                        @if can(CASE_READERS) { a href="/cases" { (lang.t("服务中心", "Service center")) } }
                        @if can(CASE_RESIDENTS) { a href="/me/cases" { (lang.t("我的诉求", "My requests")) } }
                        @if can(HOTLINE_OPERATORS) { a href="/hotline" { (lang.t("2881890热线", "Hotline")) } }
                        @if can(TRIAGE_ROUTERS) { a href="/hotline/triage" { (lang.t("待分派", "Triage")) } }
                        @if can(PROVIDER_WORKERS) { a href="/provider" { (lang.t("我的派单", "My dispatches")) } }
                        @if can(PROVIDER_READERS) { a href="/providers" { (lang.t("服务商", "Providers")) } }
                        @if can(OUTBOX_READERS) { a href="/outbox" { (lang.t("通知", "Notifications")) } }
                        @if can(NOTIFICATION_READERS) { a href="/me/notifications" { (lang.t("我的通知", "My notifications")) } }
                        @if can(STEWARD_READERS) { a href="/stewards" { (lang.t("楼栋管家", "Stewards")) } }
                        @if can(crate::policy::ELECTION_READERS) { a href="/elections" { (lang.t("换届选举", "Elections")) } }
                        @if can(UNIT_READERS) { a href="/units" { (lang.t("驻区单位", "Resident units")) } }
                        @if can(PARTY_READERS) { a href="/party" { (lang.t("共驻共建", "Co-building")) } }
                        @if can(ORG_READERS) { a href="/orgs" { (lang.t("社会组织", "Organisations")) } }
                        @if role.is_some() { a href="/circle" { (lang.t("15分钟生活圈", "15-minute circle")) } }
                        @if can(STAFF_READERS) { a href="/staff" { (lang.t("工作人员", "Staff")) } }
                        @if can(AUDIT_READERS) { a href="/audit" { (lang.t("审计日志", "Audit log")) } }
                        a href="/lists" { (lang.t("四张清单", "Four lists")) }
                        @if can(ACCESS_READERS) { a href="/access" { (lang.t("社区准入", "Access")) } }
                        @if can(TASK_READERS) { a href="/tasks" { (lang.t("社区事项", "Tasks")) } }
                        @match lang {
                            Lang::Zh => a href={"/lang?to=en&back=" (urlencode(&ctx.path))} lang="en" { "English" },
                            Lang::En => a href={"/lang?to=zh&back=" (urlencode(&ctx.path))} lang="zh-CN" { "中文" },
                        }
                        @if let Some(p) = &ctx.principal {
                            span.who { (p.display_name) " · " (lang.t(p.role.zh(), p.role.en())) }
                            form method="post" action="/logout" { (ctx.csrf_field()) button type="submit" { (lang.t("退出", "Log out")) } }
                        } @else {
                            a href="/login" { (lang.t("登录", "Log in")) }
                        }
                    }
                }
                main {
                    // Staff read the demo's invented people everywhere: one line says so on every page.
                    @if ctx.invented && ctx.principal.is_some() {
                        div.invented-note {
                            (illustrative(ctx))
                            " " (lang.t("本演示中的居民、来电人及其姓名、证件号码、电话、地址和诉求均为虚构，并非真实个人信息。",
                                "The residents and callers in this demo — names, ID numbers, phones, addresses and requests — are invented, not real people."))
                        }
                    }
                    // The one success message after an action (`?done=<code>`, see `done`).
                    @if let Some(m) = done::message(ctx) { div.flash.ok role="status" #done { (m) } }
                    (body)
                }
                footer { (lang.t("铜陵市“撤街建居”社区管理体制改革 · 数据实时计算", "After Tongling's 2010 community reform · every figure computed live")) }
            }
        }
    }
}

pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Response {
    layout(ctx, title, body).into_response()
}

/// The page for a route the guard refused (see [`crate::policy::PageRefused`]).
pub fn forbidden_page(r: &crate::policy::PageRefused) -> Response {
    let ctx = Ctx { lang: r.lang, principal: Some(r.principal.clone()), path: r.path.clone(), invented: false };
    let body = html! { h1 { (ctx.t("无权访问", "Not permitted")) } p { (ctx.t("您的角色不能打开此页面。", "Your role cannot open this page.")) } };
    (StatusCode::FORBIDDEN, layout(&ctx, ctx.t("无权访问", "Not permitted"), body)).into_response()
}

/// The page for an address no route serves (the router answers the API's and Open311's own way).
pub async fn not_found(req: Request) -> Response {
    let lang = Lang::from_headers(req.headers());
    let ctx = Ctx { lang, principal: None, path: req.uri().path().to_string(), invented: false };
    (
        StatusCode::NOT_FOUND,
        layout(&ctx, lang.t("页面不存在", "Not found"), html! { h1 { (lang.t("页面不存在", "Page not found")) } }),
    )
        .into_response()
}

/// Show a store/API error as a page (for errors that are not per-field).
pub fn error_page(ctx: &Ctx, e: crate::error::ApiError) -> Response {
    use crate::error::ApiError;
    let (status, zh, en) = match &e {
        ApiError::NotFound => (StatusCode::NOT_FOUND, "未找到", "Not found"),
        ApiError::Forbidden => (StatusCode::FORBIDDEN, "无权访问", "Not permitted"),
        ApiError::Invalid { .. } | ApiError::Fields(_) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "输入有误", "Invalid input")
        }
        ApiError::Limited(_) | ApiError::Throttled => (StatusCode::TOO_MANY_REQUESTS, "请稍后再试", "Try again later"),
        // The database out of reach or the disk full: the API's status, and its message below.
        ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "服务暂时不可用", "Service unavailable"),
        ApiError::StorageFull => (StatusCode::INSUFFICIENT_STORAGE, "存储空间已满", "Storage is full"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误", "Internal error"),
    };
    if let ApiError::Internal(d) = &e {
        tracing::error!(detail = %d, "internal error");
    }
    let detail = match &e {
        ApiError::Limited(m) => ctx.lang.msg(m),
        ApiError::Unavailable | ApiError::StorageFull => ctx.lang.msg(&e.parts().2),
        _ => e.field_errors().iter().map(|(_, m)| ctx.lang.msg(m)).collect::<Vec<_>>().join("; "),
    };
    (status, layout(ctx, ctx.t(zh, en), html! { h1 { (ctx.t(zh, en)) } p { (detail) } })).into_response()
}

/// The one mark for a fact invented for the demo (the DB's `illustrative` flag):
/// a small 示例 badge whose title says what it means.
pub fn illustrative(ctx: &Ctx) -> Markup {
    html! {
        span.tag.warn.illustrative title=(ctx.t("示例：为演示虚构，并非铜陵的真实情况", "Example: invented for the demo, not a fact about Tongling")) {
            (ctx.t("示例", "example"))
        }
    }
}

/// [`illustrative`] when `flag` is set (an `illustrative` column), nothing otherwise.
pub fn illustrative_if(ctx: &Ctx, flag: bool) -> Markup {
    html! { @if flag { " " (illustrative(ctx)) } }
}

/// The mark for a figure quoted from the seed text (the reform's own account).
pub fn from_source(ctx: &Ctx) -> Markup {
    html! {
        span.tag.ok.source title=(ctx.t("据原文：引自铜陵“撤街建居”改革的报道原文", "From the source: quoted from the account of Tongling's reform")) {
            (ctx.t("据原文", "per source"))
        }
    }
}

/// Under a list cut at its length ([`store::Capped`]): says that rows were
/// left out, so that nobody takes the first rows for all; nothing otherwise.
pub fn cut_note<T>(ctx: &Ctx, list: &store::Capped<T>) -> Markup {
    html! {
        @if list.more {
            p.muted.cut-note role="note" {
                (ctx.t(&format!("仅显示前{}条，其余未列出。", list.cap), &format!("Only the first {} are shown.", list.cap)))
            }
        }
    }
}

/// A community's name from [`store::structure::community_names`], its code when unknown.
pub fn community_name<'a>(names: &'a std::collections::HashMap<String, String>, code: &'a str) -> &'a str {
    names.get(code).map(String::as_str).unwrap_or(code)
}

/// A labelled input that shows its error beside it.
pub fn field(label: &str, name: &str, value: &str, error: Option<&str>, kind: &str) -> Markup {
    html! {
        label for=(name) { (label) }
        input id=(name) name=(name) type=(kind) value=(value) aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{name}-error"))];
        @if let Some(e) = error { div.field-error id={(name) "-error"} role="alert" { (e) } }
    }
}

/// A stored UTC timestamp (RFC 3339) as local time in China, `YYYY-MM-DD HH:MM`;
/// anything else (a plain date) as it is.
pub fn when(s: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(s, &Rfc3339) {
        Ok(t) => {
            let t = t.to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC));
            format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute())
        }
        Err(_) => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_show_in_china_time() {
        assert_eq!(super::when("2026-11-28T04:11:21Z"), "2026-11-28 12:11");
        assert_eq!(super::when("2026-11-28"), "2026-11-28");
    }
}
