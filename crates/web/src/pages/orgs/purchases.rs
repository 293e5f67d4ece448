//! Government purchase of services: the catalogue, budget lines and projects in
//! reach, and one project from contract to paid instalment.

use super::*;
use crate::actions::orgs as act;
use crate::pages::{community_name, from_source, illustrative_if};
use crate::policy::{ORG_COMMUNITY, ORG_DISTRICT, ORG_SELF, PURCHASE_BUYERS};
use axum::extract::{Path, State};
use rules::orgs::purchase::{BarredContent, Method, PartyKind};
use store::orgs::{Evaluator, Measure, ProjectStatus, RecordStatus, Stage};

pub async fn purchases_index(State(state): State<AppState>, ctx: Ctx) -> Response {
    render(&state, &ctx, &Sent::default(), StatusCode::OK).await
}

fn kinds(ctx: &Ctx) -> Vec<(String, String)> {
    PartyKind::ALL.iter().map(|k| (k.word().to_string(), ctx.lang.msg(&k.name()))).collect()
}

pub async fn render(state: &AppState, ctx: &Ctx, f: &Sent, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let o = match act::purchases(state, me).await {
        Ok(o) => o,
        Err(e) => return error_page(ctx, e),
    };
    let names = store::structure::community_names(&state.db).await.unwrap_or_default();
    let district = ORG_DISTRICT.contains(&me.role);
    let buyer = PURCHASE_BUYERS.contains(&me.role);
    let items: Vec<(String, String)> =
        o.catalogue.iter().map(|c| (c.id.to_string(), format!("{} {}", c.code, c.title))).collect();
    let lines: Vec<(String, String)> = o
        .budget_lines
        .iter()
        .map(|b| {
            (
                b.id.to_string(),
                format!("{} · {}{}", b.title, ctx.t("余额", "left "), yuan(b.amount_fen - b.committed_fen)),
            )
        })
        .collect();
    let mut barred = vec![("none".to_string(), ctx.t("均不属于", "none of these").to_string())];
    barred.extend(BarredContent::ALL.iter().map(|b| (b.word().to_string(), ctx.lang.msg(&b.name()))));
    let body = html! {
        h1 { (ctx.t("政府购买服务", "Government purchase of services")) }
        p.muted { (ctx.t("依据财政部令第102号：购买主体是国家机关；服务须列入指导性目录并已安排预算；签订书面合同并公告，期限一般不超过1年；按服务数量和质量付款。2014年铜官山区向公益性社会组织购买社区基本医疗卫生服务1726万元、居家养老服务149.65万元。",
            "Per Ministry of Finance Order 102: the buyer is a state organ; the service is in the guiding catalogue and budgeted; the contract is written and published, normally for at most a year; payment follows quantity and quality. In 2014 Tongguanshan district bought basic community health services for 17.26 million yuan and home elderly care for 1.4965 million yuan from public-welfare organisations.")) " " (from_source(ctx)) }
        p { a href="/orgs" { (ctx.t("社区社会组织名录", "Registry of organisations")) } }
        h2 { (ctx.t("购买项目", "Projects")) }
        table #projects {
            thead { tr { th { (ctx.t("项目", "Project")) } th { (ctx.t("社区", "Community")) } th { (ctx.t("购买主体", "Buyer")) } th { (ctx.t("承接主体", "Provider")) } th { (ctx.t("金额（元）", "Price (yuan)")) } th { (ctx.t("状态", "Status")) } } }
            tbody {
                @for p in &o.projects {
                    tr {
                        td { a href={"/purchases/" (p.id)} { (p.title) } @if p.from_source == 1 { " " (from_source(ctx)) } (illustrative_if(ctx, p.illustrative == 1)) }
                        td { (community_name(&names, &p.community_code)) }
                        td { (p.buyer_name) }
                        td { (p.provider_name.clone().unwrap_or_default()) }
                        td { (yuan(p.price_fen)) }
                        td { @if p.status == ProjectStatus::Open { (ctx.t("待签约", "open")) } @else { (ctx.t("已签约", "contracted")) } }
                    }
                }
            }
        }
        (crate::pages::cut_note(ctx, &o.projects))
        h2 { (ctx.t("指导性目录", "Guiding catalogue")) }
        table {
            thead { tr { th { (ctx.t("编号", "Code")) } th { (ctx.t("服务事项", "Item")) } th { (ctx.t("公开日期", "Published")) } } }
            tbody { @for c in &o.catalogue { tr { td { (c.code) } td { (c.title) @if c.negative == 1 { " " span.tag.warn { (ctx.t("负面清单", "negative list")) } } (illustrative_if(ctx, c.illustrative == 1)) } td { (c.published_on) } } } }
        }
        h2 { (ctx.t("预算科目", "Budget lines")) }
        table {
            thead { tr { th { (ctx.t("科目", "Line")) } th { (ctx.t("社区", "Community")) } th { (ctx.t("年度", "Year")) } th { (ctx.t("批复金额（元）", "Approved (yuan)")) } th { (ctx.t("已安排（元）", "Committed (yuan)")) } } }
            tbody { @for b in &o.budget_lines { tr { td { (b.title) (illustrative_if(ctx, b.illustrative == 1)) } td { (community_name(&names, &b.community_code)) } td { (b.year) } td { (yuan(b.amount_fen)) } td { (yuan(b.committed_fen)) } } } }
        }
        @if buyer {
            h2 { (ctx.t("新建购买项目", "Open a purchase project")) }
            (form(ctx, f, "project", "/purchases", vec![
                F::Text(ctx.t("项目名称", "Title"), "title"),
                F::Text(ctx.t("服务社区编码（区级部门填写）", "Community code (district departments)"), "community"),
                F::Select(ctx.t("指导性目录事项", "Catalogue item"), "catalogue_id", items),
                F::Select(ctx.t("预算科目", "Budget line"), "budget_line_id", lines),
                F::Text(ctx.t("购买主体", "Buyer"), "buyer_name"),
                F::Select(ctx.t("购买主体类别", "What the buyer is"), "buyer_kind", kinds(ctx)),
                F::Area(ctx.t("服务内容", "Service content"), "content"),
                F::Select(ctx.t("是否属于不得购买的事项", "Is it barred content"), "barred", barred),
                F::Area(ctx.t("事前绩效评估", "Prior performance assessment"), "prior_assessment"),
                F::Area(ctx.t("绩效目标", "Performance targets"), "targets"),
                F::Select(ctx.t("计量方式", "Measure"), "measure", options::<Measure>(ctx, Measure::name)),
                F::Text(ctx.t("目标服务量", "Target quantity"), "target_quantity"),
                F::Text(ctx.t("金额（元）", "Price (yuan)"), "price"),
            ], ctx.t("新建项目", "Open the project")))
        }
        @if district {
            h2 { (ctx.t("公布目录事项", "Publish a catalogue item")) }
            (form(ctx, f, "catalogue", "/purchases/catalogue", vec![
                F::Text(ctx.t("编号", "Code"), "code"),
                F::Text(ctx.t("服务事项", "Item"), "title"),
                F::Date(ctx.t("公开日期", "Published on"), "published_on"),
                F::Check(ctx.t("列入负面清单", "On the negative list"), "negative"),
            ], ctx.t("公布", "Publish")))
            h2 { (ctx.t("批复预算科目", "Approve a budget line")) }
            (form(ctx, f, "budget", "/purchases/budget-lines", vec![
                F::Text(ctx.t("社区编码", "Community code"), "community"),
                F::Text(ctx.t("年度", "Year"), "year"),
                F::Text(ctx.t("科目名称", "Title"), "title"),
                F::Text(ctx.t("金额（元）", "Amount (yuan)"), "amount"),
                F::Text(ctx.t("批复文号", "Approval reference"), "approved_ref"),
            ], ctx.t("批复", "Approve")))
        }
    };
    shell(ctx, ctx.t("政府购买服务", "Government purchase of services"), body, status)
}

