//! Residents files as offices exchange them: CSV (UTF-8, with or without
//! BOM, or GB18030-free plain ASCII) and XLSX. Headers in Chinese or English.

use crate::residents::{Resident, ResidentInput, validate};
use crate::residents_import::{MAX_CSV_BYTES, MAX_XLSX_BYTES};
use rules::Msg;

pub use crate::residents_import::Row;

/// Column names accepted for each field (Chinese first).
const HEADERS: &[(&str, &[&str])] = &[
    ("name", &["姓名", "name"]),
    ("id_number", &["身份证号", "公民身份号码", "身份证号码", "id_number", "id"]),
    ("household", &["户号", "household"]),
    ("building", &["楼栋", "楼栋号", "building"]),
    ("address", &["住址", "地址", "address"]),
    ("phone", &["电话", "联系电话", "手机", "phone"]),
    ("hukou", &["户籍", "本地户籍", "hukou"]),
    ("moved_in", &["迁入日期", "入住日期", "moved_in"]),
    ("group", &["居民小组", "group"]),
    ("guardian_name", &["监护人", "监护人姓名", "guardian_name"]),
    ("guardian_relation", &["监护关系", "与监护人关系", "guardian_relation"]),
];

/// How a rejected row's field is named to people: the file's own column name
/// (its first Chinese header above) and an English one. Never the code.
pub fn field_label(field: &str) -> (&'static str, &'static str) {
    let en = match field {
        "name" => "Name",
        "id_number" => "ID number",
        "household" => "Household",
        "building" => "Building",
        "address" => "Address",
        "phone" => "Phone",
        "hukou" => "Local hukou",
        "moved_in" => "Moved in",
        "group" => "Residents' group",
        "guardian_name" => "Guardian",
        "guardian_relation" => "Relation to the guardian",
        "file" => return ("文件", "File"),
        _ => return ("其他", "Other"),
    };
    let zh = HEADERS.iter().find(|(f, _)| *f == field).map_or("其他", |(_, names)| names[0]);
    (zh, en)
}

/// What an export's birth column holds; the web's data-minimisation policy
/// (`web::privacy`) chooses it per role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthColumn {
    /// 出生日期, YYYY-MM-DD.
    Date,
    /// 出生年份 alone: the date is what the ID number's mask hides.
    Year,
}

pub fn export_header(birth: BirthColumn) -> [&'static str; 10] {
    let born = if birth == BirthColumn::Date { "出生日期" } else { "出生年份" };
    ["姓名", "身份证号", "性别", born, "户号", "楼栋", "住址", "电话", "户籍", "迁入日期"]
}

pub(crate) fn column_map(header: &[String]) -> Result<Vec<Option<&'static str>>, Msg> {
    let map: Vec<Option<&'static str>> = header
        .iter()
        .map(|h| {
            let h = h.trim().trim_start_matches('\u{feff}');
            HEADERS.iter().find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(h))).map(|(f, _)| *f)
        })
        .collect();
    for required in ["name", "id_number"] {
        if !map.contains(&Some(required)) {
            return Err(Msg::new(
                format!("文件缺少必需的列：{}", if required == "name" { "姓名" } else { "身份证号" }),
                format!("the file lacks the required column {required}"),
            ));
        }
    }
    Ok(map)
}

