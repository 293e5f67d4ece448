//! The public page of a contracted purchase project: the published contract, the
//! service delivered and paid for, the evaluations' scores. No personal data.

use super::*;
use crate::actions::orgs as act;
use crate::pages::{from_source, illustrative_if};
use axum::extract::{Path, State};

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let p = match act::public_project(&state, id).await {
        Ok(p) => p,
        Err(e) => return error_page(&ctx, e),
    };
    let names = store::structure::community_names(&state.db).await.unwrap_or_default();
    let s = &p.standing;
    let measure = ctx.lang.msg(&p.measure.name());
    let body = html! {
        h1 { (p.title) @if p.from_source == 1 { " " (from_source(&ctx)) } (illustrative_if(&ctx, p.illustrative == 1)) }
        dl {
            dt { (ctx.t("服务社区", "Community")) } dd { (crate::pages::community_name(&names, &p.community_code)) }
            dt { (ctx.t("指导性目录事项", "Catalogue item")) } dd { (p.catalogue_title) }
            dt { (ctx.t("购买主体", "Buyer")) } dd { (p.buyer_name) }
            dt { (ctx.t("承接主体", "Provider")) } dd { (p.provider_name.clone().unwrap_or_default()) }
            dt { (ctx.t("采购方式", "Procurement method")) } dd { (p.method.as_deref().and_then(rules::orgs::purchase::Method::from_word).map(|m| ctx.lang.msg(&m.name())).unwrap_or_default()) }
            dt { (ctx.t("服务内容", "Content")) } dd { (p.content) }
            dt { (ctx.t("绩效目标", "Targets")) } dd { (p.targets) }
            dt { (ctx.t("合同期限", "Term")) } dd { (p.term_from.clone().unwrap_or_default()) " — " (p.term_to.clone().unwrap_or_default()) }
            dt { (ctx.t("合同公告日期", "Published on")) } dd { (p.published_on.clone().unwrap_or_default()) }
            dt { (ctx.t("合同金额（元）", "Price (yuan)")) } dd { (yuan(s.price_fen)) }
            dt { (ctx.t("已确认服务量", "Service confirmed")) } dd { (measure) " " (s.confirmed_quantity) " / " (s.target_quantity) }
            dt { (ctx.t("已付款（元）", "Paid (yuan)")) } dd { (yuan(s.paid_fen)) }
        }
        h2 { (ctx.t("绩效评价", "Evaluations")) }
        ul { @for (stage, who, score) in &p.evaluations { li { (super::purchases::stage_name(&ctx, *stage)) " · " (super::purchases::evaluator_name(&ctx, *who)) " · " (score) (ctx.t("分", " points")) } } }
    };
    shell(&ctx, &p.title.clone(), body, StatusCode::OK)
}
