//! The registry page: organisations in reach, the figures per community, the
//! federations' roll-up, the annual inspections and the overdue view, with the
//! forms of those who may use them.

use super::*;
use crate::actions::orgs as act;
use crate::pages::community_name;
use crate::policy::{ORG_COMMUNITY, ORG_DISTRICT};
use axum::extract::{Path, State};
use rules::orgs::inspection::Status;
use rules::orgs::registry::Nature;
use store::orgs::{LegalForm, Tier};

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    render(&state, &ctx, &Sent::default(), StatusCode::OK).await
}

pub fn status_name(ctx: &Ctx, s: Status) -> String {
    ctx.lang.msg(&s.name())
}

pub async fn render(state: &AppState, ctx: &Ctx, f: &Sent, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let o = match act::overview(state, me).await {
        Ok(o) => o,
        Err(e) => return error_page(ctx, e),
    };
    let names = store::structure::community_names(&state.db).await.unwrap_or_default();
    let today = store::clock::today();
    let community = ORG_COMMUNITY.contains(&me.role);
    let district = ORG_DISTRICT.contains(&me.role);
    let natures: Vec<(String, String)> =
        Nature::ALL.iter().map(|n| (n.word().to_string(), ctx.lang.msg(&n.name()))).collect();
    let mut forms: Vec<(String, String)> =
        vec![(String::new(), ctx.t("（备案、小型群体不填）", "(none for filed and small groups)").into())];
    forms.extend(options::<LegalForm>(ctx, LegalForm::name));
    let org_name = |id: i64| o.orgs.iter().find(|x| x.id == id).map(|x| x.name.clone()).unwrap_or_default();
    let body = html! {
        h1 { (ctx.t("社区社会组织", "Community social organisations")) }
        p.muted { (ctx.t("社区社会组织分三类管理：符合登记条件的在民政部门登记为社会团体、社会服务机构或基金会；不符合登记条件的向街道（铜陵为区或社区）备案，不具有法人资格；规模小、组织松散的由社区党组织领导、居委会指导。社区社会组织联合会是以社会组织为会员的登记社会团体。",
            "Three tiers: organisations that meet the conditions register with civil affairs as social groups, service organisations or foundations; the others are filed with the sub-district (in Tongling the district or community) and have no legal personality; small loose groups are led by the community party organisation and guided by the residents' committee. A federation is a registered social group whose members are organisations.")) }
        p { a href="/purchases" { (ctx.t("政府购买服务", "Government purchase of services")) } }
        @if let Some(id) = o.my_org {
            p.flash { (ctx.t("本组织：", "Your organisation: ")) @if id > 0 { a href={"/orgs/" (id)} { (org_name(id)) } } @else { (ctx.t("（账号尚未关联社会组织）", "(this account acts for no organisation)")) } }
        }
        h2 { (ctx.t("各社区社会组织汇总", "Organisations per community, rolled up")) }
        p.muted { (ctx.t("每个组织只计一次，无论它加入了几个组织或联合会；年检报告按最近的年检年度统计。", "Each organisation is counted once however many organisations or federations it belongs to; annual reports are those of the latest inspection year.")) }
        div.table-wrap { table #roll-up {
            thead { tr {
                th scope="col" { (ctx.t("社区", "Community")) } th scope="col" { (ctx.t("组织", "Organisations")) } th scope="col" { (ctx.t("登记", "Registered")) } th scope="col" { (ctx.t("备案", "Filed")) } th scope="col" { (ctx.t("小型群体", "Small groups")) }
                th scope="col" { (ctx.t("纳入联合会", "In a federation")) } th scope="col" { (ctx.t("个人会员", "Individual members")) } th scope="col" { (ctx.t("年检报告已报/应报", "Annual reports filed / due")) }
                th scope="col" { (ctx.t("活动次数", "Activities")) } th scope="col" { (ctx.t("参与人次", "Participants")) } th scope="col" { (ctx.t("服务小时", "Hours")) }
            } }
            tbody {
                @for r in &o.figures { (roll_row(ctx, community_name(&names, &r.community_code), r)) }
            }
            @if o.figures.len() > 0 { tfoot { (roll_row(ctx, if district { ctx.t("全区合计", "District total") } else { ctx.t("合计", "Total") }, &o.total)) } }
        } }
        @for fed in &o.federations {
            h2 { (org_name(fed.org_id)) }
            p { (ctx.t("会员组织（每个组织只计一次）：", "Member organisations (each counted once): ")) (fed.organisations) " · "
                (ctx.t("活动", "activities")) " " (fed.figures.activities) " · " (ctx.t("参与人次", "participants")) " " (fed.figures.participants) " · "
                (ctx.t("服务小时", "hours")) " " (fed.figures.hours) }
            p.muted { (fed.names.join("、")) }
        }
        h2 { (ctx.t("名录", "Registry")) }
        div.table-wrap { table {
            thead { tr { th { (ctx.t("名称", "Name")) } th { (ctx.t("类别", "Tier")) } th { (ctx.t("统一社会信用代码", "Credit code")) } th { (ctx.t("服务领域", "Fields")) } th { (ctx.t("社区", "Community")) } } }
            tbody {
                @for x in &o.orgs {
                    tr {
                        td { a href={"/orgs/" (x.id)} { (x.name) } @if x.is_federation == 1 { " " span.tag { (ctx.t("联合会", "federation")) } } (crate::pages::illustrative_if(ctx, x.illustrative == 1)) }
                        td { (ctx.lang.msg(&x.tier.name())) @if let Some(l) = x.legal_form { " · " (ctx.lang.msg(&l.name())) } }
                        td { (x.uscc.clone().unwrap_or_else(|| ctx.t("无（非法人）", "none (no legal person)").into())) }
                        td { (x.fields) }
                        td { (community_name(&names, &x.community_code)) }
                    }
                }
            }
        } }
        h2 { (ctx.t("年检", "Annual inspection")) }
        @if !o.overdue.is_empty() {
            div.flash.error role="status" { (ctx.t("逾期未报：", "Overdue: ")) (o.overdue.len()) @if o.overdue.more { "+" } }
        }
        table #inspections {
            thead { tr { th { (ctx.t("组织", "Organisation")) } th { (ctx.t("年度", "Year")) } th { (ctx.t("截止日期", "Due")) } th { (ctx.t("状态", "Status")) } th {} } }
            tbody {
                @for i in &o.inspections {
                    tr {
                        td { (i.org_name) } td { (i.year) } td { (i.due_on) } td { (status_name(ctx, i.shown(today))) }
                        td {
                            @if o.my_org == Some(i.org_id) && matches!(i.shown(today), Status::Due | Status::Overdue) {
                                (form(ctx, f, "report", &format!("/orgs/inspections/{}/report", i.id), vec![F::Area(ctx.t("年度工作报告", "Annual report"), "report")], ctx.t("提交年检报告", "File the annual report")))
                            }
                            @if district && i.shown(today) == Status::Submitted {
                                p.muted { (i.report) }
                                (form(ctx, f, "decide", &format!("/orgs/inspections/{}/decide", i.id), vec![
                                    F::Select(ctx.t("结论", "Decision"), "decision", vec![("pass".into(), ctx.t("合格", "pass").into()), ("fail".into(), ctx.t("不合格", "fail").into())]),
                                    F::Text(ctx.t("意见", "Note"), "note"),
                                ], ctx.t("审核", "Decide")))
                            }
                        }
                    }
                }
            }
        }
        (crate::pages::cut_note(ctx, &o.inspections))
        @if district {
            h2 { (ctx.t("区级管理", "District")) }
            (form(ctx, f, "open", "/orgs/inspections", vec![F::Text(ctx.t("开启年检年度", "Open the inspection of year"), "year")], ctx.t("开启", "Open")))
            form method="post" action="/orgs/inspections/remind" { (ctx.csrf_field()) button type="submit" { (ctx.t("发送年检提醒", "Send inspection reminders")) } }
            @if let Some(s) = &o.settings {
                p.muted { (ctx.t("本地设置：社会团体个人会员", "Local settings: a social group needs individual members ")) (s.sg_individuals) (ctx.t("个、单位会员", ", unit members ")) (s.sg_units) (ctx.t("个、混合时总数", ", mixed total ")) (s.sg_mixed_total) (ctx.t("个；年检截止日", "; inspection due ")) (s.inspection_due) }
            }
            (form(ctx, f, "settings", "/orgs/settings", vec![
                F::Text(ctx.t("社会团体个人会员下限", "Individual members needed"), "sg_individuals"),
                F::Text(ctx.t("单位会员下限", "Unit members needed"), "sg_units"),
                F::Text(ctx.t("混合会员总数下限", "Mixed total needed"), "sg_mixed_total"),
                F::Text(ctx.t("年检截止日（月-日）", "Inspection due day (MM-DD)"), "inspection_due"),
                F::Text(ctx.t("提前提醒天数", "Reminder lead days"), "reminder_days"),
            ], ctx.t("保存设置", "Save settings")))
        }
        @if community {
            h2 { (ctx.t("登记或备案社会组织", "Record an organisation")) }
            (form(ctx, f, "register", "/orgs", vec![
                F::Text(ctx.t("名称", "Name"), "name"),
                F::Select(ctx.t("类别", "Tier"), "tier", options::<Tier>(ctx, Tier::name)),
                F::Select(ctx.t("登记类型", "Legal form"), "legal_form", forms.clone()),
                F::Text(ctx.t("统一社会信用代码（仅登记的组织）", "Unified social credit code (registered only)"), "uscc"),
                F::Select(ctx.t("组织性质", "What it is"), "nature", natures.clone()),
                F::Check(ctx.t("从事营利性经营活动", "Carries on profit-making business"), "profit_making"),
                F::Check(ctx.t("社区社会组织联合会", "A federation"), "is_federation"),
                F::Text(ctx.t("服务领域", "Fields of service"), "fields"),
                F::Text(ctx.t("负责人", "Person in charge"), "person_in_charge"),
                F::Text(ctx.t("负责人电话（可不填）", "Their phone (optional)"), "person_phone"),
                F::Date(ctx.t("成立日期", "Founded on"), "founded_on"),
                F::Text(ctx.t("个人会员数（社会团体）", "Individual members (social group)"), "people"),
                F::Text(ctx.t("单位会员数（社会团体）", "Unit members (social group)"), "units"),
            ], ctx.t("保存", "Save")))
        }
    };
    shell(ctx, ctx.t("社区社会组织", "Community social organisations"), body, status)
}

