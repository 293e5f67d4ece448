//! Server-rendered SVG bar charts: they print, need no JavaScript and can be
//! read by a screen reader through their table fallback.

use maud::{Markup, html};

/// Horizontal bars, one per (label, value); each bar may have two stacked parts.
pub fn bars(title: &str, rows: &[(String, i64, i64)], legend: (&str, &str)) -> Markup {
    let max = rows.iter().map(|r| r.1 + r.2).max().unwrap_or(0).max(1);
    let row_h = 26;
    let label_w = 190;
    let bar_w = 420;
    let height = rows.len() as i64 * row_h + 30;
    html! {
        figure.card style="margin:0 0 1rem" {
            figcaption { strong { (title) } " "
                @if !legend.0.is_empty() { span.tag style="background:#1e7b34;color:#fff" { (legend.0) } " " }
                @if !legend.1.is_empty() { span.tag style="background:#b3261e;color:#fff" { (legend.1) } } }
            @if rows.is_empty() { p.muted { "—" } } @else {
                svg viewBox={"0 0 " (label_w + bar_w + 60) " " (height)} width="100%" role="img" aria-label=(title) style="max-width:680px" {
                    @for (i, (label, a, b)) in rows.iter().enumerate() {
                        @let y = i as i64 * row_h + 6;
                        @let wa = a * bar_w / max;
                        @let wb = b * bar_w / max;
                        text x=(label_w - 6) y=(y + 15) text-anchor="end" font-size="13" fill="#1d2329" { (label) }
                        rect x=(label_w) y=(y) width=(wa) height="18" fill="#1e7b34" {}
                        rect x=(label_w + wa) y=(y) width=(wb) height="18" fill="#b3261e" {}
                        text x=(label_w + wa + wb + 6) y=(y + 15) font-size="13" fill="#5c6670" { (a + b) }
                    }
                }
            }
        }
    }
}

/// One month's column: its label, two stacked counts, and an optional share (0–100) drawn as a line.
pub struct Month {
    pub label: String,
    pub a: i64,
    pub b: i64,
    pub share: Option<i64>,
}

/// Columns over time (oldest left), two stacked parts per month, an optional line of a share in
/// percent on its own 0–100 % scale, and dashed markers at months where something took effect
/// (`markers`: the month's index and its label). Drawn to fit its box, so it never widens a page.
pub fn months(title: &str, rows: &[Month], legend: (&str, &str, &str), markers: &[(usize, String)]) -> Markup {
    let max = rows.iter().map(|r| r.a + r.b).max().unwrap_or(0).max(1);
    // A fixed drawing width: the columns share it, and every label keeps ~40 units to itself.
    let (left, right, top, plot_h, width) = (34_i64, 40_i64, 30_i64, 150_i64, 480_i64);
    let n = rows.len().max(1) as i64;
    let col = ((width - left - right) / n).clamp(4, 60);
    let every = (40 + col - 1) / col;
    let bar = (col * 3 / 4).max(2);
    let height = top + plot_h + 24;
    let y = |v: i64| top + plot_h - v * plot_h / max;
    let share_y = |p: i64| top + plot_h - p * plot_h / 100;
    let line: Vec<String> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.share.map(|p| format!("{},{}", left + i as i64 * col + col / 2, share_y(p))))
        .collect();
    html! {
        figure.card.chart style="margin:0 0 1rem" {
            figcaption { strong { (title) } " "
                span.tag style="background:#1e7b34;color:#fff" { (legend.0) } " "
                @if !legend.1.is_empty() { span.tag style="background:#b3261e;color:#fff" { (legend.1) } " " }
                @if !legend.2.is_empty() { span.tag style="background:#fff;color:#0b57d0;border:1px solid #0b57d0" { (legend.2) } } }
            @if rows.is_empty() { p.muted { "—" } } @else {
                svg viewBox={"0 0 " (width) " " (height)} width="100%" role="img" aria-label=(title) style={"max-width:" (width) "px"} {
                    line x1=(left) y1=(top + plot_h) x2=(left + col * n) y2=(top + plot_h) stroke="#aab3bc" {}
                    text x=(left - 4) y=(top + 4) text-anchor="end" font-size="11" fill="#5c6670" { (max) }
                    text x=(left - 4) y=(top + plot_h) text-anchor="end" font-size="11" fill="#5c6670" { "0" }
                    @for (i, r) in rows.iter().enumerate() {
                        @let x = left + i as i64 * col + (col - bar) / 2;
                        rect x=(x) y=(y(r.a)) width=(bar) height=(top + plot_h - y(r.a)) fill="#1e7b34" {}
                        rect x=(x) y=(y(r.a + r.b)) width=(bar) height=(y(r.a) - y(r.a + r.b)) fill="#b3261e" {}
                        @if i as i64 % every == 0 {
                            text x=(left + i as i64 * col + col / 2) y=(top + plot_h + 14) text-anchor="middle" font-size="10" fill="#5c6670" { (r.label.get(2..).unwrap_or(&r.label)) }
                        }
                    }
                    @if line.len() > 1 { polyline points=(line.join(" ")) fill="none" stroke="#0b57d0" stroke-width="2" {} }
                    @for p in &line { @let (cx, cy) = p.split_once(',').unwrap_or(("0", "0")); circle cx=(cx) cy=(cy) r="3" fill="#0b57d0" {} }
                    @if !line.is_empty() {
                        text x=(left + col * n + 4) y=(top + 4) font-size="11" fill="#0b57d0" { "100%" }
                        text x=(left + col * n + 4) y=(top + plot_h) font-size="11" fill="#0b57d0" { "0%" }
                    }
                    @for (k, (i, label)) in markers.iter().enumerate() {
                        @let x = left + *i as i64 * col;
                        line x1=(x) y1=(top - 20 + (k as i64 % 2) * 11) x2=(x) y2=(top + plot_h) stroke="#1d2329" stroke-dasharray="4 3" {}
                        @let end = x > width - 110;
                        text x=(if end { x - 3 } else { x + 3 }) y=(top - 12 + (k as i64 % 2) * 11) text-anchor=(if end { "end" } else { "start" }) font-size="10" fill="#1d2329" { (label) }
                    }
                }
            }
        }
    }
}

