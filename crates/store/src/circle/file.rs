//! The living circle's files: the facilities registry and building positions read from CSV or
//! XLSX (column names in Chinese or English, every bad cell named with its line), and the
//! registry written back as CSV or XLSX in the same columns, so an export imports again.

use super::homes::BuildingAt;
use super::{Facility, FacilityType, NewFacility, Rejected};
use crate::residents_file::neutralise;
use rules::Msg;

/// The export's columns (Chinese, as the import reads them too).
pub const FACILITY_HEADER: [&str; 9] =
    ["类型", "名称", "经度", "纬度", "容量", "开放时间", "权属", "原街道办", "关闭日期"];

/// A file's rows as (line, cells); the first is the header. CSV (UTF-8, or GB18030 as Excel on
/// Chinese Windows saves it) or XLSX (by name or by its zip signature).
pub fn table(file_name: &str, bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, Msg> {
    if file_name.to_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
        return xlsx(bytes);
    }
    let decoded;
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(Msg::new("无法识别CSV文件的编码（请另存为“CSV UTF-8”）", "cannot read the CSV's encoding"));
            }
            decoded = t.into_owned();
            &decoded
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut out = Vec::new();
    for (k, rec) in rdr.records().enumerate() {
        let rec =
            rec.map_err(|_| Msg::new(format!("第 {} 行无法解析", k + 1), format!("line {} cannot be parsed", k + 1)))?;
        out.push((k + 1, rec.iter().map(|c| c.trim().to_string()).collect()));
    }
    if out.is_empty() {
        return Err(Msg::new("文件为空", "the file is empty"));
    }
    Ok(out)
}

fn xlsx(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, Msg> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|_| Msg::new("无法读取XLSX文件", "cannot read the XLSX file"))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| Msg::new("XLSX文件没有工作表", "the XLSX file has no sheet"))?
        .map_err(|_| Msg::new("无法读取XLSX工作表", "cannot read the XLSX sheet"))?;
    let cell = |d: &Data| match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    };
    let out: Vec<_> = range.rows().enumerate().map(|(i, r)| (i + 1, r.iter().map(cell).collect())).collect();
    if out.is_empty() {
        return Err(Msg::new("文件为空", "the file is empty"));
    }
    Ok(out)
}

/// Which column holds each of `names` (any of its spellings, case-insensitive).
fn columns<const N: usize>(header: &[String], names: [&[&str]; N]) -> [Option<usize>; N] {
    names.map(|n| header.iter().position(|h| n.iter().any(|x| h.trim().eq_ignore_ascii_case(x))))
}

fn at(cells: &[String], col: Option<usize>) -> &str {
    col.and_then(|i| cells.get(i)).map_or("", |s| s.trim())
}

fn refused(line: usize, field: &str, zh: String, en: String) -> Rejected {
    Rejected { line, field: field.into(), msg: Msg::new(zh, en) }
}

fn degrees(line: usize, field: &str, v: &str, bad: &mut Vec<Rejected>) -> f64 {
    v.parse().unwrap_or_else(|_| {
        bad.push(refused(line, field, format!("{field}「{v}」不是数字"), format!("{field} {v:?} is not a number")));
        f64::NAN
    })
}

/// Facilities from a table: 类型/type, 名称/name, 经度/lon, 纬度/lat required; 容量/capacity,
/// 开放时间/opening_hours, 权属/owner, 原街道办/former_street_office optional. Every unreadable
/// cell is refused with its line (the registry's own checks come after, in `import_facilities`).
pub fn facilities_from(rows: &[(usize, Vec<String>)]) -> Result<Vec<NewFacility>, Vec<Rejected>> {
    let Some((_, header)) = rows.first() else {
        return Err(vec![refused(1, "file", "文件为空".into(), "the file is empty".into())]);
    };
    let [ty, name, lon, lat, cap, hours, owner, office] = columns(
        header,
        [
            &["类型", "type", "type_code"],
            &["名称", "name"],
            &["经度", "lon"],
            &["纬度", "lat"],
            &["容量", "capacity"],
            &["开放时间", "opening_hours"],
            &["权属", "owner"],
            &["原街道办", "former_street_office"],
        ],
    );
    if ty.is_none() || name.is_none() || lon.is_none() || lat.is_none() {
        return Err(vec![refused(
            1,
            "file",
            "需要 类型、名称、经度、纬度 四列".into(),
            "needs type, name, lon and lat columns".into(),
        )]);
    }
    let mut bad = Vec::new();
    let mut out = Vec::new();
    for (line, cells) in &rows[1..] {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let capacity = match at(cells, cap) {
            "" => None,
            v => v.parse::<i64>().map(Some).unwrap_or_else(|_| {
                bad.push(refused(
                    *line,
                    "capacity",
                    format!("容量「{v}」不是整数"),
                    format!("capacity {v:?} is not an integer"),
                ));
                None
            }),
        };
        out.push(NewFacility {
            line: *line,
            type_text: at(cells, ty).into(),
            name: at(cells, name).into(),
            lon: degrees(*line, "lon", at(cells, lon), &mut bad),
            lat: degrees(*line, "lat", at(cells, lat), &mut bad),
            capacity,
            opening_hours: at(cells, hours).into(),
            owner: at(cells, owner).into(),
            former_street_office: matches!(at(cells, office).to_lowercase().as_str(), "是" | "yes" | "1" | "true"),
        });
    }
    if bad.is_empty() { Ok(out) } else { Err(bad) }
}