fn to_input(map: &[Option<&'static str>], cells: &[String]) -> ResidentInput {
    let mut r = ResidentInput::default();
    for (f, v) in map.iter().zip(cells) {
        let v = v.trim().to_string();
        match f {
            Some("name") => r.name = v,
            Some("id_number") => r.id_number = v,
            Some("household") => r.household = v,
            Some("building") => r.building = v,
            Some("address") => r.address = v,
            Some("phone") => r.phone = v,
            Some("hukou") => r.hukou = v,
            Some("moved_in") => r.moved_in = v,
            Some("group") => r.group = v,
            Some("guardian_name") => r.guardian_name = v,
            Some("guardian_relation") => r.guardian_relation = v,
            _ => {}
        }
    }
    r
}

/// One record as a row: None when every cell is blank.
pub(crate) fn row_of(line: usize, cells: &[String], map: &[Option<&'static str>]) -> Option<Row> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        return None;
    }
    let input = to_input(map, cells);
    let name = input.name.clone();
    let checked =
        validate(&input).map_err(|(f, m)| (f, Msg::new(format!("{name}：{}", m.zh), format!("{name}: {}", m.en))));
    Some((line, checked))
}

fn rows_from(records: impl Iterator<Item = (usize, Vec<String>)>, map: &[Option<&'static str>]) -> Vec<Row> {
    records.filter_map(|(line, cells)| row_of(line, &cells, map)).collect()
}

/// Parse a file by its name's extension (xlsx) or else as CSV.
pub fn parse(file_name: &str, bytes: &[u8]) -> Result<Vec<Row>, Msg> {
    if file_name.to_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
        parse_xlsx(bytes)
    } else {
        parse_csv(bytes)
    }
}

/// A file's rows as a stream (issue 12, point 12): a CSV is read record by
/// record from `source` (each record UTF-8, or GB18030 as Excel on Chinese
/// Windows saves it), so memory holds a record, not the file; an XLSX
/// workbook's bytes are held (so it is limited to [`MAX_XLSX_BYTES`]) and its
/// first sheet read cell by cell ([`crate::residents_xlsx`]). `size`
/// is the file's length, checked against the limits before anything is read.
pub fn open<'a>(
    file_name: &str,
    size: u64,
    mut source: impl std::io::BufRead + Send + 'a,
) -> Result<Box<dyn Iterator<Item = Row> + Send + 'a>, Msg> {
    let is_xlsx =
        file_name.to_lowercase().ends_with(".xlsx") || source.fill_buf().is_ok_and(|b| b.starts_with(b"PK\x03\x04"));
    let limit = if is_xlsx { MAX_XLSX_BYTES } else { MAX_CSV_BYTES };
    if size > limit {
        let mb = limit >> 20;
        let kind = if is_xlsx { "XLSX" } else { "CSV" };
        return Err(Msg::new(
            format!("{kind}文件不能超过{mb}MB（可分成几个文件导入）"),
            format!("a {kind} file may be at most {mb} MB (split it into several)"),
        ));
    }
    if is_xlsx {
        let mut bytes = Vec::new();
        source.read_to_end(&mut bytes).map_err(|_| Msg::new("无法读取文件", "cannot read the file"))?;
        return crate::residents_xlsx::rows(bytes);
    }
    let mut records =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(source).into_byte_records();
    let mut header = match records.next() {
        Some(Ok(h)) => decode(&h).ok_or_else(unreadable)?,
        _ => return Err(Msg::new("文件为空", "the file is empty")),
    };
    if let Some(first) = header.first_mut() {
        *first = first.trim_start_matches('\u{feff}').to_string();
    }
    let map = column_map(&header)?;
    Ok(Box::new(records.filter_map(move |rec| {
        let line = |p: Option<&csv::Position>| p.map(|p| p.line() as usize).unwrap_or(0);
        match rec {
            Ok(r) => match decode(&r) {
                Some(cells) => row_of(line(r.position()), &cells, &map),
                None => Some((line(r.position()), Err(("file".to_string(), unreadable())))),
            },
            Err(e) => Some((
                line(e.position()),
                Err(("file".to_string(), Msg::new("此行无法解析", "this line cannot be parsed"))),
            )),
        }
    })))
}

fn unreadable() -> Msg {
    Msg::new("无法识别CSV文件的编码（请另存为“CSV UTF-8”）", "cannot read the CSV's encoding (save it as CSV UTF-8)")
}

