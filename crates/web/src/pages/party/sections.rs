//! The party-building page: each section with its form for those who may use it.

use super::*;
use crate::policy::{PARTY_SECRETARIES, PARTY_UNITS};
use axum::extract::{Path, State};
use store::Capped;
use store::party::{FulfilmentStatus, Grade, Post, Recommendation, VetoReview};
use store::typed::Word;

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    render(&state, &ctx, &Sent::default(), StatusCode::OK).await
}

fn post_name(ctx: &Ctx, p: Post) -> String {
    ctx.lang.msg(&p.name())
}

fn status_name(ctx: &Ctx, s: FulfilmentStatus) -> &str {
    match s {
        FulfilmentStatus::Reported => ctx.t("待确认", "awaiting confirmation"),
        FulfilmentStatus::Confirmed => ctx.t("已确认", "confirmed"),
        FulfilmentStatus::Rejected => ctx.t("不予确认", "not confirmed"),
    }
}

fn review_name(ctx: &Ctx, r: VetoReview) -> &str {
    match r {
        VetoReview::Pending => ctx.t("待区级复核", "awaiting the district's review"),
        VetoReview::Upheld => ctx.t("区级复核：维持", "upheld by the district"),
        VetoReview::Overturned => ctx.t("区级复核：撤销", "overturned by the district"),
    }
}

fn options<W: Word>(ctx: &Ctx, names: impl Fn(W) -> rules::Msg) -> Vec<(String, String)> {
    W::ALL.iter().map(|w| (w.word().to_string(), ctx.lang.msg(&names(*w)))).collect()
}

