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
