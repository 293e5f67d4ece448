//! A residents workbook read as a stream (issue 12, point 12): a thread reads
//! the first sheet cell by cell (calamine's cells reader) and hands rows over
//! a bounded channel, so memory holds the workbook's bytes, its shared strings
//! and a few hundred rows, never the sheet's cells as a whole.

use crate::residents_file::{cell_text, column_map, row_of};
use crate::residents_import::Row;
use rules::Msg;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Rows waiting between the reading thread and the import.
const IN_FLIGHT: usize = 256;

/// The rows of `bytes`' first sheet: the header row is read (and its columns
/// checked) before this returns; the rest come as the iterator is pulled.
/// A row is numbered as the spreadsheet shows it (1-based), blank rows are skipped.
pub fn rows(bytes: Vec<u8>) -> Result<Box<dyn Iterator<Item = Row> + Send>, Msg> {
    let (head_tx, head_rx) = sync_channel::<Result<(), Msg>>(1);
    let (tx, rx) = sync_channel::<Row>(IN_FLIGHT);
    let reader = std::thread::Builder::new()
        .name("xlsx-rows".into())
        .spawn(move || {
            let headed = std::cell::Cell::new(false);
            if crate::files::calamine_guard(|| read(bytes, &head_tx, &tx, &headed)).is_none() {
                // calamine panicked on a malformed sheet: before the header, the file is unreadable;
                // after it, the rest of the file is one refused row (the import counts it).
                let msg = Msg::new("无法读取XLSX文件（文件已损坏）", "cannot read the XLSX file (it is damaged)");
                if headed.get() {
                    let _ = tx.send((0, Err(("file".to_string(), msg))));
                } else {
                    let _ = head_tx.send(Err(msg));
                }
            }
        })
        .map_err(|_| Msg::new("无法读取XLSX文件", "cannot read the XLSX file"))?;
    let mut rows = Rows { rx, reader: Some(reader) };
    match head_rx.recv() {
        Ok(Ok(())) => Ok(Box::new(rows)),
        Ok(Err(m)) => Err(m),
        // The thread ended without a word: it panicked; say so here.
        Err(_) => {
            rows.join();
            Err(Msg::new("无法读取XLSX文件", "cannot read the XLSX file"))
        }
    }
}

struct Rows {
    rx: Receiver<Row>,
    reader: Option<JoinHandle<()>>,
}

impl Rows {
    /// A panic of the reading thread is this iterator's panic, not a file that ends early.
    fn join(&mut self) {
        if let Some(h) = self.reader.take()
            && let Err(p) = h.join()
        {
            std::panic::resume_unwind(p);
        }
    }
}

impl Iterator for Rows {
    type Item = Row;
    fn next(&mut self) -> Option<Row> {
        match self.rx.recv() {
            Ok(r) => Some(r),
            Err(_) => {
                self.join();
                None
            }
        }
    }
}

fn read(bytes: Vec<u8>, head: &SyncSender<Result<(), Msg>>, tx: &SyncSender<Row>, headed: &std::cell::Cell<bool>) {
    use calamine::{Data, Reader, Xlsx};
    let unreadable = || Msg::new("无法读取XLSX文件", "cannot read the XLSX file");
    let Ok(mut wb) = Xlsx::new(std::io::Cursor::new(bytes)) else {
        let _ = head.send(Err(unreadable()));
        return;
    };
    let Some(name) = wb.sheet_names().first().cloned() else {
        let _ = head.send(Err(Msg::new("XLSX文件没有工作表", "the XLSX file has no sheet")));
        return;
    };
    let Ok(mut cells) = wb.worksheet_cells_reader(&name) else {
        let _ = head.send(Err(Msg::new("无法读取XLSX工作表", "cannot read the XLSX sheet")));
        return;
    };
    let mut map: Option<Vec<Option<&'static str>>> = None;
    let mut line: Option<u32> = None;
    let mut row: Vec<String> = Vec::new();
    loop {
        let next = cells.next_cell();
        let (pos, value) = match &next {
            Ok(Some(c)) => (Some(c.get_position()), Some(Data::from(c.get_value().clone()))),
            Ok(None) | Err(_) => (None, None),
        };
        // A new row (or the end): the row so far is complete.
        if let Some(at) = line
            && pos.is_none_or(|(r, _)| r != at)
        {
            let cells = std::mem::take(&mut row);
            match &map {
                None => match column_map(&cells) {
                    Ok(m) => {
                        map = Some(m);
                        headed.set(true);
                        if head.send(Ok(())).is_err() {
                            return;
                        }
                    }
                    Err(m) => {
                        let _ = head.send(Err(m));
                        return;
                    }
                },
                Some(m) => {
                    if let Some(r) = row_of(at as usize + 1, &cells, m)
                        && tx.send(r).is_err()
                    {
                        return; // the import stopped reading
                    }
                }
            }
        }
        match (next, pos, value) {
            (Ok(Some(_)), Some((r, c)), Some(v)) => {
                line = Some(r);
                let c = c as usize;
                // Cells past a sane width are no column of ours.
                if c < 256 {
                    if row.len() <= c {
                        row.resize(c + 1, String::new());
                    }
                    row[c] = cell_text(&v);
                }
            }
            (Err(_), ..) => {
                if map.is_none() {
                    let _ = head.send(Err(Msg::new("无法读取XLSX工作表", "cannot read the XLSX sheet")));
                } else {
                    let at = line.map_or(0, |l| l as usize + 2);
                    let _ = tx.send((at, Err(("file".into(), Msg::new("此行无法解析", "this line cannot be parsed")))));
                }
                return;
            }
            _ => {
                if map.is_none() {
                    let _ = head.send(Err(Msg::new("文件为空", "the file is empty")));
                }
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::residents_file::xlsx_from_cells;

    #[test]
    fn a_workbook_streams_its_rows_numbered_as_the_sheet_shows_them() {
        let good = rules::gb11643::compose("340705", time::macros::date!(1980 - 01 - 01), 21);
        let rows =
            [vec!["张三".into(), good.clone()], vec![], vec!["李四".into(), "123".into()], vec!["王五".into(), good]];
        let bytes = xlsx_from_cells(&["姓名", "身份证号"], &rows).unwrap();
        let got: Vec<_> = super::rows(bytes).unwrap().collect();
        let lines: Vec<usize> = got.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 4, 5]);
        assert!(got[0].1.is_ok() && got[1].1.is_err() && got[2].1.is_ok());
    }

    #[test]
    fn a_workbook_without_the_required_columns_or_not_a_workbook_is_refused_at_once() {
        let bytes = xlsx_from_cells(&["姓名", "电话"], &[vec!["张三".into(), "1".into()]]).unwrap();
        assert!(super::rows(bytes).is_err());
        assert!(super::rows(b"PK\x03\x04 not a zip".to_vec()).is_err());
        assert!(super::rows(xlsx_from_cells(&[], &[]).unwrap()).is_err());
    }
}