pub async fn render(state: &AppState, ctx: &Ctx, f: &Sent, status: StatusCode) -> Response {
    let Ok(me) = ctx.me() else { return error_page(ctx, ApiError::Unauthenticated) };
    let o = match act::overview(state, me).await {
        Ok(o) => o,
        Err(e) => return error_page(ctx, e),
    };
    let secretary = PARTY_SECRETARIES.contains(&me.role);
    let liaison = PARTY_UNITS.contains(&me.role);
    let (units, meetings) = if secretary {
        let c = me.community.as_deref();
        match tokio::try_join!(
            store::structure::units(&state.db, c, None),
            store::deliberation::meetings(&state.db, c, None)
        ) {
            Ok(x) => x,
            Err(e) => return error_page(ctx, e.into()),
        }
    } else {
        (Vec::new(), Capped::default())
    };
    let unit_opts: Vec<(String, String)> = units.iter().map(|u| (u.id.to_string(), u.name.clone())).collect();
    let my_unit = match o.unit {
        Some(id) => store::party::unit(&state.db, id).await.ok().map(|u| u.name),
        None => None,
    };
    let commitment_label = |id: i64| {
        o.commitments
            .iter()
            .find(|c| c.id == id)
            .map(|c| format!("{} · {}", kind_name(ctx, c.kind), c.description))
            .unwrap_or_default()
    };
    let unit_of_commitment = |id: i64| {
        let unit = o.commitments.iter().find(|c| c.id == id).map(|c| c.unit_id);
        o.agreements.iter().find(|a| Some(a.unit_id) == unit).map(|a| a.unit_name.clone()).unwrap_or_default()
    };
    let body = html! {
        h1 { (ctx.t("大党工委与共驻共建", "The big party working committee and co-building")) }
        p.muted { (ctx.t("驻区单位到社区党工委兼职任职，与社区签订共驻共建协议，承诺开放场地、派出志愿者、提供资金物资服务和就业岗位；社区党组织对驻区单位年度履约情况作出评价，对其干部提拔任用有审查、评价和建议权，对其社区党建工作拥有“一票否决”权。2014年，铜陵共有126家单位到社区党工委任职，358家单位与社区签订共驻共建协议（据原文）。",
                         "Resident units hold part-time seats on the community party working committee and sign co-building agreements committing venues, volunteers, money, goods, services and jobs; the community evaluates each unit's year, reviews and recommends on the promotion of its cadres, and holds a one-vote veto over its community party-building assessment. In 2014, 126 units held seats and 358 signed agreements in Tongling (per the source).")) }
        p { a href="/party/figures" { (ctx.t("各社区、各区、全市数据", "Figures per community, district and city")) } }
        @if liaison {
            p.flash { (ctx.t("本单位：", "Your unit: ")) (my_unit.unwrap_or_else(|| ctx.t("（账号尚未关联驻区单位）", "(this account is not bound to a unit)").to_string())) }
        }

        @if !liaison {
            h2 { (ctx.t("党工委委员", "Committee members")) }
            div.table-wrap { table #seats {
                thead { tr { th { (ctx.t("姓名", "Name")) } th { (ctx.t("单位", "Unit")) } th { (ctx.t("职务", "Post")) } th { (ctx.t("任期", "Term")) } th { (ctx.t("任职文件", "Appointment")) } } }
                tbody { @for s in &o.seats { tr {
                    td { (s.person) }
                    td { @match &s.unit_name { Some(u) => { (u) " · " (ctx.t("兼职委员", "part-time")) }, None => (ctx.t("专职委员", "full-time")) } }
                    td { (post_name(ctx, s.post)) }
                    td { (s.term_from) " — " (s.term_to)
                        @if let Some(e) = &s.ended_on { br; span.muted { (ctx.t("离任：", "left: ")) (e) " " (s.end_note) } }
                        @else if secretary {
                            form.inline method="post" action={"/party/seats/" (s.id) "/end"} {
                                (ctx.csrf_field())
                                input name="ended_on" type="date" aria-label=(ctx.t("离任日期", "last day"));
                                input name="note" placeholder=(ctx.t("离任原因", "reason")) aria-label=(ctx.t("离任原因", "reason"));
                                button type="submit" { (ctx.t("离任", "Leaves")) }
                            }
                        }
                    }
                    td { (s.appointment_ref) }
                } } }
            } }
            (f.general("end", &[]))
            @if secretary {
                form.stack #seat-form method="post" action="/party/seats" {
                    h3 { (ctx.t("增补委员", "Seat a member")) }
                    (ctx.csrf_field())
                    (f.general("seat", &["person", "unit_id", "post", "term_from", "term_to", "appointment_ref"]))
                    (f.input("seat", ctx.t("姓名", "Name"), "person", "text"))
                    (f.select("seat", ctx.t("所在驻区单位（专职委员不选）", "Unit (none for a full-time member)"), "unit_id",
                        &std::iter::once((String::new(), ctx.t("（专职委员）", "(full-time)").to_string())).chain(unit_opts.iter().cloned()).collect::<Vec<_>>()))
                    (f.select("seat", ctx.t("职务", "Post"), "post", &options::<Post>(ctx, Post::name)))
                    (f.input("seat", ctx.t("任期开始", "Term from"), "term_from", "date"))
                    (f.input("seat", ctx.t("任期结束", "Term to"), "term_to", "date"))
                    (f.input("seat", ctx.t("任职文件文号", "Appointment reference"), "appointment_ref", "text"))
                    p { button type="submit" { (ctx.t("增补", "Seat")) } }
                }
            }

            h2 { (ctx.t("驻区单位代表参加居民会议、议事会议", "Units' representatives at residents' meetings and councils")) }
            p.muted { (ctx.t("驻区单位不参加居民委员会，但应派代表参加有关会议（居组法第十九条）。", "Units do not join the residents' committee but send representatives to the meetings that concern them (Organic Law Art 19).")) }
            div.table-wrap { table #representatives {
                thead { tr { th { (ctx.t("会议", "Meeting")) } th { (ctx.t("日期", "Date")) } th { (ctx.t("单位", "Unit")) } th { (ctx.t("代表", "Representative")) } } }
                tbody { @for r in &o.representatives { tr {
                    td { a href={"/deliberation/meetings/" (r.meeting_id)} { (r.meeting_title) } }
                    td { (r.held_on) } td { (r.unit_name) } td { (r.person) }
                } } }
            } }
            @if secretary {
                form.stack #representative-form method="post" action="/party/representatives" {
                    h3 { (ctx.t("登记单位代表", "Record a representative")) }
                    (ctx.csrf_field())
                    (f.general("representative", &["meeting_id", "unit_id", "person"]))
                    (f.select("representative", ctx.t("会议", "Meeting"), "meeting_id", &meetings.iter().map(|m| (m.id.to_string(), format!("{} {}", m.held_on, m.title))).collect::<Vec<_>>()))
                    (f.select("representative", ctx.t("单位", "Unit"), "unit_id", &unit_opts))
                    (f.input("representative", ctx.t("代表姓名", "Representative"), "person", "text"))
                    p { button type="submit" { (ctx.t("登记", "Record")) } }
                }
                h3 { (ctx.t("驻区单位联络员", "Units' liaison officers")) }
                ul #liaisons { @for l in &o.liaisons { li { (l.display_name) " · " (l.unit_name) } } }
                form.stack #liaison-form method="post" action="/party/liaisons" {
                    (ctx.csrf_field())
                    (f.general("liaison", &["username", "unit_id"]))
                    (f.input("liaison", ctx.t("联络员账号（用户名）", "Liaison's username"), "username", "text"))
                    (f.select("liaison", ctx.t("单位", "Unit"), "unit_id", &unit_opts))
                    p { button type="submit" { (ctx.t("关联", "Bind")) } }
                }
            }
        }

        h2 { (ctx.t("共驻共建协议", "Co-building agreements")) }
        div.table-wrap { table #agreements {
            thead { tr { th { (ctx.t("协议", "Agreement")) } th { (ctx.t("单位", "Unit")) } th { (ctx.t("期限", "Period")) } th { (ctx.t("签订日期", "Signed")) } th { (ctx.t("承诺履行", "Fulfilled")) } } }
            tbody { @for a in &o.agreements { tr {
                td { a href={"/party/agreements/" (a.id)} { (a.title) } }
                td { (a.unit_name) }
                td { (a.period_from) " — " (a.period_to) }
                td { (a.signed_on) }
                td { @let cs: Vec<_> = o.commitments.iter().filter(|c| c.agreement_id == a.id).collect();
                    (cs.iter().filter(|c| c.fulfilled >= c.quantity).count()) " / " (cs.len()) }
            } } }
        } }
        (crate::pages::cut_note(ctx, &o.agreements))
        @if secretary {
            form.stack #sign-form method="post" action="/party/agreements" {
                h3 { (ctx.t("登记签订的协议", "Record a signed agreement")) }
                (ctx.csrf_field())
                (f.general("sign", &["unit_id", "title", "period_from", "period_to", "signed_on"]))
                (f.select("sign", ctx.t("单位", "Unit"), "unit_id", &unit_opts))
                (f.input("sign", ctx.t("协议名称", "Title"), "title", "text"))
                (f.input("sign", ctx.t("协议期限开始", "Period from"), "period_from", "date"))
                (f.input("sign", ctx.t("协议期限结束", "Period to"), "period_to", "date"))
                (f.input("sign", ctx.t("签订日期", "Signed on"), "signed_on", "date"))
                p { button type="submit" { (ctx.t("登记", "Record")) } }
            }
        }

        h2 { (ctx.t("履行记录", "Fulfilment")) }
        p.muted { (ctx.t("由驻区单位填报，社区确认；资金经确认后记入社区账目（共建单位资金收入）。", "Reported by the unit, confirmed by the community; confirmed money is booked to the community's funds as co-building income.")) }
        div.table-wrap { table #fulfilments {
            thead { tr { th { (ctx.t("单位", "Unit")) } th { (ctx.t("承诺", "Commitment")) } th { (ctx.t("日期", "Date")) } th { (ctx.t("数量", "Quantity")) } th { (ctx.t("状态", "Status")) } } }
            tbody { @for x in &o.fulfilments { tr {
                td { (unit_of_commitment(x.commitment_id)) }
                td { (commitment_label(x.commitment_id)) @if !x.note.is_empty() { br; span.muted { (x.note) } } }
                td { (x.done_on) }
                td { (amount(ctx, x.kind, x.quantity)) }
                td { span.tag { (status_name(ctx, x.status)) } @if !x.decision_note.is_empty() { br; span.muted { (x.decision_note) } }
                    @if secretary && x.status == FulfilmentStatus::Reported {
                        form.inline method="post" action={"/party/fulfilments/" (x.id) "/decide"} {
                            (ctx.csrf_field())
                            select name="decision" aria-label=(ctx.t("确认", "Decision")) { option value="confirm" { (ctx.t("确认", "confirm")) } option value="reject" { (ctx.t("不予确认", "reject")) } }
                            input name="note" placeholder=(ctx.t("说明", "note")) aria-label=(ctx.t("说明", "note"));
                            button type="submit" { (ctx.t("确定", "Apply")) }
                        }
                    }
                }
            } } }
        } }
        (crate::pages::cut_note(ctx, &o.fulfilments))
        (f.general("decide", &[]))
        @if liaison {
            form.stack #report-form method="post" action="/party/fulfilments" {
                h3 { (ctx.t("填报履行情况", "Report fulfilment")) }
                (ctx.csrf_field())
                (f.general("report", &["commitment_id", "done_on", "quantity", "note", "kind"]))
                (f.select("report", ctx.t("承诺", "Commitment"), "commitment_id", &o.commitments.iter().map(|c| (c.id.to_string(), format!("{} · {} · {}", kind_name(ctx, c.kind), c.description, amount(ctx, c.kind, c.quantity)))).collect::<Vec<_>>()))
                (f.input("report", ctx.t("履行日期", "Date"), "done_on", "date"))
                (f.input("report", ctx.t("数量（资金以元计）", "Quantity (money in yuan)"), "quantity", "text"))
                (f.input("report", ctx.t("说明", "Note"), "note", "text"))
                p { button type="submit" { (ctx.t("填报", "Report")) } }
            }
        }

        (sections_reviews(ctx, me, &o, f, &unit_opts, secretary, liaison))
    };
    shell(ctx, ctx.t("大党工委与共驻共建", "Party building with units"), body, status)
}

