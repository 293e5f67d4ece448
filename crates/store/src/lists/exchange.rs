//! The XLSX format offices exchange lists in: export of a version, import of
//! entries into a draft (rows parsed by `lists::entry`).

use super::*;
use lists::ListsError;

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
    // The columns the import reads back (`lists::entry::COLUMNS`), by their first name.
    for (i, (_, names)) in lists::entry::COLUMNS.iter().enumerate() {
        ws.write_string(2, i as u16, names[0]).map_err(e)?;
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

// ----- XLSX import (the format `version_xlsx` writes) ------------------------------------------

#[derive(Debug, Clone, serde::Serialize)]
pub struct EntryImport {
    pub version: VersionRow,
    pub imported: Vec<String>,
    pub rejected: Vec<RejectedEntry>,
}

/// Read the rows of an exported list workbook into entry forms: the header
/// is the first row whose first cell is 编号/编码.
pub fn read_entries_xlsx(bytes: &[u8]) -> Result<Vec<(usize, EntryForm)>> {
    use calamine::{Data, Reader, Xlsx};
    let unreadable = || bad("file", "无法读取XLSX文件", "cannot read the XLSX file");
    let range = crate::files::calamine_guard(|| {
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
        wb.worksheet_range_at(0)
            .ok_or_else(|| bad("file", "XLSX文件没有工作表", "the XLSX file has no sheet"))?
            .map_err(|_| bad("file", "无法读取XLSX工作表", "cannot read the XLSX sheet"))
    })
    .ok_or_else(unreadable)??;
    let cell = |d: &Data| match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f:.2}"),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    };
    let (start_row, _) = range.start().unwrap_or((0, 0));
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell).collect()).collect();
    lists::entry::forms_from_rows(&rows, start_row as usize).map_err(|e| super::field_errors(vec![e]))
}

/// Import the entries of an XLSX workbook into an open draft: every valid
/// row whose code is new is added (one transaction, one audit entry), every
/// other row is listed with its reason.
pub async fn import_entries(db: &Db, actor: &str, kind: ListKind, version: i64, bytes: &[u8]) -> Result<EntryImport> {
    let forms = read_entries_xlsx(bytes)?;
    let current = super::version(db, kind, version).await?.parse()?;
    if current.is_published() {
        return Err(lists_error(ListsError::Immutable { kind, version: current.version() }));
    }
    let (ok, rejected) = lists::entry::sort_import(&current, &forms);
    let imported: Vec<String> = ok.iter().map(|e| e.code.clone()).collect();
    let version = if ok.is_empty() {
        super::version(db, kind, version).await?
    } else {
        edit_version(db, actor, kind, version, VersionEdit::AddAll(ok)).await?
    };
    Ok(EntryImport { version, imported, rejected })
}
