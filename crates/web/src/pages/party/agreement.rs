//! One co-building agreement: its commitments, each shown against its fulfilment.

use super::*;
use crate::policy::PARTY_SECRETARIES;
use axum::extract::{Path, State};

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    render(&state, &ctx, id, &Sent::default(), StatusCode::OK).await
}

pub async fn render(state: &AppState, ctx: &Ctx, id: i64, f: &Sent, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let v = match act::agreement(state, me, id).await {
        Ok(v) => v,
        Err(e) => return error_page(ctx, e),
    };
    let a = &v.agreement;
    let secretary = PARTY_SECRETARIES.contains(&me.role);
    let assemblies: Vec<(String, String)> =
        match store::deliberation::meetings(&state.db, Some(&a.community_code), None).await {
            Ok(ms) => std::iter::once((String::new(), ctx.t("（非资金类不选）", "(money only)").to_string()))
                .chain(
                    ms.into_iter()
                        .filter(|m| m.kind == store::deliberation::MeetingKind::Assembly)
                        .map(|m| (m.id.to_string(), format!("{} {}", m.held_on, m.title))),
                )
                .collect(),
            Err(e) => return error_page(ctx, e.into()),
        };
    let kinds: Vec<(String, String)> =
        CommitmentKind::ALL.iter().map(|k| (store::typed::Word::word(*k).to_string(), kind_name(ctx, *k))).collect();
    let body = html! {
        h1 { (a.title) }
        p { (ctx.t("单位：", "Unit: ")) strong { (a.unit_name) } " · " (ctx.t("期限：", "Period: ")) (a.period_from) " — " (a.period_to) " · " (ctx.t("签订：", "Signed: ")) (a.signed_on) }
        h2 { (ctx.t("承诺与履行", "Commitments and fulfilment")) }
        div.table-wrap { table #commitments {
            thead { tr { th { (ctx.t("类别", "Kind")) } th { (ctx.t("内容", "What")) } th { (ctx.t("安排", "Schedule")) } th { (ctx.t("承诺", "Committed")) } th { (ctx.t("已确认履行", "Confirmed")) } th { (ctx.t("履行率", "Fulfilled")) } } }
            tbody { @for c in &v.commitments { tr {
                td { (kind_name(ctx, c.kind)) } td { (c.description) } td { (c.schedule) }
                td { (amount(ctx, c.kind, c.quantity)) }
                td { (amount(ctx, c.kind, c.fulfilled)) @if c.reported > 0 { br; span.muted { (ctx.t("待确认 ", "awaiting ")) (amount(ctx, c.kind, c.reported)) } } }
                td.percent { (c.percent()) "%" }
            } } }
        } }
        @if v.commitments.is_empty() { p.muted { (ctx.t("尚无承诺", "No commitments yet")) } }
        @if secretary {
            form.stack #commitment-form method="post" action={"/party/agreements/" (a.id) "/commitments"} {
                h3 { (ctx.t("添加承诺", "Add a commitment")) }
                (ctx.csrf_field())
                (f.general("commit", &["kind", "description", "quantity", "schedule", "fund", "decision_meeting_id", "venue_type", "venue_lon", "venue_lat"]))
                (f.select("commit", ctx.t("类别", "Kind"), "kind", &kinds))
                (f.input("commit", ctx.t("内容", "What"), "description", "text"))
                (f.input("commit", ctx.t("数量（场地为开放小时，志愿服务为小时，资金为元，物资为件，服务为次，就业为岗位数）", "Quantity (venue: hours; volunteers: hours; money: yuan; goods: items; services: times; jobs: posts)"), "quantity", "text"))
                (f.input("commit", ctx.t("安排（如“每周六9:00—12:00”）", "Schedule"), "schedule", "text"))
                (f.input("commit", ctx.t("资金进入的社区资金（仅资金类，默认公用经费）", "Fund (money only; default operating)"), "fund", "text"))
                (f.select("commit", ctx.t("作出筹资决定的居民会议（仅资金类，居组法第十六条）", "The residents' meeting that decided (money only; Organic Law Art 16)"), "decision_meeting_id", &assemblies))
                (f.input("commit", ctx.t("场地在15分钟生活圈中的设施类型（仅场地类，选填，如“社区活动室”）", "Venue: facility type in the 15-minute circle (optional)"), "venue_type", "text"))
                (f.input("commit", ctx.t("场地经度（WGS 84）", "Venue longitude (WGS 84)"), "venue_lon", "text"))
                (f.input("commit", ctx.t("场地纬度（WGS 84）", "Venue latitude (WGS 84)"), "venue_lat", "text"))
                p { button type="submit" { (ctx.t("添加", "Add")) } }
            }
        }
        h2 { (ctx.t("履行记录", "Fulfilment records")) }
        ul #agreement-fulfilments { @for x in &v.fulfilments { li { (x.done_on) " · " (amount(ctx, x.kind, x.quantity)) " · " (x.note) } } }
        p { a href="/party" { (ctx.t("返回大党工委与共驻共建", "Back to party building")) } }
    };
    shell(ctx, &a.title.clone(), body, status)
}

pub async fn add_commitment(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "commit", Back::Agreement(id), body_pairs(&body), async |me, p| {
        act::commit(&state, me, id, typed(p)?).await
    })
    .await
}
