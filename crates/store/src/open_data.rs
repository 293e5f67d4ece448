//! Open data (issue 14): each public table at a stable name, with its data
//! dictionary (every column's name, meaning and type in Chinese and English),
//! written as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
//! Chinese), JSON and XLSX from the same rows. Nothing personal: the tables are
//! the ones public pages already show. Money is yuan with two decimals; the
//! `…_illustrative` flags say which values were invented for the demo (示例).

use crate::{Db, Result};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    Text,
    Integer,
    /// Money, yuan with two decimals (stored as fen).
    Yuan,
    /// 1 when the value on this row was invented for the demo (示例), else 0.
    Flag,
}

impl ColKind {
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            ColKind::Text => ("文本", "text"),
            ColKind::Integer => ("整数", "integer"),
            ColKind::Yuan => ("金额（元，两位小数）", "money (yuan, two decimals)"),
            ColKind::Flag => ("标记（1为示例数据）", "flag (1: invented for the demo)"),
        }
    }
}

pub struct Column {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub kind: ColKind,
}

pub struct Table {
    /// The stable name in the URL: `/open-data/{name}.csv|json|xlsx`.
    pub name: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub about_zh: &'static str,
    pub about_en: &'static str,
    pub columns: &'static [Column],
}

/// A cell: text, or a whole number (an integer, a flag, or fen for money).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
}

const fn col(key: &'static str, zh: &'static str, en: &'static str, kind: ColKind) -> Column {
    Column { key, zh, en, kind }
}

use ColKind::{Flag, Integer, Text, Yuan as Money};