fn sections_reviews(
    ctx: &Ctx,
    me: &Principal,
    o: &act::Overview,
    f: &Sent,
    unit_opts: &[(String, String)],
    secretary: bool,
    liaison: bool,
) -> Markup {
    let district = me.is_party_district();
    html! {
        h2 { (ctx.t("年度评价", "Yearly evaluations")) }
        div.table-wrap { table #evaluations {
            thead { tr { th { (ctx.t("年度", "Year")) } th { (ctx.t("单位", "Unit")) } th { (ctx.t("等次", "Grade")) } th { (ctx.t("履约率", "Record")) } th { (ctx.t("评价意见", "Comments")) } th { (ctx.t("单位回复", "Unit's reply")) } } }
            tbody { @for e in &o.evaluations { tr {
                td { (e.year) } td { (e.unit_name) } td { span.tag { (ctx.lang.msg(&e.grade.name())) } } td { (e.fulfilled_percent) "%" } td { (e.comments) }
                td { (e.reply)
                    @if liaison && e.replied_at.is_none() {
                        form.inline method="post" action={"/party/evaluations/" (e.id) "/reply"} {
                            (ctx.csrf_field())
                            input name="reply" placeholder=(ctx.t("回复", "reply")) aria-label=(ctx.t("回复", "reply"));
                            button type="submit" { (ctx.t("回复", "Reply")) }
                        }
                    }
                }
            } } }
        } }
        (crate::pages::cut_note(ctx, &o.evaluations))
        (f.general("reply", &[]))
        @if secretary {
            form.stack #evaluation-form method="post" action="/party/evaluations" {
                h3 { (ctx.t("评价驻区单位年度履约", "Evaluate a unit's year")) }
                (ctx.csrf_field())
                (f.general("evaluate", &["unit_id", "year", "grade", "comments"]))
                (f.select("evaluate", ctx.t("单位", "Unit"), "unit_id", unit_opts))
                (f.input("evaluate", ctx.t("年度", "Year"), "year", "number"))
                (f.select("evaluate", ctx.t("等次", "Grade"), "grade", &options::<Grade>(ctx, Grade::name)))
                (f.textarea("evaluate", ctx.t("评价意见", "Comments"), "comments"))
                p { button type="submit" { (ctx.t("评价", "Evaluate")) } }
            }
        }

        @if me.reads_cadre_reviews() {
            h2 { (ctx.t("驻区单位干部提拔任用审查评价", "Reviews of unit cadres' promotion")) }
            p.muted { (ctx.t("个人信息：仅社区党组织、干部所在单位和区委组织部可见。", "Personal data: seen only by the community's party organisation, the cadre's unit and the district's organisation department.")) }
            div.table-wrap { table #cadre-reviews {
                thead { tr { th { (ctx.t("单位", "Unit")) } th { (ctx.t("干部", "Cadre")) } th { (ctx.t("拟任", "Proposed post")) } th { (ctx.t("建议", "Recommendation")) } th { (ctx.t("审查评价与理由", "Review and reasons")) } th { (ctx.t("单位回复", "Unit's reply")) } } }
                tbody { @for r in &o.cadre_reviews { tr {
                    td { (r.unit_name) } td { (r.cadre_name) br; span.muted { (r.current_post) } } td { (r.proposed_post) }
                    td { span.tag { (ctx.lang.msg(&r.recommendation.name())) } } td { (r.review) br; span.muted { (r.reasons) } }
                    td { (r.reply)
                        @if liaison && r.replied_at.is_none() {
                            form.inline method="post" action={"/party/cadre-reviews/" (r.id) "/reply"} {
                                (ctx.csrf_field())
                                input name="reply" placeholder=(ctx.t("回复", "reply")) aria-label=(ctx.t("回复", "reply"));
                                button type="submit" { (ctx.t("回复", "Reply")) }
                            }
                        }
                    }
                } } }
            } }
            (crate::pages::cut_note(ctx, &o.cadre_reviews))
            @if secretary {
                form.stack #cadre-form method="post" action="/party/cadre-reviews" {
                    h3 { (ctx.t("审查评价干部提拔", "Review a cadre's promotion")) }
                    (ctx.csrf_field())
                    (f.general("cadre", &["unit_id", "cadre_name", "current_post", "proposed_post", "review", "recommendation", "reasons"]))
                    (f.select("cadre", ctx.t("单位", "Unit"), "unit_id", unit_opts))
                    (f.input("cadre", ctx.t("干部姓名", "Cadre's name"), "cadre_name", "text"))
                    (f.input("cadre", ctx.t("现任职务", "Current post"), "current_post", "text"))
                    (f.input("cadre", ctx.t("拟任职务", "Proposed post"), "proposed_post", "text"))
                    (f.textarea("cadre", ctx.t("审查评价意见", "Review"), "review"))
                    (f.select("cadre", ctx.t("建议", "Recommendation"), "recommendation", &options::<Recommendation>(ctx, Recommendation::name)))
                    (f.textarea("cadre", ctx.t("理由", "Reasons"), "reasons"))
                    p { button type="submit" { (ctx.t("提交", "Submit")) } }
                }
            }
        }

        h2 { (ctx.t("一票否决", "One-vote vetoes")) }
        div.table-wrap { table #vetoes {
            thead { tr { th { (ctx.t("年度", "Year")) } th { (ctx.t("单位", "Unit")) } th { (ctx.t("否决意见", "Statement")) } th { (ctx.t("依据（该单位本年度履约记录）", "Grounds (the unit's record of the year)")) } th { (ctx.t("复核", "Review")) } } }
            tbody { @for v in &o.vetoes { tr {
                td { (v.veto.year) } td { (v.veto.unit_name) } td { (v.veto.statement) }
                td { ul { @for g in &v.grounds { li { (kind_name(ctx, g.kind)) " · " (g.description) "：" (ctx.t("应履行", "due ")) (amount(ctx, g.kind, g.due)) "，" (ctx.t("实际", "done ")) (amount(ctx, g.kind, g.fulfilled)) } } } }
                td { span.tag { (review_name(ctx, v.veto.review)) } @if !v.veto.review_note.is_empty() { br; span.muted { (v.veto.review_note) } }
                    @if district && v.veto.review == VetoReview::Pending {
                        form.inline method="post" action={"/party/vetoes/" (v.veto.id) "/review"} {
                            (ctx.csrf_field())
                            select name="decision" aria-label=(ctx.t("复核", "Review")) { option value="upheld" { (ctx.t("维持", "uphold")) } option value="overturned" { (ctx.t("撤销", "overturn")) } }
                            input name="note" placeholder=(ctx.t("复核意见", "note")) aria-label=(ctx.t("复核意见", "note"));
                            button type="submit" { (ctx.t("复核", "Review")) }
                        }
                    }
                }
            } } }
        } }
        (crate::pages::cut_note(ctx, &o.vetoes))
        (f.general("review", &[]))
        @if secretary {
            form.stack #veto-form method="post" action="/party/vetoes" {
                h3 { (ctx.t("一票否决", "Veto a unit's assessment")) }
                (ctx.csrf_field())
                (f.general("veto", &["unit_id", "year", "statement", "grounds"]))
                (f.select("veto", ctx.t("单位", "Unit"), "unit_id", unit_opts))
                (f.input("veto", ctx.t("年度", "Year"), "year", "number"))
                (f.textarea("veto", ctx.t("否决意见", "Statement"), "statement"))
                fieldset #veto-grounds {
                    legend { (ctx.t("依据：选择该单位本年度未按期履行的承诺", "Grounds: the unit's commitments of the year not fulfilled as due")) }
                    @for c in &o.commitments {
                        label { input type="checkbox" name="grounds" value=(c.id); " " (kind_name(ctx, c.kind)) " · " (c.description) "（" (c.percent()) "%）" }
                    }
                    @if let Some(e) = f.err("veto", "grounds") { div.field-error role="alert" { (e) } }
                }
                p { button type="submit" { (ctx.t("否决", "Veto")) } }
            }
        }
    }
}

