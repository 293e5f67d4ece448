//! Community finance (issue 5; rules §1.14–§1.15): the books, allocations, claims and their approval chain,
//! period closing, reversals, transfers, and the quarterly disclosure.

use super::*;

routes! {
    GET "/finance" => pages::finance::index, R(FIN_READERS), Page, "Community finance: funds, claims, allocations";
    POST "/finance/claims" => pages::finance::file_claim, R(FIN_CLAIMANTS), Page,
        "File a reimbursement claim (multipart, optional voucher)";
    POST "/finance/claims/{id}/approve" => pages::finance::approve, R(FIN_APPROVERS), Page,
        "Approve a claim; the final approval pays it";
    POST "/finance/claims/{id}/reject" => pages::finance::reject, R(FIN_APPROVERS), Page,
        "Reject a claim with a reason";
    GET "/finance/vouchers/{id}" => pages::finance::voucher, R(FIN_READERS), Page, "Download a claim's voucher";
    POST "/finance/allocations" => pages::finance::allocate, R(FIN_ALLOCATORS), Page, "Allocate funds to a community";
    POST "/finance/transfers" => pages::finance_books::transfer, R(FIN_TREASURERS), Page, "Move money between the community's funds";
    POST "/finance/closings" => pages::finance_books::close, R(FIN_ALLOCATORS), Page, "Close a month or year of the books (confirmed)";
    POST "/finance/reopenings" => pages::finance_books::reopen, R(FIN_REOPENERS), Page, "The city reopens a closed period, with its reason";
    POST "/finance/reversals" => pages::finance_books::reverse, R(FIN_ALLOCATORS), Page, "Reverse a transaction exactly (confirmed)";
    POST "/finance/settings" => pages::finance_books::settings, R(FIN_ALLOCATORS), Page, "Set the district's second-approval threshold";
    GET "/finance/claims/{id}/approve" => pages::finance_books::back_to_claim, R(FIN_READERS), Page, "Back to the claim (after a refresh)";
    GET "/finance/claims/{id}/reject" => pages::finance_books::back_to_claim, R(FIN_READERS), Page, "Back to the claim (after a refresh)";
    GET "/finance/district" => pages::finance::district, R(FIN_DISTRICT_READERS), Page,
        "A district's communities side by side for a quarter";
    GET "/communities/{code}/finance" => pages::finance::public, P, Page,
        "A community's public accounts for a quarter (居务公开)";
    GET "/communities/{code}/finance.xlsx" => pages::finance::public_xlsx, P, Page,
        "A community's public accounts as XLSX";
    GET "/api/v1/finance/accounts" => api::finance::accounts, R(FIN_READERS), Api,
        "Ledger accounts in scope with their balances", reply Object(&["accounts: AccountBalance[]"]);
    GET "/api/v1/finance/transactions" => api::finance::transactions, R(FIN_READERS), Api,
        "Ledger transactions in scope, newest first", reply Object(&["transactions"]);
    POST "/api/v1/finance/allocations" => api::finance::allocate, R(FIN_ALLOCATORS), Api,
        "Allocate funds to a community (idempotency key)", body Json("NewAllocation"), reply Schema("Posted");
    GET "/api/v1/finance/claims" => api::finance::claims, R(FIN_READERS), Api, "Reimbursement claims in scope, those waiting for approval first",
        reply Object(&["claims: Claim[]", "cut: string[]"]);
    POST "/api/v1/finance/claims" => api::finance::file_claim, R(FIN_CLAIMANTS), Api, "File a reimbursement claim",
        body Json("NewClaim"), reply Schema("Claim");
    GET "/api/v1/finance/claims/{id}" => api::finance::claim, R(FIN_READERS), Api, "A claim with its vouchers",
        reply Object(&["claim: Claim", "vouchers: VoucherInfo[]"]);
    POST "/api/v1/finance/claims/{id}/approve" => api::finance::approve, R(FIN_APPROVERS), Api,
        "Approve a claim; the final approval pays it", body Empty, reply Schema("Claim");
    POST "/api/v1/finance/claims/{id}/reject" => api::finance::reject, R(FIN_APPROVERS), Api,
        "Reject a claim with a reason", body Json("ClaimRejection"), reply Schema("Claim");
    POST "/api/v1/finance/claims/{id}/vouchers" => api::finance::add_voucher, R(FIN_CLAIMANTS), Api,
        "Attach a voucher (the body is the file)",
        body File("The voucher itself, sent as its own content type (`?filename=` names it)"),
        reply Schema("VoucherInfo");
    POST "/api/v1/finance/transfers" => api::finance::transfer, R(FIN_TREASURERS), Api,
        "Move money between the community's funds", body Json("NewTransfer"), reply Schema("Posted");
    POST "/api/v1/finance/closings" => api::finance::close, R(FIN_ALLOCATORS), Api,
        "Close a month or year of a community's books", body Json("PeriodClosing"), reply Object(&["closed_through"]);
    POST "/api/v1/finance/reopenings" => api::finance::reopen, R(FIN_REOPENERS), Api,
        "The city reopens a closed month or year, with its reason (audited)", body Json("PeriodReopening"),
        reply Object(&["closed_through"]);
    POST "/api/v1/finance/transactions/{id}/reverse" => api::finance::reverse, R(FIN_ALLOCATORS), Api,
        "Reverse a transaction exactly", body Json("Reversal"), reply Schema("Posted");
    POST "/api/v1/finance/settings" => api::finance::settings, R(FIN_ALLOCATORS), Api,
        "Set the district's second-approval threshold (yuan)", body Json("SecondApproval"), reply Object(&["second_approval_fen"]);
    GET "/api/v1/finance/district" => api::finance::district, R(FIN_DISTRICT_READERS), Api,
        "A district's communities side by side",
        reply Object(&["district", "year", "quarter", "communities: Disclosure[]"]);
    GET "/api/v1/communities/{code}/finance" => api::finance::disclosure, P, Api,
        "A community's public accounts for a quarter", reply Schema("Disclosure");
}