pub async fn project(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    render_project(&state, &ctx, id, &Sent::default(), StatusCode::OK).await
}

fn record_status(ctx: &Ctx, s: RecordStatus) -> &str {
    match s {
        RecordStatus::Reported => ctx.t("待确认", "awaiting confirmation"),
        RecordStatus::Confirmed => ctx.t("已确认", "confirmed"),
        RecordStatus::Rejected => ctx.t("不予确认", "not confirmed"),
    }
}

pub fn stage_name(ctx: &Ctx, s: Stage) -> &str {
    match s {
        Stage::Mid => ctx.t("中期评价", "mid-term"),
        Stage::Final => ctx.t("终期评价", "final"),
    }
}

pub fn evaluator_name(ctx: &Ctx, e: Evaluator) -> &str {
    match e {
        Evaluator::Community => ctx.t("社区", "community"),
        Evaluator::Residents => ctx.t("居民", "residents"),
    }
}

pub async fn render_project(state: &AppState, ctx: &Ctx, id: i64, f: &Sent, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let d = match act::project(state, me, id).await {
        Ok(d) => d,
        Err(e) => return error_page(ctx, e),
    };
    let p = &d.project;
    let open = p.status == ProjectStatus::Open;
    let admin = ORG_COMMUNITY.contains(&me.role);
    let buyer = PURCHASE_BUYERS.contains(&me.role);
    let org = ORG_SELF.contains(&me.role);
    let s = &d.standing;
    let measure = ctx.lang.msg(&p.measure.name());
    let at = |what: &str| format!("/purchases/{id}/{what}");
    let orgs: Vec<(String, String)> = if open && buyer {
        let mut v =
            vec![(String::new(), ctx.t("（不在名录中，另填）", "(not in the registry: name it below)").to_string())];
        v.extend(
            store::orgs::orgs(&state.db, None, Some(&p.district_code))
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|o| (o.id.to_string(), o.name)),
        );
        v
    } else {
        vec![]
    };
    let methods: Vec<(String, String)> =
        Method::ALL.iter().map(|m| (m.word().to_string(), ctx.lang.msg(&m.name()))).collect();
    let body = html! {
        h1 { (p.title) @if p.from_source == 1 { " " (from_source(ctx)) } (illustrative_if(ctx, p.illustrative == 1)) }
        p { a href="/purchases" { (ctx.t("返回购买服务", "Back to purchases")) } " · " @if !open { a href={"/purchases/" (id) "/public"} { (ctx.t("公开页面", "Public page")) } } }
        dl {
            dt { (ctx.t("指导性目录事项", "Catalogue item")) } dd { (p.catalogue_title) }
            dt { (ctx.t("预算科目", "Budget line")) } dd { (p.budget_title) }
            dt { (ctx.t("购买主体", "Buyer")) } dd { (p.buyer_name) " · " (ctx.lang.msg(&p.buyer())) }
            dt { (ctx.t("服务内容", "Content")) } dd { (p.content) }
            dt { (ctx.t("事前绩效评估", "Prior assessment")) } dd { (p.prior_assessment) }
            dt { (ctx.t("绩效目标", "Targets")) } dd { (p.targets) " · " (measure) " " (p.target_quantity) }
            dt { (ctx.t("合同金额（元）", "Price (yuan)")) } dd #price { (yuan(p.price_fen)) }
            @if !open {
                dt { (ctx.t("承接主体", "Provider")) } dd { (p.provider_name.clone().unwrap_or_default()) }
                dt { (ctx.t("采购方式", "Procurement method")) } dd { (p.method_name().map(|m| ctx.lang.msg(&m)).unwrap_or_default()) }
                dt { (ctx.t("合同期限", "Term")) } dd { (p.term_from.clone().unwrap_or_default()) " — " (p.term_to.clone().unwrap_or_default()) }
                dt { (ctx.t("合同公告日期", "Published on")) } dd { (p.published_on.clone().unwrap_or_default()) }
            }
        }
        h2 { (ctx.t("履约与付款", "Performance and payment")) }
        p #standing { (ctx.t("已确认", "Confirmed ")) (measure) " " (s.confirmed_quantity) " / " (s.target_quantity) " · "
            (ctx.t("按服务量应付", "earned ")) (yuan(s.earned_fen)) (ctx.t("元 · 已付", " yuan · paid ")) span #paid { (yuan(s.paid_fen)) } (ctx.t("元", " yuan")) }
        @if open {
            h2 { (ctx.t("承接申请", "Applications")) }
            ul { @for a in &d.applications { li { (a.org_name) " · " (a.note) } } }
            @if org {
                (form(ctx, f, "apply", &at("applications"), vec![F::Area(ctx.t("承接能力说明", "Why your organisation can provide it"), "note")], ctx.t("申请承接", "Apply")))
            }
            @if buyer {
                h2 { (ctx.t("确定承接主体并签订合同", "Select the provider and record the contract")) }
                (form(ctx, f, "contract", &at("contract"), vec![
                    F::Select(ctx.t("承接组织", "Provider organisation"), "provider_org_id", orgs),
                    F::Text(ctx.t("或承接主体名称", "Or the provider's name"), "provider_name"),
                    F::Select(ctx.t("承接主体类别（不在名录中时）", "What the provider is (not in the registry)"), "provider_kind", kinds(ctx)),
                    F::Text(ctx.t("向个人购买的理由", "Why an individual suits (individuals only)"), "individual_reason"),
                    F::Select(ctx.t("采购方式", "Procurement method"), "method", methods),
                    F::Text(ctx.t("服务数量", "Quantity"), "quantity_terms"),
                    F::Text(ctx.t("质量要求", "Quality"), "quality_terms"),
                    F::Text(ctx.t("资金结算方式", "Settlement"), "settlement"),
                    F::Text(ctx.t("双方权利义务", "Rights and obligations"), "rights"),
                    F::Text(ctx.t("违约责任", "Liability for breach"), "liability"),
                    F::Date(ctx.t("合同开始", "Term from"), "term_from"),
                    F::Date(ctx.t("合同结束", "Term to"), "term_to"),
                    F::Text(ctx.t("超过1年的理由", "Justification beyond a year"), "justification"),
                    F::Check(ctx.t("已有预算保障", "Budget guaranteed"), "budget_guarantee"),
                    F::Date(ctx.t("合同公告日期", "Published on"), "published_on"),
                ], ctx.t("签订合同", "Record the contract")))
            }
        } @else {
            h2 { (ctx.t("服务记录", "Service records")) }
            table #records {
                thead { tr { th { (ctx.t("日期", "Date")) } th { (ctx.t("人次", "Visits")) } th { (ctx.t("小时", "Hours")) } th { (ctx.t("人数", "People")) } th { (ctx.t("状态", "Status")) } th {} } }
                tbody {
                    @for r in &d.records {
                        tr {
                            td { (r.done_on) } td { (r.visits) } td { (r.hours) } td { (r.people) } td { (record_status(ctx, r.status)) }
                            td { @if admin && r.status == RecordStatus::Reported {
                                (form(ctx, f, "confirm", &format!("/purchases/records/{}/decide", r.id), vec![
                                    F::Select(ctx.t("结论", "Decision"), "decision", vec![("confirm".into(), ctx.t("确认", "confirm").into()), ("reject".into(), ctx.t("不予确认", "reject").into())]),
                                    F::Text(ctx.t("说明", "Note"), "note"),
                                ], ctx.t("确认", "Decide")))
                            } }
                        }
                    }
                }
            }
            @if d.provider {
                (form(ctx, f, "record", &at("records"), vec![
                    F::Date(ctx.t("服务日期", "Date"), "done_on"),
                    F::Text(ctx.t("服务人次", "Visits"), "visits"),
                    F::Text(ctx.t("服务小时", "Hours"), "hours"),
                    F::Text(ctx.t("服务对象人数", "People served"), "people"),
                    F::Text(ctx.t("说明", "Note"), "note"),
                ], ctx.t("录入服务记录", "Enter the record")))
            }
            h2 { (ctx.t("绩效评价", "Evaluations")) }
            ul { @for e in &d.evaluations { li { (stage_name(ctx, e.stage)) " · " (evaluator_name(ctx, e.evaluator)) " · " (e.score) (ctx.t("分", " points")) " · " (e.comments) } } }
            @if admin {
                (form(ctx, f, "evaluate", &at("evaluations"), vec![
                    F::Select(ctx.t("阶段", "Stage"), "stage", options::<Stage>(ctx, |s| rules::Msg::new(stage_name_zh(s), format!("{s}")))),
                    F::Select(ctx.t("评价方", "Evaluator"), "evaluator", options::<Evaluator>(ctx, |e| rules::Msg::new(evaluator_zh(e), format!("{e}")))),
                    F::Text(ctx.t("评分（0–100）", "Score (0–100)"), "score"),
                    F::Area(ctx.t("评价意见", "Comments"), "comments"),
                ], ctx.t("记录评价", "Record the evaluation")))
            }
            h2 { (ctx.t("付款", "Payments")) }
            ul #payments { @for x in &d.payments { li { (x.paid_on) " · " (yuan(x.amount_fen)) (ctx.t("元", " yuan")) } } }
            @if admin {
                (form(ctx, f, "pay", &at("payments"), vec![
                    F::Text(ctx.t("本期付款（元）", "Instalment (yuan)"), "amount"),
                    F::Date(ctx.t("付款日期", "Paid on"), "paid_on"),
                ], ctx.t("从购买服务资金付款", "Pay from the service-purchase fund")))
            }
        }
    };
    shell(ctx, &p.title.clone(), body, status)
}