/// Building positions from a table: 社区/community (code or name), 楼栋/building, 经度/lon, 纬度/lat.
pub fn buildings_from(rows: &[(usize, Vec<String>)]) -> Result<Vec<BuildingAt>, Vec<Rejected>> {
    let Some((_, header)) = rows.first() else {
        return Err(vec![refused(1, "file", "文件为空".into(), "the file is empty".into())]);
    };
    let [community, building, lon, lat] =
        columns(header, [&["社区", "community"], &["楼栋", "building"], &["经度", "lon"], &["纬度", "lat"]]);
    if community.is_none() || building.is_none() || lon.is_none() || lat.is_none() {
        return Err(vec![refused(
            1,
            "file",
            "需要 社区、楼栋、经度、纬度 四列".into(),
            "needs community, building, lon and lat columns".into(),
        )]);
    }
    let mut bad = Vec::new();
    let mut out = Vec::new();
    for (line, cells) in &rows[1..] {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.push(BuildingAt {
            line: *line,
            community: at(cells, community).into(),
            building: at(cells, building).into(),
            lon: degrees(*line, "lon", at(cells, lon), &mut bad),
            lat: degrees(*line, "lat", at(cells, lat), &mut bad),
        });
    }
    if bad.is_empty() { Ok(out) } else { Err(bad) }
}

fn facility_cells(f: &Facility, types: &[FacilityType]) -> [String; 9] {
    [
        types.iter().find(|t| t.code == f.type_code).map_or(f.type_code.clone(), |t| t.name.clone()),
        f.name.clone(),
        format!("{:.7}", f.lon),
        format!("{:.7}", f.lat),
        f.capacity.map(|c| c.to_string()).unwrap_or_default(),
        f.opening_hours.clone(),
        f.owner.clone(),
        if f.former_street_office != 0 { "是".into() } else { String::new() },
        f.closed_on.clone().unwrap_or_default(),
    ]
}

/// The registry as CSV (UTF-8 with BOM, every cell neutralised against spreadsheet formulas).
pub fn facilities_csv(rows: &[Facility], types: &[FacilityType]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(FACILITY_HEADER);
    for f in rows {
        let _ = w.write_record(facility_cells(f, types).iter().map(|c| neutralise(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

/// The registry as XLSX (one sheet, 设施, cells as text).
pub fn facilities_xlsx(rows: &[Facility], types: &[FacilityType]) -> Result<Vec<u8>, String> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("设施").map_err(|e| e.to_string())?;
    for (c, h) in FACILITY_HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(|e| e.to_string())?;
    }
    for (i, f) in rows.iter().enumerate() {
        for (c, v) in facility_cells(f, types).iter().enumerate() {
            ws.write_string(i as u32 + 1, c as u16, v).map_err(|e| e.to_string())?;
        }
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kindergarten() -> Facility {
        Facility {
            id: 1,
            type_code: "kindergarten".into(),
            name: "=示例幼儿园".into(),
            lon: 117.8123456,
            lat: 30.9345678,
            capacity: Some(120),
            opening_hours: "7:30-17:30".into(),
            owner: "区教育局（示例）".into(),
            former_street_office: 1,
            created_at: String::new(),
            closed_on: None,
        }
    }

    fn types() -> Vec<FacilityType> {
        vec![FacilityType {
            code: "kindergarten".into(),
            name: "幼儿园".into(),
            level_code: "5min".into(),
            radius_m: Some(300),
            source: String::new(),
        }]
    }

    #[test]
    fn an_export_reads_back_as_the_same_facilities_csv_and_xlsx() {
        let f = kindergarten();
        for (name, bytes) in [
            ("f.csv", facilities_csv(std::slice::from_ref(&f), &types())),
            ("f.xlsx", facilities_xlsx(std::slice::from_ref(&f), &types()).unwrap()),
        ] {
            let rows = facilities_from(&table(name, &bytes).unwrap()).unwrap();
            assert_eq!(rows.len(), 1, "{name}");
            let r = &rows[0];
            assert_eq!((r.type_text.as_str(), r.capacity, r.former_street_office), ("幼儿园", Some(120), true));
            assert!((r.lon - f.lon).abs() < 1e-7 && (r.lat - f.lat).abs() < 1e-7, "{name}");
            // The CSV neutralises a formula-looking name; XLSX cells are text already.
            assert!(r.name.ends_with("=示例幼儿园"), "{name}: {}", r.name);
        }
    }

    #[test]
    fn unreadable_cells_are_refused_with_their_line() {
        let t = table("f.csv", "类型,名称,经度,纬度,容量\n幼儿园,甲,117.8,30.9,多\n幼儿园,乙,东经,30.9,\n".as_bytes())
            .unwrap();
        let bad = facilities_from(&t).unwrap_err();
        let got: Vec<_> = bad.iter().map(|r| (r.line, r.field.as_str())).collect();
        assert_eq!(got, [(2, "capacity"), (3, "lon")]);
        let t = table("f.csv", b"name,lon\nx,1\n").unwrap();
        assert_eq!(facilities_from(&t).unwrap_err()[0].field, "file");
    }

    #[test]
    fn building_positions_read_with_chinese_or_english_columns() {
        let t = table("b.csv", "community,building,lon,lat\n340702001,1栋,117.81,30.93\n".as_bytes()).unwrap();
        let b = buildings_from(&t).unwrap();
        assert_eq!((b[0].line, b[0].building.as_str(), b[0].lon), (2, "1栋", 117.81));
    }
}