macro_rules! post {
    ($name:ident, $form:literal, $act:ident) => {
        pub async fn $name(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
            write(&state, &ctx, $form, Back::Index, body_pairs(&body), async |me, p| {
                act::$act(&state, me, typed(p)?).await
            })
            .await
        }
    };
    ($name:ident, $form:literal, $act:ident, id) => {
        pub async fn $name(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: String) -> Response {
            write(&state, &ctx, $form, Back::Index, body_pairs(&body), async |me, p| {
                act::$act(&state, me, id, typed(p)?).await
            })
            .await
        }
    };
}

post!(seat, "seat", seat);
post!(representative, "representative", add_representative);
post!(bind_liaison, "liaison", bind_liaison);
post!(report, "report", report);
post!(evaluate, "evaluate", evaluate);
post!(review_cadre, "cadre", review_cadre);
post!(veto, "veto", veto);
post!(decide, "decide", decide, id);
post!(end_seat, "end", end_seat, id);
post!(reply_to_evaluation, "reply", reply_to_evaluation, id);
post!(reply_to_review, "reply", reply_to_review, id);
post!(review_veto, "review", review_veto, id);

/// Record a signed agreement, then open it to add its commitments.
pub async fn sign(State(state): State<AppState>, ctx: Ctx, body: String) -> Response {
    let pairs = body_pairs(&body);
    let r = match ctx.me() {
        Ok(me) => match typed(&pairs) {
            Ok(cmd) => act::sign(&state, me, cmd).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match r {
        Ok(a) => crate::pages::done::redirect(&format!("/party/agreements/{}", a.id), "signed"),
        Err(e @ (ApiError::Invalid { .. } | ApiError::Fields(_))) => {
            let errs = e.field_errors().into_iter().map(|(f, m)| (f.to_string(), ctx.lang.msg(m))).collect();
            render(&state, &ctx, &Sent { form: "sign", errs, values: pairs }, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&ctx, e),
    }
}