fn stage_name_zh(s: Stage) -> &'static str {
    match s {
        Stage::Mid => "中期评价",
        Stage::Final => "终期评价",
    }
}

fn evaluator_zh(e: Evaluator) -> &'static str {
    match e {
        Evaluator::Community => "社区",
        Evaluator::Residents => "居民",
    }
}

pub async fn add_catalogue_item(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    write(&state, &ctx, "catalogue", Back::Purchases, &body, async |me, p| {
        act::add_catalogue_item(&state, me, input(p)?).await
    })
    .await
}

pub async fn add_budget_line(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    write(&state, &ctx, "budget", Back::Purchases, &body, async |me, p| {
        act::add_budget_line(&state, me, input(p)?).await
    })
    .await
}

pub async fn open_project(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    write(&state, &ctx, "project", Back::Purchases, &body, async |me, p| act::open_project(&state, me, input(p)?).await)
        .await
}

pub async fn apply(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "apply", Back::Project(id), &body, async |me, p| act::apply(&state, me, id, input(p)?).await)
        .await
}

pub async fn contract(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "contract", Back::Project(id), &body, async |me, p| {
        act::contract(&state, me, id, input(p)?).await
    })
    .await
}

pub async fn report_service(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "record", Back::Project(id), &body, async |me, p| {
        act::report_service(&state, me, id, input(p)?).await
    })
    .await
}

/// The community confirms a record; it goes back to the record's project.
pub async fn decide_record(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    let project = store::orgs::record(&state.db, id).await.map(|r| r.project_id).unwrap_or_default();
    write(&state, &ctx, "confirm", Back::Project(project), &body, async |me, p| {
        act::decide_record(&state, me, id, input(p)?).await
    })
    .await
}

pub async fn evaluate(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "evaluate", Back::Project(id), &body, async |me, p| {
        act::evaluate(&state, me, id, input(p)?).await
    })
    .await
}

pub async fn pay(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "pay", Back::Project(id), &body, async |me, p| act::pay(&state, me, id, input(p)?).await).await
}
