//! One organisation: its record, members, activities, inspections and, for a
//! federation, the roll-up of its member organisations.

use super::*;
use crate::actions::orgs as act;
use crate::policy::ORG_COMMUNITY;
use axum::extract::{Path, State};
use store::users::Role;

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    render(&state, &ctx, id, &Sent::default(), StatusCode::OK).await
}

pub async fn render(state: &AppState, ctx: &Ctx, id: i64, f: &Sent, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let d = match act::org(state, me, id).await {
        Ok(d) => d,
        Err(e) => return error_page(ctx, e),
    };
    let today = store::clock::today();
    let o = &d.org;
    let keeper = d.mine || (me.role == Role::CommunityAdmin && me.community.as_deref() == Some(&o.community_code));
    let admin = ORG_COMMUNITY.contains(&me.role);
    let others: Vec<(String, String)> = if keeper {
        let mut v = vec![(String::new(), ctx.t("（个人成员）", "(a person)").to_string())];
        v.extend(
            store::orgs::orgs(&state.db, None, Some(&o.district_code))
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|x| x.id != o.id)
                .map(|x| (x.id.to_string(), x.name)),
        );
        v
    } else {
        vec![]
    };
    let action = |what: &str| format!("/orgs/{id}/{what}");
    let body = html! {
        h1 { (o.name) (crate::pages::illustrative_if(ctx, o.illustrative == 1)) }
        p { a href="/orgs" { (ctx.t("返回名录", "Back to the registry")) } }
        dl {
            dt { (ctx.t("类别", "Tier")) } dd { (ctx.lang.msg(&o.tier.name())) @if let Some(l) = o.legal_form { " · " (ctx.lang.msg(&l.name())) } }
            dt { (ctx.t("统一社会信用代码", "Unified social credit code")) } dd { (o.uscc.clone().unwrap_or_else(|| ctx.t("无（不具有法人资格）", "none (no legal personality)").into())) }
            dt { (ctx.t("服务领域", "Fields of service")) } dd { (o.fields) }
            dt { (ctx.t("负责人", "Person in charge")) } dd { (o.person_in_charge) }
            @if !o.person_phone.is_empty() { dt { (ctx.t("负责人电话", "Their phone")) } dd { (o.person_phone) } }
            dt { (ctx.t("成立日期", "Founded")) } dd { (o.founded_on) }
        }
        @if o.is_federation == 1 || d.roll_up.organisations > 0 {
            h2 { (ctx.t("会员组织汇总（每个组织只计一次）", "Member organisations rolled up (each counted once)")) }
            p { (d.roll_up.organisations) (ctx.t("个组织 · 活动", " organisations · activities ")) (d.roll_up.figures.activities)
                (ctx.t("次 · 参与", " · participants ")) (d.roll_up.figures.participants) (ctx.t("人次 · 服务", " · hours ")) (d.roll_up.figures.hours) (ctx.t("小时", "")) }
        }
        h2 { (ctx.t("成员", "Members")) }
        @if let Some(m) = &d.short_of_members { div.flash.error role="status" id="short-of-members" { (ctx.lang.msg(m)) } }
        ul {
            @for m in &d.members {
                li {
                    @if let Some(n) = &m.member_org_name { (n) " " span.tag { (ctx.t("组织", "organisation")) } }
                    @else if let Some(p) = &m.person { @if p.is_empty() { (ctx.t("个人成员", "a person")) } @else { (p) } }
                    @if !m.post.is_empty() { " · " (m.post) }
                    " · " (m.joined_on)
                }
            }
        }
        @if keeper {
            (form(ctx, f, "member", &action("members"), vec![
                F::Select(ctx.t("成员组织", "Member organisation"), "member_org_id", others.clone()),
                F::Text(ctx.t("或个人姓名", "Or a person's name"), "person"),
                F::Text(ctx.t("职务", "Post"), "post"),
                F::Date(ctx.t("加入日期", "Joined on"), "joined_on"),
            ], ctx.t("添加成员", "Add a member")))
        }
        h2 { (ctx.t("活动", "Activities")) }
        table {
            thead { tr { th { (ctx.t("日期", "Date")) } th { (ctx.t("活动", "Activity")) } th { (ctx.t("参与人次", "Participants")) } th { (ctx.t("小时", "Hours")) } } }
            tbody { @for a in &d.activities { tr { td { (a.held_on) } td { (a.title) } td { (a.participants) } td { (a.hours) } } } }
        }
        (crate::pages::cut_note(ctx, &d.activities))
        @if keeper {
            (form(ctx, f, "activity", &action("activities"), vec![
                F::Date(ctx.t("日期", "Date"), "held_on"),
                F::Text(ctx.t("活动名称", "Title"), "title"),
                F::Text(ctx.t("参与人次", "Participants"), "participants"),
                F::Text(ctx.t("小时", "Hours"), "hours"),
            ], ctx.t("记录活动", "Record the activity")))
            h2 { (ctx.t("维护信息", "Keep the record")) }
            (form(ctx, f, "edit", &action("edit"), vec![
                F::Text(ctx.t("服务领域", "Fields of service"), "fields"),
                F::Text(ctx.t("负责人", "Person in charge"), "person_in_charge"),
                F::Text(ctx.t("负责人电话（接收通知）", "Their phone (for notices)"), "person_phone"),
            ], ctx.t("保存", "Save")))
        }
        h2 { (ctx.t("年检", "Annual inspection")) }
        ul { @for i in &d.inspections { li { (i.year) " · " (super::registry::status_name(ctx, i.shown(today))) @if !i.note.is_empty() { " · " (i.note) } } } }
        (crate::pages::cut_note(ctx, &d.inspections))
        @if admin && keeper {
            h2 { (ctx.t("组织账号", "The organisation's log-in")) }
            (form(ctx, f, "account", &action("account"), vec![F::Text(ctx.t("社会组织账号", "Organisation account"), "username")], ctx.t("关联账号", "Bind the account")))
        }
    };
    shell(ctx, &o.name.clone(), body, status)
}

pub async fn edit(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "edit", Back::Org(id), &body, async |me, p| act::edit(&state, me, id, input(p)?).await).await
}

pub async fn add_member(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "member", Back::Org(id), &body, async |me, p| act::add_member(&state, me, id, input(p)?).await)
        .await
}

pub async fn add_activity(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "activity", Back::Org(id), &body, async |me, p| {
        act::add_activity(&state, me, id, input(p)?).await
    })
    .await
}

pub async fn bind_account(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
    write(&state, &ctx, "account", Back::Org(id), &body, async |me, p| {
        act::bind_account(&state, me, id, input(p)?).await
    })
    .await
}