/// A record's cells as text: UTF-8, or else GB18030 (None if it is neither).
fn decode(r: &csv::ByteRecord) -> Option<Vec<String>> {
    r.iter()
        .map(|cell| match std::str::from_utf8(cell) {
            Ok(t) => Some(t.to_string()),
            Err(_) => {
                let (t, _, bad) = encoding_rs::GB18030.decode(cell);
                (!bad).then(|| t.into_owned())
            }
        })
        .collect()
}

pub fn parse_csv(bytes: &[u8]) -> Result<Vec<Row>, Msg> {
    // Excel on Chinese Windows saves CSV as GBK/GB18030; accept it as well as UTF-8.
    let decoded;
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(Msg::new(
                    "无法识别CSV文件的编码（请另存为“CSV UTF-8”）",
                    "cannot read the CSV's encoding (save it as CSV UTF-8)",
                ));
            }
            decoded = t.into_owned();
            &decoded
        }
    };
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(str::to_string).collect(),
        _ => return Err(Msg::new("文件为空", "the file is empty")),
    };
    let map = column_map(&header)?;
    let mut out = Vec::new();
    for rec in records {
        match rec {
            Ok(r) => {
                let line = r.position().map(|p| p.line() as usize).unwrap_or(0);
                out.push((line, r.iter().map(str::to_string).collect()));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                out.push((line, vec![]));
            }
        }
    }
    let mut rows = Vec::new();
    for (line, cells) in out {
        if cells.is_empty() {
            rows.push((line, Err(("file".to_string(), Msg::new("此行无法解析", "this line cannot be parsed")))));
        } else {
            rows.extend(rows_from(std::iter::once((line, cells)), &map));
        }
    }
    Ok(rows)
}

/// A whole workbook's rows (tests, fuzzing): the stream of [`crate::residents_xlsx::rows`], collected.
pub fn parse_xlsx(bytes: &[u8]) -> Result<Vec<Row>, Msg> {
    Ok(crate::residents_xlsx::rows(bytes.to_vec())?.collect())
}

/// A workbook cell as the text a CSV would hold: whole numbers without `.0`
/// (ID numbers typed as numbers), dates as YYYY-MM-DD.
pub(crate) fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        Data::DateTime(dt) => {
            (time::macros::date!(1899 - 12 - 30) + time::Duration::days(dt.as_f64() as i64)).to_string()
        }
        other => other.to_string(),
    }
}

fn export_row(r: &Resident, birth: BirthColumn) -> [String; 10] {
    [
        r.name.clone(),
        rules::gb11643::mask(&r.id_masked),
        if r.sex == "M" { "男".into() } else { "女".into() },
        match birth {
            BirthColumn::Date => r.birth_date.clone(),
            BirthColumn::Year => r.birth_date.chars().take(4).collect(),
        },
        r.household.clone(),
        r.building.clone(),
        r.address.clone(),
        r.phone.clone(),
        if r.hukou == 1 { "是".into() } else { "否".into() },
        r.moved_in.clone().unwrap_or_default(),
    ]
}

/// A CSV cell a spreadsheet will not run: one that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return (a formula, or one after a separator some
/// spreadsheets split on) gets a leading `'`, which shows as text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

