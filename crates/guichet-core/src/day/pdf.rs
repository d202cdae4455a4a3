//! A report as a PDF (A4), laid out by the same lines as the printed report ([`super::render`])
//! at [`COLUMNS`] columns in Courier, one of the PDF standard fonts every reader has: no font
//! file is embedded. Text is written in WinAnsiEncoding (French accents, « », n°); a character
//! outside it prints as `?`.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::render;
use super::report::{ReportKind, ShiftReport};
use crate::receipt::{Align, ReceiptLine};
use crate::text::Language;

/// Characters per line on the page.
pub const COLUMNS: usize = 72;
/// Lines per page.
pub const LINES_PER_PAGE: usize = 60;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const FONT_SIZE: f32 = 10.0;
const LEADING: f32 = 12.0;
const TOP: f32 = 790.0;
// Courier's advance is 600/1000 of the size: 72 columns take 432 pt, centred on A4.
const LEFT: f32 = (PAGE_W - COLUMNS as f32 * FONT_SIZE * 0.6) / 2.0;

/// The report as PDF bytes, under the shop's name, in `lang`.
pub fn to_pdf(report: &ShiftReport, shop_name: &str, lang: Language) -> Vec<u8> {
    let lines = render::lines(report, shop_name, COLUMNS, lang);
    let pages: Vec<&[ReceiptLine]> = lines.chunks(LINES_PER_PAGE).collect();
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first + 2 * i32::try_from(i).unwrap_or(i32::MAX / 4)))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    for (id, base) in [(regular, &b"Courier"[..]), (bold, &b"Courier-Bold"[..])] {
        pdf.type1_font(id)
            .base_font(Name(base))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let title = title(report, lang);
    pdf.document_info(info)
        .title(TextStr(&title))
        .creator(TextStr("Guichet"));
    let total = pages.len();
    for (i, (chunk, id)) in pages.iter().zip(&page_ids).enumerate() {
        let content_id = Ref::new(id.get() + 1);
        let mut page = pdf.page(*id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(content_id);
        {
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            fonts.pair(Name(b"F1"), regular);
            fonts.pair(Name(b"F2"), bold);
        }
        page.finish();
        let footer = match lang {
            Language::Fr => format!("{title} - page {}/{total}", i + 1),
            Language::En => format!("{title} - page {} of {total}", i + 1),
        };
        let body = page_content(chunk, &footer);
        pdf.stream(content_id, &body);
    }
    pdf.finish()
}

/// The file name a report is saved under: `rapport-z-0003.pdf`, `rapport-jour-2026-12-06.pdf`,
/// `rapport-x-caisse-4-20261206-1912.pdf` (an X changes: its time is in the name).
pub fn file_name(report: &ShiftReport) -> String {
    match report.kind {
        ReportKind::Z => format!("rapport-z-{:04}.pdf", report.z_number.unwrap_or_default()),
        ReportKind::Day => format!(
            "rapport-jour-{}.pdf",
            report
                .day
                .unwrap_or_else(|| report.generated_at.date_naive())
                .format("%Y-%m-%d")
        ),
        ReportKind::X => format!(
            "rapport-x-caisse-{}-{}.pdf",
            report.shifts.first().map_or(0, |s| s.id),
            report.generated_at.format("%Y%m%d-%H%M%S")
        ),
    }
}

fn title(report: &ShiftReport, lang: Language) -> String {
    let fr = lang == Language::Fr;
    match report.kind {
        ReportKind::X => if fr { "Rapport X" } else { "X report" }.to_owned(),
        ReportKind::Z => format!(
            "{} {}",
            if fr { "Rapport Z n°" } else { "Z report no." },
            report.z_number.unwrap_or_default()
        ),
        ReportKind::Day => format!(
            "{} {}",
            if fr { "Rapport du jour" } else { "Day report" },
            report
                .day
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default()
        ),
    }
}

fn page_content(lines: &[ReceiptLine], footer: &str) -> Vec<u8> {
    let mut c = Content::new();
    let mut y = TOP;
    for line in lines {
        let cols = line.text.chars().count();
        let pad = match line.align {
            Align::Left => 0,
            Align::Center => COLUMNS.saturating_sub(cols) / 2,
            Align::Right => COLUMNS.saturating_sub(cols),
        };
        let x = LEFT + pad as f32 * FONT_SIZE * 0.6;
        let font = if line.bold { &b"F2"[..] } else { &b"F1"[..] };
        c.begin_text();
        c.set_font(Name(font), FONT_SIZE);
        c.next_line(x, y);
        c.show(Str(&win_ansi(&line.text)));
        c.end_text();
        y -= LEADING;
    }
    c.begin_text();
    c.set_font(Name(b"F1"), 8.0);
    c.next_line(LEFT, 40.0);
    c.show(Str(&win_ansi(footer)));
    c.end_text();
    c.finish().to_vec()
}

/// `text` in WinAnsiEncoding (Windows-1252): Latin-1 as is, the few typographic characters
/// it has at 0x80–0x9F, thin and non-breaking spaces as spaces, anything else as `?`.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{202F}' | '\u{2009}' | '\u{2007}' => b' ',
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) => {
                u8::try_from(u32::from(c)).unwrap_or(b'?')
            }
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn french_text_is_written_in_win_ansi_and_the_rest_as_a_question_mark() {
        assert_eq!(win_ansi("Écart n°"), b"\xC9cart n\xB0");
        assert_eq!(win_ansi("« 1\u{202F}000 »"), b"\xAB 1 000 \xBB");
        assert_eq!(win_ansi("€ – ✓"), b"\x80 \x96 ?");
    }

    #[test]
    fn each_report_has_a_file_name_a_shop_recognises() {
        let at = Utc.with_ymd_and_hms(2026, 12, 6, 19, 12, 5).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let mut r = ShiftReport::sum(day, &[], at);
        assert_eq!(file_name(&r), "rapport-jour-2026-12-06.pdf");
        r.kind = ReportKind::Z;
        r.z_number = Some(3);
        assert_eq!(file_name(&r), "rapport-z-0003.pdf");
        r.kind = ReportKind::X;
        assert_eq!(file_name(&r), "rapport-x-caisse-0-20261206-191205.pdf");
        let bytes = to_pdf(&r, "Boutique", Language::Fr);
        assert!(bytes.starts_with(b"%PDF-"));
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
    }
}
