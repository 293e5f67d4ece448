//! What anyone may read without logging in — the city's home page, each community's public page, the functions
//! register, the dashboard, open data with its dictionary — and logging in and out (pages and API).

use super::*;

routes! {
    GET "/" => pages::public::home, P, Page, "City home: districts, communities, service centers";
    GET "/communities/{code}" => pages::public::community, P, Page, "A community's public page";
    GET "/functions" => pages::public::functions, P, Page, "Functions register of the abolished street offices";
    GET "/dashboard" => pages::dashboard::show, P, Page, "City dashboard: the burden on communities, computed live";
    GET "/open-data" => pages::open_data::dictionary, P, Page, "Open data: the public tables and their data dictionary";
    GET "/open-data/{file}" => pages::open_data::download, P, Page,
        "A public table as {table}.csv, {table}.json or {table}.xlsx";
    GET "/login" => pages::session::login_form, P, Page, "Log-in form";
    POST "/login" => pages::session::login, P, Page, "Log in";
    POST "/logout" => pages::session::logout, A, Page, "Log out";
    POST "/api/v1/session" => api::session::login, P, Api, "Log in; returns the CSRF token for later writes",
        body Json("Login"), reply Object(&["user: UserRow", "csrf"]);
    DELETE "/api/v1/session" => api::session::logout, A, Api, "Log out", body Empty, reply NoContent;
    GET "/api/v1/me" => api::session::me, A, Api, "The logged-in user",
        reply Object(&["id", "username", "display_name", "role", "community_code", "district_code", "csrf"]);
}
