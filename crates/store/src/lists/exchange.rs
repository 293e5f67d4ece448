//! The XLSX format offices exchange lists in.

use super::*;

// ----- exchange format ----------------------------------------------------------------------

/// One list version as an XLSX workbook (the format offices exchange): one
/// row per entry with its code, title, type, legal basis, department, source
/// and the list-specific terms (funding standard in yuan, assessment caps).
pub fn version_xlsx(v: &ListVersion) -> std::result::Result<Vec<u8>, String> {
    use lists::Terms;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let ws = wb.add_worksheet();
    ws.set_name(v.kind().name().zh).map_err(e)?;
    ws.write_string(
        0,
        0,
        format!(
            "{} 第{}版 生效日期{} {}",
            v.kind().name().zh,
            v.version(),
            v.effective().map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            v.note()
        ),
    )
    .map_err(e)?;
    let header = [
        "编号",
        "事项",
        "类型",
        "法律依据",
        "责任部门",
        "来源",
        "退出范围",
        "经费标准（元）",
        "计费方式",
        "出资部门",
        "发起层级",
        "每年最多次数",
        "最长天数",
        "考核内容",
    ];
    for (i, h) in header.iter().enumerate() {
        ws.write_string(2, i as u16, *h).map_err(e)?;
    }
    for (i, en) in v.entries().iter().enumerate() {
        let r = i as u32 + 3;
        for (c, s) in [&en.code, &en.title, en.item_type.zh(), &en.legal_basis, &en.department, &en.source]
            .into_iter()
            .enumerate()
        {
            ws.write_string(r, c as u16, s).map_err(e)?;
        }
        match &en.terms {
            Terms::Exit { scope } => {
                let s = match scope {
                    lists::ExitScope::Always => "一律取消",
                    lists::ExitScope::AsPrincipal => "不再作为责任主体",
                };
                ws.write_string(r, 6, s).map_err(e)?;
            }
            Terms::Duty => {}
            Terms::Assistance(a) => {
                ws.write_number(r, 7, a.standard_fen as f64 / 100.0).map_err(e)?;
                ws.write_string(r, 8, a.basis.describe().zh).map_err(e)?;
                ws.write_string(r, 9, &a.paying_department).map_err(e)?;
            }
            Terms::Assessment(a) => {
                let lvl = match a.origin_level {
                    GovLevel::National => "国家",
                    GovLevel::Provincial => "省",
                    GovLevel::Municipal => "市",
                    GovLevel::District => "区",
                };
                ws.write_string(r, 10, lvl).map_err(e)?;
                ws.write_number(r, 11, f64::from(a.max_times_per_year)).map_err(e)?;
                ws.write_number(r, 12, f64::from(a.max_duration_days)).map_err(e)?;
                ws.write_string(r, 13, a.content_scope.join("、")).map_err(e)?;
            }
        }
    }
    wb.save_to_buffer().map_err(e)
}
