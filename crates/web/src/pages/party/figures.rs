//! Public figures of party building with units: per community, district and
//! city as of a date, beside the seed's 2014 figures (据原文).

use super::*;
use axum::extract::{Query, State};
use store::party::Figures;

#[derive(serde::Deserialize)]
pub struct Q {
    pub on: Option<String>,
    pub district: Option<String>,
}

fn row(ctx: &Ctx, name: &str, f: &Figures) -> Markup {
    html! {
        tr {
            td { (name) }
            td { (f.units_seated) }
            td { (f.agreements_signed) }
            td { (f.agreements_in_force) }
            td { (f.commitments_fulfilled) " / " (f.commitments) @if f.commitments > 0 { " (" (f.fulfilled_percent()) "%)" } }
            td { (f.volunteer_hours) (ctx.t("小时", " h")) }
            td { (f.venues_open) }
        }
    }
}

fn head(ctx: &Ctx, first: &str) -> Markup {
    html! {
        thead { tr {
            th { (first) } th { (ctx.t("兼职任职单位", "Units seated")) } th { (ctx.t("已签协议", "Agreements signed")) }
            th { (ctx.t("有效协议", "In force")) } th { (ctx.t("承诺已履行", "Commitments fulfilled")) }
            th { (ctx.t("志愿服务时长", "Volunteer hours")) } th { (ctx.t("开放场地", "Venues open")) }
        } }
    }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Q>) -> Response {
    let v = match act::figures(&state, q.on.as_deref(), q.district.as_deref()).await {
        Ok(v) => v,
        Err(e) => return error_page(&ctx, e),
    };
    let names = match store::structure::districts(&state.db).await {
        Ok(d) => d,
        Err(e) => return error_page(&ctx, e.into()),
    };
    let district_name = |code: &str| names.iter().find(|d| d.code == code).map(|d| d.name.clone()).unwrap_or_default();
    let t = &v.targets;
    let body = html! {
        h1 { (ctx.t("驻区单位共驻共建数据", "Party building with resident units: figures")) }
        p.muted { (ctx.t("数字由系统中的记录实时计算；演示数据均为示例，其名称标有“示例”。", "Every figure is computed live from the records; the demo's records are illustrative and marked 示例.")) }
        form.inline method="get" action="/party/figures" {
            label for="on" { (ctx.t("截至日期", "As of")) }
            input #on name="on" type="date" value=(v.on);
            button type="submit" { (ctx.t("查看", "Show")) }
        }
        h2 { (ctx.t("目标（据原文）", "Targets (per the source)")) }
        table #targets {
            thead { tr { th { (ctx.t("指标", "Figure")) } th { (ctx.t("铜陵2014年（据原文）", "Tongling 2014 (per the source)")) } th { (ctx.t("本系统全市", "This system, city-wide")) } } }
            tbody {
                tr { td { (ctx.t("到社区党工委任职的单位", "Units holding seats on community party committees")) } td { (t.units_seated) } td { (v.city.units_seated) } }
                tr { td { (ctx.t("签订共驻共建协议的单位", "Units that signed co-building agreements")) } td { (t.agreements_signed) } td { (v.city.agreements_signed) } }
            }
        }
        p.muted { (ctx.t("来源：", "Source: ")) (t.year) (ctx.t("年铜陵市社区管理体制改革材料（见项目种子文本）。", " figures of Tongling's community reform (the project's seed text).")) }
        h2 { (ctx.t("全市与各区", "City and districts")) }
        div.table-wrap { table #district-figures {
            (head(&ctx, ctx.t("区", "District")))
            tbody {
                @for d in &v.districts { (row(&ctx, &district_name(&d.district_code), d)) }
                (row(&ctx, ctx.t("全市", "City"), &v.city))
            }
        } }
        h2 { (ctx.t("历年（全市，年末）", "Over time (city, at each year's end)")) }
        div.table-wrap { table #history-figures {
            (head(&ctx, ctx.t("年度", "Year")))
            tbody { @for y in &v.history { (row(&ctx, &y.year.to_string(), &y.city)) } }
        } }
        h2 { (ctx.t("各社区", "Communities")) }
        div.table-wrap { table #community-figures {
            (head(&ctx, ctx.t("社区", "Community")))
            tbody { @for c in &v.communities { (row(&ctx, &c.community_name, c)) } }
        } }
    };
    shell(&ctx, ctx.t("共驻共建数据", "Co-building figures"), body, StatusCode::OK)
}
