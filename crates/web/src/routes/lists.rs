//! The four lists and access approval (issue 4; rules §3): list versions and their drafts, tasks pushed onto
//! communities, and applications for access with their automatic checks.

use super::*;

routes! {
    GET "/lists" => pages::lists::index, P, Page, "The four community lists in force";
    GET "/lists/{kind}" => pages::lists::kind, P, Page, "One list: versions and the diff between two";
    GET "/lists/{kind}/export.xlsx" => pages::lists::export_xlsx, P, Page,
        "A list version as XLSX (?version=, default the newest)";
    GET "/lists/{kind}/drafts" => pages::lists::drafts, R(LIST_EDITORS), Page,
        "Open drafts of a list, and opening a new one";
    POST "/lists/{kind}/drafts" => pages::lists::create_draft, R(LIST_EDITORS), Page,
        "Open a draft: a copy of the version in force with the next version number";
    GET "/lists/{kind}/drafts/{version}" => pages::lists::draft, R(LIST_EDITORS), Page,
        "A draft with its entries and the forms to edit, review and publish it";
    POST "/lists/{kind}/drafts/{version}/entries" => pages::lists::add_entry, R(LIST_EDITORS), Page,
        "Add an entry to a draft";
    POST "/lists/{kind}/drafts/{version}/entries/{entry}" => pages::lists::replace_entry, R(LIST_EDITORS), Page,
        "Replace an entry of a draft";
    POST "/lists/{kind}/drafts/{version}/entries/{entry}/remove" => pages::lists::remove_entry, R(LIST_EDITORS), Page,
        "Remove an entry from a draft";
    POST "/lists/{kind}/drafts/{version}/import" => pages::lists::import_entries, R(LIST_EDITORS), Page,
        "Import entries into a draft from XLSX (multipart; rejected rows listed)";
    POST "/lists/{kind}/drafts/{version}/review" => pages::lists::review, R(LIST_EDITORS), Page,
        "Review a draft (validates its entries)";
    POST "/lists/{kind}/drafts/{version}/publish" => pages::lists::publish, R(LIST_EDITORS), Page,
        "Publish a reviewed draft with its effective date";
    GET "/access" => pages::lists::access, R(ACCESS_READERS), Page,
        "Access applications: file (department), review queue (city), burden";
    POST "/access" => pages::lists::file, R(ACCESS_APPLICANTS), Page,
        "File an access application (automatic checks run)";
    GET "/access/{id}" => pages::lists::show, R(ACCESS_READERS), Page, "An application with its check report";
    POST "/access/{id}/decide" => pages::lists::decide, R(ACCESS_REVIEWERS), Page,
        "Approve (number, expiry) or reject an application";
    GET "/tasks" => pages::lists::tasks, R(TASK_READERS), Page,
        "Tasks that reached the community, with refusal of unapproved ones";
    POST "/tasks" => pages::lists::push, R(TASK_PUSHERS), Page, "Record work pushed without approval";
    POST "/tasks/{id}/refuse" => pages::lists::refuse, R(TASK_REFUSERS), Page,
        "Refuse a task without an approval in force";
    GET "/api/v1/lists" => api::lists::index, P, Api, "The four lists in force", reply Object(&["lists"]);
    GET "/api/v1/lists/{kind}" => api::lists::kind, P, Api, "A list's versions and the diff between two (?from=&to=)",
        reply Object(&["kind", "name", "versions", "diff"]);
    GET "/api/v1/lists/{kind}/drafts" => api::lists::drafts, R(LIST_EDITORS), Api,
        "Open drafts of a list, and opening a new one", reply Object(&["drafts: ListVersion[]"]);
    POST "/api/v1/lists/{kind}/drafts" => api::lists::create_draft, R(LIST_EDITORS), Api,
        "Open a draft: a copy of the version in force with the next version number", body Empty,
        reply Schema("ListVersion");
    GET "/api/v1/lists/{kind}/drafts/{version}" => api::lists::draft, R(LIST_EDITORS), Api,
        "A draft with its entries and the forms to edit, review and publish it", reply Schema("ListVersion");
    POST "/api/v1/lists/{kind}/drafts/{version}/entries" => api::lists::add_entry, R(LIST_EDITORS), Api,
        "Add an entry to a draft", body Json("ListEntry"), reply Schema("ListVersion");
    POST "/api/v1/lists/{kind}/drafts/{version}/entries/{entry}" => api::lists::replace_entry, R(LIST_EDITORS), Api,
        "Replace an entry of a draft", body Json("ListEntry"), reply Schema("ListVersion");
    POST "/api/v1/lists/{kind}/drafts/{version}/entries/{entry}/remove" => api::lists::remove_entry, R(LIST_EDITORS),
        Api, "Remove an entry from a draft", body Empty, reply Schema("ListVersion");
    POST "/api/v1/lists/{kind}/drafts/{version}/import" => api::lists::import_entries, R(LIST_EDITORS), Api,
        "Import entries into a draft from XLSX (the body is the file)",
        body File("An XLSX workbook in the export's format"),
        reply Schema("ListImport");
    POST "/api/v1/lists/{kind}/drafts/{version}/review" => api::lists::review, R(LIST_EDITORS), Api,
        "Review a draft (validates its entries)", body Empty, reply Schema("ListVersion");
    POST "/api/v1/lists/{kind}/drafts/{version}/publish" => api::lists::publish, R(LIST_EDITORS), Api,
        "Publish a reviewed draft with its effective date", body Json("Publication"), reply Schema("ListVersion");
    GET "/api/v1/access" => api::lists::applications, R(ACCESS_READERS), Api,
        "Access applications in scope, with burden counts",
        reply Object(&["applications: AppRow[]", "departments", "communities"]);
    POST "/api/v1/access" => api::lists::file, R(ACCESS_APPLICANTS), Api,
        "File an access application; returns the check report", body Json("NewApplication"), reply Schema("Filed");
    GET "/api/v1/access/{id}" => api::lists::application, R(ACCESS_READERS), Api,
        "An application, its check report, approval and funding",
        reply Object(&["application: AppRow", "data", "report", "approval", "funding"]);
    POST "/api/v1/access/{id}/decide" => api::lists::decide, R(ACCESS_REVIEWERS), Api,
        "Approve or reject an application", body Json("AccessDecision"), reply Schema("Decided");
    GET "/api/v1/tasks" => api::lists::tasks, R(TASK_READERS), Api, "Community tasks in scope",
        reply Object(&["tasks", "communities"]);
    POST "/api/v1/tasks" => api::lists::push, R(TASK_PUSHERS), Api, "Record work pushed without approval",
        body Json("NewPush"), reply Schema("TaskRow");
    POST "/api/v1/tasks/{id}/refuse" => api::lists::refuse, R(TASK_REFUSERS), Api,
        "Refuse a task without an approval in force", body Json("TaskRefusal"), reply Schema("TaskRow");
}