/// One panel of [`years`]: its name, a value per year (`None`: nothing to measure that year), and
/// whether the values are percents (drawn on a 0–100 % scale).
pub struct Series<'a> {
    pub name: &'a str,
    pub values: Vec<Option<i64>>,
    pub percent: bool,
}

/// Small panels over years (oldest left), one per series, each on its own scale from 0, with a
/// dashed line at the `mark` year and its label. Drawn to fit its box, so it never widens a page.
pub fn years(title: &str, years: &[i32], series: &[Series], mark: Option<(i32, &str)>) -> Markup {
    let (width, pw, ph) = (480_i64, 240_i64, 104_i64);
    let rows = (series.len() as i64 + 1) / 2;
    let n = years.len().max(1) as i64;
    let (x0, plot_w, plot_top, plot_h) = (10_i64, 200_i64, 30_i64, 52_i64);
    let x = |i: usize| x0 + if n > 1 { i as i64 * plot_w / (n - 1) } else { plot_w / 2 };
    html! {
        figure.card.chart style="margin:0 0 1rem" {
            figcaption { strong { (title) } }
            @if years.is_empty() { p.muted { "—" } } @else {
                svg viewBox={"0 0 " (width) " " (rows * ph)} width="100%" role="img" aria-label=(title) style={"max-width:" (width) "px"} {
                    @for (k, s) in series.iter().enumerate() {
                        @let (ox, oy) = ((k as i64 % 2) * pw, (k as i64 / 2) * ph);
                        @let max = if s.percent { 100 } else { s.values.iter().flatten().copied().max().unwrap_or(0).max(1) };
                        @let y = |v: i64| oy + plot_top + plot_h - v.clamp(0, max) * plot_h / max;
                        @let pts: Vec<String> = s.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| format!("{},{}", ox + x(i), y(v)))).collect();
                        text x=(ox + x0) y=(oy + 16) font-size="12" fill="#1d2329" { (s.name) }
                        // The scale's top above the plot's right end, inside the panel however long the number.
                        text x=(ox + pw - 6) y=(oy + plot_top - 4) text-anchor="end" font-size="10" fill="#5c6670" { (max) @if s.percent { "%" } }
                        text x=(ox + x0 + plot_w + 4) y=(oy + plot_top + plot_h) font-size="10" fill="#5c6670" { "0" }
                        line x1=(ox + x0) y1=(oy + plot_top + plot_h) x2=(ox + x0 + plot_w) y2=(oy + plot_top + plot_h) stroke="#aab3bc" {}
                        @if let Some((year, label)) = mark { @if let Some(i) = years.iter().position(|y| *y == year) {
                            line x1=(ox + x(i)) y1=(oy + plot_top - 6) x2=(ox + x(i)) y2=(oy + plot_top + plot_h) stroke="#1d2329" stroke-dasharray="4 3" {}
                            text x=(ox + x(i) + 3) y=(oy + plot_top - 1) font-size="9" fill="#1d2329" { (label) }
                        } }
                        @if pts.len() > 1 { polyline points=(pts.join(" ")) fill="none" stroke="#0b57d0" stroke-width="2" {} }
                        @for p in &pts { @let (cx, cy) = p.split_once(',').unwrap_or(("0", "0")); circle cx=(cx) cy=(cy) r="2.5" fill="#0b57d0" {} }
                        text x=(ox + x0) y=(oy + plot_top + plot_h + 13) font-size="10" fill="#5c6670" { (years[0]) }
                        text x=(ox + x0 + plot_w) y=(oy + plot_top + plot_h + 13) text-anchor="end" font-size="10" fill="#5c6670" { (years[years.len() - 1]) }
                    }
                }
            }
        }
    }
}