/// One row of the roll-up table.
fn roll_row(ctx: &Ctx, name: &str, r: &store::orgs::CommunityFigures) -> Markup {
    html! { tr {
        th scope="row" { (name) } td { (r.area.organisations) } td { (r.registered) } td { (r.filed) } td { (r.small) }
        td { (r.area.in_federations) } td { (r.figures.people) }
        td { (r.reports_filed) " / " (r.inspections) @if let Some(y) = r.year { " " span.muted { (ctx.t(&format!("（{y}年度）"), &format!("({y})"))) } } }
        td { (r.figures.activities) } td { (r.figures.participants) } td { (r.figures.hours) }
    } }
}

pub async fn register(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    write(&state, &ctx, "register", Back::Orgs, &body, async |me, p| act::register(&state, me, input(p)?).await).await
}

pub async fn settings(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    write(&state, &ctx, "settings", Back::Orgs, &body, async |me, p| act::set_settings(&state, me, input(p)?).await)
        .await
}

pub async fn open_year(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    write(&state, &ctx, "open", Back::Orgs, &body, async |me, p| act::open_year(&state, me, input(p)?).await).await
}

pub async fn remind(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    write(&state, &ctx, "remind", Back::Orgs, &body, async |me, _| act::remind(&state, me).await).await
}

pub async fn submit_report(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "report", Back::Orgs, &body, async |me, p| act::submit_report(&state, me, id, input(p)?).await)
        .await
}

pub async fn decide_inspection(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "decide", Back::Orgs, &body, async |me, p| {
        act::decide_inspection(&state, me, id, input(p)?).await
    })
    .await
}