/// CSV with ID numbers masked (an export is a view; rules §6.4) and every cell [`neutralise`]d.
pub fn write_csv(rows: &[Resident], birth: BirthColumn) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(export_header(birth));
    for r in rows {
        let _ = w.write_record(export_row(r, birth).iter().map(|c| neutralise(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

pub fn write_xlsx(rows: &[Resident], birth: BirthColumn) -> Result<Vec<u8>, String> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("居民").map_err(|e| e.to_string())?;
    for (c, h) in export_header(birth).iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(|e| e.to_string())?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in export_row(r, birth).iter().enumerate() {
            ws.write_string(i as u32 + 1, c as u16, v).map_err(|e| e.to_string())?;
        }
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

/// An XLSX import template with the given rows of raw cells (tests, demo).
pub fn xlsx_from_cells(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(|e| e.to_string())?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in r.iter().enumerate() {
            ws.write_string(i as u32 + 1, c as u16, v).map_err(|e| e.to_string())?;
        }
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_name_for_people() {
        for (field, names) in HEADERS {
            assert_eq!(field_label(field).0, names[0]);
            assert_ne!(field_label(field).1, "Other", "{field}");
        }
        assert_eq!(field_label("file"), ("文件", "File"));
    }

    #[test]
    fn csv_rows_keep_line_numbers_and_reasons() {
        let good = rules::gb11643::compose("340705", time::macros::date!(1980 - 01 - 01), 11);
        let csv =
            format!("\u{feff}姓名,身份证号,户籍\n张三,{good},是\n李四,110105194912310021,否\n\n王五,{good},maybe\n");
        let rows = parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].1.is_ok());
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1.as_ref().err().unwrap().0, "id_number");
        assert_eq!(rows[2].1.as_ref().err().unwrap().0, "hukou");
    }

    #[test]
    fn xlsx_round_trip() {
        let good = rules::gb11643::compose("340705", time::macros::date!(1980 - 01 - 01), 12);
        let bytes = xlsx_from_cells(&["name", "id_number"], &[vec!["A".into(), good]]).unwrap();
        let rows = parse("x.xlsx", &bytes).unwrap();
        assert_eq!(rows.len(), 1);
        assert!(rows[0].1.is_ok());
    }

    #[test]
    fn gbk_csv_from_excel_is_read() {
        let good = rules::gb11643::compose("340705", time::macros::date!(1980 - 01 - 01), 13);
        let text = format!("姓名,身份证号\r\n张三,{good}\r\n");
        let (bytes, _, _) = encoding_rs::GBK.encode(&text);
        let rows = parse_csv(&bytes).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].1.as_ref().ok().unwrap().name, "张三");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
        for (cell, out) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+8613800000000", "'+8613800000000"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("张三", "张三"),
            ("1-2-3", "1-2-3"),
        ] {
            assert_eq!(neutralise(cell), out);
        }
        let r = Resident {
            id: 1,
            community_code: "340705402".into(),
            district_code: "340705".into(),
            group_id: None,
            name: "=cmd|' /C calc'!A0".into(),
            id_masked: "3407*************5".into(),
            birth_date: "1985-06-01".into(),
            sex: "M".into(),
            household: "-1".into(),
            building: "@x".into(),
            address: "\t=1".into(),
            phone: "+8613800000000".into(),
            hukou: 1,
            moved_in: None,
            created_at: String::new(),
            guardian_name: None,
            guardian_relation: None,
            guardian_consent_on: None,
        };
        let out = String::from_utf8(write_csv(&[r], BirthColumn::Year)).unwrap();
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(out.as_bytes());
        for rec in rdr.records() {
            for cell in rec.unwrap().iter() {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
            }
        }
    }

    #[test]
    fn missing_column_is_an_error() {
        assert!(parse_csv("姓名,电话\n张三,123".as_bytes()).is_err());
    }

    #[test]
    fn a_csv_streams_record_by_record_utf8_and_gb18030_alike() {
        let good = rules::gb11643::compose("340705", time::macros::date!(1985 - 06 - 01), 5);
        let text = format!("\u{feff}姓名,身份证号\n张三,{good}\n\n李四,{good}\n");
        let (gb, _, _) = encoding_rs::GB18030.encode(&text[3..]);
        for bytes in [text.as_bytes(), &gb[..]] {
            let rows: Vec<Row> = open("r.csv", bytes.len() as u64, bytes).unwrap().collect();
            let names: Vec<&str> = rows.iter().filter_map(|(_, r)| r.as_ref().ok().map(|v| v.name.as_str())).collect();
            assert_eq!(names, ["张三", "李四"]);
        }
        assert!(open("big.xlsx", crate::residents_import::MAX_XLSX_BYTES + 1, &b""[..]).is_err());
    }
}