pub const TABLES: &[Table] = &[
    Table {
        name: "communities",
        zh: "大社区及其公共服务中心",
        en: "Big communities and their public service centers",
        about_zh: "每行一个大社区：代码、名称、所属区、服务中心地址电话和开放时间。",
        about_en: "One row per big community: code, name, district, and its service center's address, phone and hours.",
        columns: &[
            col("code", "社区代码", "community code", Text),
            col("name", "社区名称", "community name", Text),
            col("district_code", "所属区代码", "district code", Text),
            col("district_name", "所属区", "district", Text),
            col("center_address", "服务中心地址", "service center address", Text),
            col("center_phone", "服务中心电话", "service center phone", Text),
            col("center_hours", "开放时间", "opening hours", Text),
            col("formed_on", "成立日期", "formed on", Text),
            col("name_illustrative", "名称为示例", "name invented for the demo", Flag),
            col("code_illustrative", "代码未经核实", "code not verified", Flag),
            col("details_illustrative", "服务中心信息与成立日期为示例", "center details and date invented", Flag),
        ],
    },
    Table {
        name: "service-items",
        zh: "社区服务事项目录",
        en: "The catalogue of service items",
        about_zh: "服务中心可受理的事项：承办单位、法定办理时限（工作日）和收费标准。",
        about_en: "Items the service centers take: the handling unit, the legal time limit (working days) and the fee.",
        columns: &[
            col("code", "事项代码", "item code", Text),
            col("name", "事项名称", "item name", Text),
            col("category", "类别", "category", Text),
            col("unit_name", "承办单位", "handling unit", Text),
            col("limit_days", "法定时限（工作日）", "time limit (working days)", Integer),
            col("fee_yuan", "收费（元）", "fee (yuan)", Money),
        ],
    },
    Table {
        name: "projects",
        zh: "居民评选的社区服务项目",
        en: "Resident-chosen community projects",
        about_zh: "居民投票选中并立项的项目：所在社区、预算和已支出金额。",
        about_en: "Projects the residents' vote chose, with a budget line: community, budget and money spent.",
        columns: &[
            col("id", "项目预算编号", "budget line no.", Integer),
            col("community_code", "社区代码", "community code", Text),
            col("community_name", "社区", "community", Text),
            col("title", "项目", "project", Text),
            col("budget_yuan", "预算（元）", "budget (yuan)", Money),
            col("spent_yuan", "已支出（元）", "spent (yuan)", Money),
        ],
    },
    Table {
        name: "district-figures",
        zh: "各区改革成效数字（实时）",
        en: "The reform's figures per district (live)",
        about_zh: "城市数据看板上各项数字的分区明细，口径同看板“定义”一栏。",
        about_en: "The city dashboard's figures per district, by the dashboard's definitions.",
        columns: &[
            col("district_code", "区代码", "district code", Text),
            col("district_name", "区", "district", Text),
            col("communities", "大社区", "big communities", Integer),
            col("with_center", "有服务中心的社区", "communities with a center", Integer),
            col("hotline_solved", "热线已解决求助", "hotline requests solved", Integer),
            col("elections", "已计票的换届选举", "elections counted", Integer),
            col("direct_elections", "其中直接选举", "of which direct", Integer),
            col("projects", "居民评选项目", "resident-chosen projects", Integer),
            col("project_yuan", "项目预算（元）", "project budgets (yuan)", Money),
            col("purchases", "购买服务报账笔数", "service purchases paid", Integer),
            col("purchase_yuan", "购买服务金额（元）", "service purchases (yuan)", Money),
        ],
    },
    Table {
        name: "community-cases-monthly",
        zh: "各社区每月受理的服务案件",
        en: "Service cases per community per month",
        about_zh: "按受理月份统计：受理件数、已办结件数、其中按时办结件数（时限按工作日计）。",
        about_en: "By month taken: cases taken, cases resolved, and of those resolved within the legal time limit (working days).",
        columns: &[
            col("community_code", "社区代码", "community code", Text),
            col("community_name", "社区", "community", Text),
            col("month", "月份", "month", Text),
            col("taken", "受理", "taken", Integer),
            col("resolved", "已办结", "resolved", Integer),
            col("on_time", "按时办结", "resolved on time", Integer),
        ],
    },
    Table {
        name: "community-tasks-monthly",
        zh: "各社区每月下派的工作事项（减负）",
        en: "Work pushed onto each community per month (burden)",
        about_zh: "按到达月份统计下派到社区的工作事项：经准入审批的、未经审批的、其中已被社区拒绝的。",
        about_en: "By month of arrival, work pushed onto the community: with an access approval, without one, and of all those the ones the community refused.",
        columns: &[
            col("community_code", "社区代码", "community code", Text),
            col("community_name", "社区", "community", Text),
            col("month", "月份", "month", Text),
            col("approved", "经准入审批", "with an approval", Integer),
            col("unapproved", "未经审批", "without approval", Integer),
            col("refused", "已拒绝", "refused", Integer),
        ],
    },
    Table {
        name: "community-tasks-in-force",
        zh: "各社区每月在办的下派事项（减负）",
        en: "Work in force on each community per month (burden)",
        about_zh: "每月在办的下派事项：当月任一时刻仍有效的（到达不晚于月末、终止不早于月初），分经准入审批与未经审批；另计当月终止的（被社区拒绝或审批到期）。从该社区第一件事项到达的月份起，到本月止。",
        about_en: "Work in force in each month: tasks in force at some moment of it (arrived by its end, not ended before its start), with an approval and without; and apart the tasks that ended in it (refused by the community, or the approval expired). From the month the community's first task arrived to this month.",
        columns: &[
            col("community_code", "社区代码", "community code", Text),
            col("community_name", "社区", "community", Text),
            col("month", "月份", "month", Text),
            col("in_force_approved", "在办（经准入审批）", "in force, approved", Integer),
            col("in_force_unapproved", "在办（未经审批）", "in force, without approval", Integer),
            col("ended", "当月终止", "ended in the month", Integer),
        ],
    },
    Table {
        name: "community-figures-yearly",
        zh: "各社区改革成效数字按年（实时）",
        en: "The reform's figures per community per year (live)",
        about_zh: "看板各项数字按社区、按年份：存量（社区成立、服务中心、驻区单位任职、共驻共建协议）为当年末（本年为今日）的数，流量（热线已解决求助、换届选举、居民评选项目、购买服务付款）为当年发生的数。区与全市为各社区之和。",
        about_en: "The dashboard's figures per community and year: stocks (community formed, service center, units seated, agreements signed) as of the year's last day (today for this year); flows (hotline requests solved, elections, resident-chosen projects, purchase payments) as they happened in the year. Districts and the city are the sums.",
        columns: &[
            col("community_code", "社区代码", "community code", Text),
            col("community_name", "社区", "community", Text),
            col("district_code", "区代码", "district code", Text),
            col("district_name", "区", "district", Text),
            col("year", "年份", "year", Integer),
            col("formed", "社区已成立", "community formed", Integer),
            col("with_center", "有服务中心", "with a service center", Integer),
            col("hotline_solved", "热线已解决求助", "hotline requests solved", Integer),
            col("elections", "换届选举（已计票）", "elections counted", Integer),
            col("direct_elections", "其中直接选举", "of which direct", Integer),
            col("units_seated", "驻区单位任职", "units seated", Integer),
            col("agreements_signed", "共驻共建协议（累计）", "agreements signed (to date)", Integer),
            col("projects", "居民评选项目", "resident-chosen projects", Integer),
            col("project_yuan", "项目预算（元）", "project budgets (yuan)", Money),
            col("purchases", "购买服务付款笔数", "service purchases paid", Integer),
            col("purchase_yuan", "购买服务金额（元）", "service purchases (yuan)", Money),
        ],
    },
];

pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The rows of a table, in a stable order.
pub async fn rows(db: &Db, t: &Table) -> Result<Vec<Vec<Cell>>> {
    let p = &db.pool;
    Ok(match t.name {
        "communities" => {
            type R = (String, String, String, String, String, String, String, String, i64, i64, i64);
            let rs: Vec<R> = sqlx::query_as(
                "SELECT c.code, c.name, c.district_code, COALESCE(d.name, ''), c.center_address, c.center_phone, \
                 c.center_hours, c.formed_on, CAST(c.illustrative AS BIGINT), CAST(c.code_illustrative AS BIGINT), \
                 CAST(c.details_illustrative AS BIGINT) FROM communities c LEFT JOIN districts d ON d.code = c.district_code \
                 ORDER BY c.code",
            )
            .fetch_all(p)
            .await?;
            rs.into_iter()
                .map(|r| {
                    vec![text(r.0), text(r.1), text(r.2), text(r.3), text(r.4), text(r.5), text(r.6), text(r.7)]
                        .into_iter()
                        .chain([Cell::Int(r.8), Cell::Int(r.9), Cell::Int(r.10)])
                        .collect()
                })
                .collect()
        }
        "service-items" => {
            let rs: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
                "SELECT code, name, category, unit_name, CAST(limit_days AS BIGINT), CAST(fee_fen AS BIGINT) \
                 FROM service_items ORDER BY code",
            )
            .fetch_all(p)
            .await?;
            rs.into_iter()
                .map(|r| vec![text(r.0), text(r.1), text(r.2), text(r.3), Cell::Int(r.4), Cell::Int(r.5)])
                .collect()
        }
        "projects" => {
            let rs: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
                "SELECT b.id, b.community_code, COALESCE(c.name, ''), b.title, b.amount_fen, b.spent_fen \
                 FROM budget_lines b LEFT JOIN communities c ON c.code = b.community_code \
                 WHERE b.source = 'pb_project' ORDER BY b.id",
            )
            .fetch_all(p)
            .await?;
            rs.into_iter()
                .map(|r| vec![Cell::Int(r.0), text(r.1), text(r.2), text(r.3), Cell::Int(r.4), Cell::Int(r.5)])
                .collect()
        }
        "district-figures" => crate::figures::by_district(db)
            .await?
            .into_iter()
            .map(|d| {
                vec![
                    text(d.district_code),
                    text(d.district_name),
                    Cell::Int(d.communities),
                    Cell::Int(d.with_center),
                    Cell::Int(d.hotline_solved),
                    Cell::Int(d.elections),
                    Cell::Int(d.direct_elections),
                    Cell::Int(d.projects),
                    Cell::Int(d.project_fen),
                    Cell::Int(d.purchases),
                    Cell::Int(d.purchase_fen),
                ]
            })
            .collect(),
        "community-cases-monthly" => {
            let rs: Vec<(String, String, String, i64, i64, i64)> = sqlx::query_as(
                "SELECT c.community_code, COALESCE(m.name, ''), SUBSTR(c.created_at, 1, 7), CAST(COUNT(*) AS BIGINT), \
                 CAST(SUM(CASE WHEN c.resolved_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), \
                 CAST(SUM(CASE WHEN c.on_time = 1 THEN 1 ELSE 0 END) AS BIGINT) \
                 FROM cases c LEFT JOIN communities m ON m.code = c.community_code \
                 GROUP BY c.community_code, m.name, SUBSTR(c.created_at, 1, 7) ORDER BY 1, 3",
            )
            .fetch_all(p)
            .await?;
            monthly(rs)
        }
        "community-tasks-monthly" => {
            let rs: Vec<(String, String, String, i64, i64, i64)> = sqlx::query_as(
                "SELECT t.community_code, COALESCE(m.name, ''), SUBSTR(t.created_at, 1, 7), \
                 CAST(SUM(CASE WHEN t.approval_number IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), \
                 CAST(SUM(CASE WHEN t.approval_number IS NULL THEN 1 ELSE 0 END) AS BIGINT), \
                 CAST(SUM(CASE WHEN t.status = 'refused' THEN 1 ELSE 0 END) AS BIGINT) \
                 FROM community_tasks t LEFT JOIN communities m ON m.code = t.community_code \
                 GROUP BY t.community_code, m.name, SUBSTR(t.created_at, 1, 7) ORDER BY 1, 3",
            )
            .fetch_all(p)
            .await?;
            monthly(rs)
        }
        "community-tasks-in-force" => in_force(db).await?,
        "community-figures-yearly" => crate::figures_yearly::by_community_year(db)
            .await?
            .into_iter()
            .map(|r| {
                vec![text(r.community_code), text(r.community_name), text(r.district_code), text(r.district_name)]
                    .into_iter()
                    .chain(
                        [
                            i64::from(r.year),
                            r.formed,
                            r.with_center,
                            r.hotline_solved,
                            r.elections,
                            r.direct_elections,
                            r.units_seated,
                            r.agreements_signed,
                            r.projects,
                            r.project_fen,
                            r.purchases,
                            r.purchase_fen,
                        ]
                        .map(Cell::Int),
                    )
                    .collect()
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// Each community's work in force per month (`lists::burden`), from its first task's month to this month.
async fn in_force(db: &Db) -> Result<Vec<Vec<Cell>>> {
    use lists::burden::{Span, in_force_per_month, month_no, month_text};
    let rs: Vec<(String, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT t.community_code, COALESCE(m.name, ''), t.created_at, t.ended_at, \
         CAST(CASE WHEN t.approval_number IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) \
         FROM community_tasks t LEFT JOIN communities m ON m.code = t.community_code ORDER BY t.community_code, t.id",
    )
    .fetch_all(&db.pool)
    .await?;
    let now = month_no(&crate::clock::today().to_string()).unwrap_or(0);
    let mut out = Vec::new();
    for chunk in rs.chunk_by(|a, b| a.0 == b.0) {
        let spans: Vec<Span> = chunk
            .iter()
            .filter_map(|r| {
                let from = month_no(&r.2)?;
                Some(Span { from, to: r.3.as_deref().and_then(month_no), approved: r.4 == 1 })
            })
            .collect();
        let Some(first) = spans.iter().map(|s| s.from).min() else { continue };
        let last = now.max(first);
        for (i, f) in in_force_per_month(&spans, first, last).into_iter().enumerate() {
            out.push(vec![
                text(chunk[0].0.clone()),
                text(chunk[0].1.clone()),
                text(month_text(first + i as i64)),
                Cell::Int(f.approved),
                Cell::Int(f.unapproved),
                Cell::Int(f.ended),
            ]);
        }
    }
    Ok(out)
}

/// Whether the activity rows (cases, pushed work) are the demo's invention: the demo marks the
/// communities whose details it invented (`details_illustrative`), a real deployment none, so a
/// chart drawn from these rows then carries the 示例 mark.
pub async fn activity_invented(db: &Db) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM communities WHERE details_illustrative = 1")
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Rows of (community, name, month, three counts).
fn monthly(rs: Vec<(String, String, String, i64, i64, i64)>) -> Vec<Vec<Cell>> {
    rs.into_iter()
        .map(|r| vec![text(r.0), text(r.1), text(r.2), Cell::Int(r.3), Cell::Int(r.4), Cell::Int(r.5)])
        .collect()
}

/// A cell as text: money as yuan with two decimals.
fn shown(c: &Cell, kind: ColKind) -> String {
    match (c, kind) {
        (Cell::Int(f), ColKind::Yuan) => ledger::Yuan(*f).to_string(),
        (Cell::Int(n), _) => n.to_string(),
        (Cell::Text(s), _) => s.clone(),
    }
}

/// CSV, UTF-8 with a byte-order mark; the header row holds the column keys.
pub fn csv(t: &Table, rows: &[Vec<Cell>]) -> std::result::Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(t.columns.iter().map(|c| c.key)).map_err(|e| e.to_string())?;
    for r in rows {
        w.write_record(r.iter().zip(t.columns).map(|(c, col)| shown(c, col.kind))).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// JSON: the table's name and an array of objects keyed by column key;
/// money as a decimal string in yuan (exact), numbers as numbers.
pub fn json(t: &Table, rows: &[Vec<Cell>]) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let m: serde_json::Map<String, serde_json::Value> = r
                .iter()
                .zip(t.columns)
                .map(|(c, col)| {
                    let v = match (c, col.kind) {
                        (Cell::Int(_), ColKind::Yuan) => serde_json::Value::String(shown(c, col.kind)),
                        (Cell::Int(n), _) => serde_json::Value::from(*n),
                        (Cell::Text(s), _) => serde_json::Value::String(s.clone()),
                    };
                    (col.key.to_string(), v)
                })
                .collect();
            serde_json::Value::Object(m)
        })
        .collect();
    serde_json::json!({ "table": t.name, "title": t.zh, "dictionary": format!("/open-data#{}", t.name), "rows": rows })
}

/// XLSX: one sheet, the Chinese column names on the first row, money as numbers formatted 0.00.
pub fn xlsx(t: &Table, rows: &[Vec<Cell>]) -> std::result::Result<Vec<u8>, String> {
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let money = rust_xlsxwriter::Format::new().set_num_format("0.00");
    let ws = wb.add_worksheet();
    ws.set_name(t.name).map_err(e)?;
    for (i, c) in t.columns.iter().enumerate() {
        ws.write_string(0, i as u16, c.zh).map_err(e)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (i, (c, col)) in row.iter().zip(t.columns).enumerate() {
            let i = i as u16;
            match (c, col.kind) {
                (Cell::Int(f), ColKind::Yuan) => {
                    ws.write_number_with_format(r, i, *f as f64 / 100.0, &money).map(|_| ())
                }
                (Cell::Int(n), _) => ws.write_number(r, i, *n as f64).map(|_| ()),
                (Cell::Text(s), _) => ws.write_string(r, i, s).map(|_| ()),
            }
            .map_err(e)?;
        }
    }
    wb.save_to_buffer().map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_formats_say_the_same_and_money_is_yuan() {
        let t = table("projects").unwrap();
        let rows = vec![vec![
            Cell::Int(1),
            text("340705402"),
            text("天井湖社区"),
            text("加装扶手, \"坡道\""),
            Cell::Int(4_500_000),
            Cell::Int(300_050),
        ]];
        let c = String::from_utf8(csv(t, &rows).unwrap()).unwrap();
        assert!(c.starts_with('\u{feff}'), "a byte-order mark for spreadsheet programs");
        assert_eq!(
            c.trim_start_matches('\u{feff}'),
            "id,community_code,community_name,title,budget_yuan,spent_yuan\n\
             1,340705402,天井湖社区,\"加装扶手, \"\"坡道\"\"\",45000.00,3000.50\n"
        );
        let j = json(t, &rows);
        assert_eq!(j["rows"][0]["budget_yuan"], "45000.00");
        assert_eq!(j["rows"][0]["id"], 1);
        assert!(xlsx(t, &rows).unwrap().starts_with(b"PK"), "a zip container");
    }

    #[test]
    fn every_table_has_a_dictionary_with_unique_keys() {
        for t in TABLES {
            let mut keys: Vec<_> = t.columns.iter().map(|c| c.key).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), t.columns.len(), "{}", t.name);
            assert!(t.columns.iter().all(|c| !c.zh.is_empty() && !c.en.is_empty()), "{}", t.name);
        }
        assert!(table("residents").is_none(), "nothing personal is open data");
    }
}
