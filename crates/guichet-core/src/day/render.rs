//! A report laid out for the thermal printer (the receipt's model: 32 or 48 columns, printed
//! by the same ESC/POS path), for the PDF page ([`super::pdf`], wider) and as CSV for a
//! spreadsheet.

use chrono::{DateTime, Utc};

use super::float::FloatLine;
use super::report::{Line, OpLine, ReportKind, ShiftReport, Tally};
use super::settled::SettledLine;
use super::shift::Direction;
use crate::receipt::layout;
use crate::receipt::{money, Align, PaperWidth, Receipt, ReceiptLine, TextSize};
use crate::text::Language;

/// Lays `report` out for `width`, in `lang`, under the shop's name.
pub fn to_receipt(
    report: &ShiftReport,
    shop_name: &str,
    width: PaperWidth,
    lang: Language,
) -> Receipt {
    Receipt {
        width,
        lines: lines(report, shop_name, width.columns(), lang),
    }
}

/// The report's lines at `cols` columns (the paper's, or the PDF page's).
pub(crate) fn lines(
    report: &ShiftReport,
    shop_name: &str,
    cols: usize,
    lang: Language,
) -> Vec<ReceiptLine> {
    let mut b = Lines {
        cols,
        lines: Vec::new(),
        lang,
        currency: report.currency.clone(),
    };
    b.build(report, shop_name);
    b.lines
}

struct Lines {
    cols: usize,
    lines: Vec<ReceiptLine>,
    lang: Language,
    currency: String,
}

fn date(t: DateTime<Utc>) -> String {
    // Dakar is UTC all year.
    t.format("%d/%m/%Y %H:%M").to_string()
}

impl Lines {
    fn t<'a>(&self, fr: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Language::Fr => fr,
            Language::En => en,
        }
    }

    fn money(&self, minor: i64) -> String {
        money(minor, &self.currency, self.lang)
    }

    fn push(&mut self, text: String, align: Align, bold: bool) {
        self.lines.push(ReceiptLine {
            text,
            align,
            bold,
            size: TextSize::Normal,
        });
    }

    fn para(&mut self, text: &str, align: Align, bold: bool) {
        for line in layout::wrap(text, self.cols) {
            self.push(line, align, bold);
        }
    }

    fn rule(&mut self) {
        self.push("-".repeat(self.cols), Align::Left, false);
    }

    fn heading(&mut self, text: &str) {
        self.rule();
        self.para(&text.to_uppercase(), Align::Left, true);
    }

    /// `label ........ value` on one line when it fits, else the label then the value right.
    fn pair(&mut self, label: &str, value: &str, bold: bool) {
        for line in layout::pair(label, value, self.cols) {
            self.push(line, Align::Left, bold);
        }
    }

    fn line(&mut self, l: &Line) {
        let label = format!("{} x{}", l.label.get(self.lang), l.count);
        let amount = self.money(l.amount_minor);
        self.pair(&label, &amount, false);
    }

    fn tally(&mut self, label: &str, t: Tally) {
        let value = format!("{} / {}", t.count, self.money(t.amount_minor));
        self.pair(label, &value, false);
    }

    fn op(&mut self, o: &OpLine) {
        let label = format!("{} {}", o.created_at.format("%H:%M"), o.service_code);
        let amount = self.money(o.amount_minor);
        self.pair(&label, &amount, false);
        let status = o.status.label();
        let status = status.get(self.lang).to_owned();
        self.para(
            &format!("  {status} - {}", o.operator_name),
            Align::Left,
            false,
        );
    }

    fn settled(&mut self, l: &SettledLine) {
        let o = &l.operation;
        let label = format!("{} {}", o.created_at.format("%d/%m %H:%M"), o.service_code);
        let amount = self.money(o.amount_minor);
        self.pair(&label, &amount, false);
        let status = o.status.label().get(self.lang).to_owned();
        let text = format!(
            "  {status} - {} {} - {}",
            self.t("caisse n°", "shift no."),
            l.shift_id,
            o.operator_name
        );
        let cash = self.signed(l.cash_minor);
        self.pair(&text, &cash, false);
    }

    fn signed(&self, minor: i64) -> String {
        match minor {
            0 => self.money(0),
            m if m > 0 => format!("+{}", self.money(m)),
            m => format!("-{}", self.money(-m)),
        }
    }

    /// A balance, or why there is none: never a made-up figure.
    fn balance(&self, api: bool, amount: Option<i64>, error: Option<&str>) -> String {
        match (api, amount, error) {
            (false, _, _) => self.t("non communiqué", "not provided").to_owned(),
            (_, Some(a), _) => self.money(a),
            (_, None, Some(code)) => format!("{} ({code})", self.t("non lu", "not read")),
            (_, None, None) => self.t("non relevé", "not read").to_owned(),
        }
    }

    fn float(&mut self, f: &FloatLine, kind: ReportKind) {
        self.para(&f.name, Align::Left, true);
        if !f.balance_api {
            let text = self.t(
                "Solde non communiqué par ce fournisseur (pas de consultation du solde)",
                "Balance not provided by this provider (no balance endpoint)",
            );
            self.para(text, Align::Left, false);
            let moved = self.signed(f.moved_minor);
            self.pair(
                self.t("Opérations réussies", "Successful operations"),
                &moved,
                false,
            );
            return;
        }
        let open = self.balance(f.balance_api, f.opening_minor, f.opening_error.as_deref());
        self.pair(self.t("Ouverture", "Opening"), &open, false);
        let moved = self.signed(f.moved_minor);
        self.pair(
            self.t("Opérations réussies", "Successful operations"),
            &moved,
            false,
        );
        let close = self.balance(f.balance_api, f.closing_minor, f.closing_error.as_deref());
        let label = match kind {
            ReportKind::X => self.t("Dernier relevé", "Last reading"),
            _ => self.t("Clôture", "Closing"),
        };
        self.pair(label, &close, false);
        let diff = match f.difference_minor {
            Some(d) => self.signed(d),
            None => self.t("non calculable", "cannot be computed").to_owned(),
        };
        self.pair(self.t("Écart inexpliqué", "Unexplained"), &diff, true);
        if f.pending_count > 0 {
            let text = format!(
                "  {} {}",
                f.pending_count,
                self.t(
                    "opération(s) en attente non comptée(s)",
                    "pending operation(s) not counted"
                )
            );
            self.para(&text, Align::Left, false);
        }
    }

    fn build(&mut self, r: &ShiftReport, shop_name: &str) {
        let title = match r.kind {
            ReportKind::X => self.t("RAPPORT X", "X REPORT").to_owned(),
            ReportKind::Z => format!(
                "{} {}",
                self.t("RAPPORT Z n°", "Z REPORT no."),
                r.z_number.unwrap_or_default()
            ),
            ReportKind::Day => self.t("RAPPORT DU JOUR", "DAY REPORT").to_owned(),
        };
        self.para(shop_name, Align::Center, true);
        self.para(&title, Align::Center, true);
        if let Some(day) = r.day {
            self.para(&day.format("%d/%m/%Y").to_string(), Align::Center, false);
        }
        self.para(
            &format!("{} {}", self.t("Édité le", "Printed"), date(r.generated_at)),
            Align::Center,
            false,
        );
        if r.training_count > 0 {
            let mark = format!("{} ({})", self.t("FORMATION", "TRAINING"), r.training_count);
            self.para(&mark, Align::Center, true);
        }
        for s in &r.shifts {
            self.rule();
            let head = format!(
                "{} {} - {}",
                self.t("Caisse n°", "Shift no."),
                s.id,
                s.opened_by
            );
            self.para(&head, Align::Left, true);
            let opened = date(s.opened_at);
            self.pair(self.t("Ouverte", "Opened"), &opened, false);
            if let (Some(at), Some(by)) = (s.closed_at, &s.closed_by) {
                let closed = format!("{} ({by})", date(at));
                self.pair(self.t("Fermée", "Closed"), &closed, false);
            }
            if let Some(n) = s.z_number {
                self.pair(
                    self.t("Rapport Z n°", "Z report no."),
                    &n.to_string(),
                    false,
                );
            }
            if let (Some(by), Some(note)) = (&s.approved_by, &s.approval_note) {
                let text = format!(
                    "{} {by} : {note}",
                    self.t("Écart validé par", "Difference approved by")
                );
                self.para(&text, Align::Left, false);
            }
        }
        let sections: [(&str, &str, &[Line]); 3] = [
            ("Par type", "By kind", &r.by_kind),
            ("Par service", "By service", &r.by_service),
            ("Par fournisseur", "By provider", &r.by_provider),
        ];
        for (fr, en, lines) in sections {
            let h = self.t(fr, en).to_owned();
            self.heading(&h);
            if lines.is_empty() {
                let none = self.t("Aucune opération réussie", "No successful operation");
                self.para(none, Align::Left, false);
            }
            for l in lines {
                self.line(l);
            }
        }
        let h = self.t("Totaux", "Totals").to_owned();
        self.heading(&h);
        let t = &r.totals;
        self.pair(
            self.t("Opérations réussies", "Successful operations"),
            &t.count.to_string(),
            false,
        );
        let v = self.money(t.amount_minor);
        self.pair(self.t("Montant", "Amount"), &v, true);
        let v = self.money(t.fee_minor);
        self.pair(self.t("Frais", "Fees"), &v, false);
        let v = self.money(t.commission_minor);
        self.pair(
            self.t("Commission (catalogue)", "Commission (catalog)"),
            &v,
            false,
        );
        let v = self.money(t.provider_commission_minor);
        self.pair(
            self.t("Commission (fournisseur)", "Commission (provider)"),
            &v,
            false,
        );
        self.tally(
            self.t("Échouées / annulées", "Failed / cancelled"),
            r.failed,
        );
        self.tally(self.t("Dont remboursées", "Of which refunded"), r.refunded);

        let h = format!("{} ({})", self.t("En attente", "Pending"), r.pending.len());
        self.heading(&h);
        for o in &r.pending {
            self.op(o);
        }
        let h = format!(
            "{} ({})",
            self.t("À vérifier", "To review"),
            r.to_review.len()
        );
        self.heading(&h);
        for o in &r.to_review {
            self.op(o);
        }
        if !r.settled_since.is_empty() {
            let h = format!(
                "{} ({})",
                self.t("Réglées depuis le dernier Z", "Settled since the last Z"),
                r.settled_since.len()
            );
            self.heading(&h);
            for l in &r.settled_since {
                self.settled(l);
            }
            let v = self.signed(r.cash.settled_since_minor);
            self.pair(self.t("Effet sur la caisse", "Cash effect"), &v, true);
        }
        let h = self.t("Mouvements de caisse", "Cash movements").to_owned();
        self.heading(&h);
        for m in &r.movements {
            let sign = match m.direction {
                Direction::In => "+",
                Direction::Out => "-",
            };
            let label = format!("{} {}", m.at.format("%H:%M"), m.reason);
            let amount = format!("{sign}{}", self.money(m.amount_minor));
            self.pair(&label, &amount, false);
        }
        let h = self.t("Caisse", "Cash drawer").to_owned();
        self.heading(&h);
        let c = r.cash;
        let rows = [
            (
                self.t("Fond de caisse", "Opening float"),
                c.opening_float_minor,
                false,
            ),
            (
                self.t("Encaissé (ventes)", "Cash in (sales)"),
                c.sales_in_minor,
                false,
            ),
            (
                self.t("Décaissé (retraits)", "Cash out (cash-outs)"),
                -c.sales_out_minor,
                false,
            ),
            (
                self.t("Réglées depuis le dernier Z", "Settled since the last Z"),
                c.settled_since_minor,
                false,
            ),
            (self.t("Entrées", "Paid in"), c.movements_in_minor, false),
            (self.t("Sorties", "Paid out"), -c.movements_out_minor, false),
            (self.t("Attendu", "Expected"), c.expected_minor, true),
        ];
        for (i, (label, v, bold)) in rows.into_iter().enumerate() {
            // The settled-since line only when there is something to explain.
            if i == 3 && r.settled_since.is_empty() {
                continue;
            }
            let v = self.money(v);
            self.pair(label, &v, bold);
        }
        if let Some(n) = c.counted_minor {
            let v = self.money(n);
            self.pair(self.t("Compté", "Counted"), &v, true);
        }
        if let Some(d) = c.difference_minor {
            let v = self.money(d);
            self.pair(self.t("Écart", "Difference"), &v, true);
        }
        if !r.floats.is_empty() {
            let h = self
                .t("Float des fournisseurs", "Provider float")
                .to_owned();
            self.heading(&h);
            for f in &r.floats {
                self.float(f, r.kind);
            }
        }
        self.rule();
    }
}

/// The report as CSV: one row per breakdown line, operation listed apart, cash movement and
/// drawer figure, with a `section` column saying which (`by_kind`, `pending`, `settled_since`,
/// `float`, `cash`…). A `float` row is `provider.figure` with the provider's pending operations
/// in `count`; a balance that is missing has an empty amount and why in `status`
/// (`not_provided`, `not_read` or the read's error code).
pub fn to_csv(report: &ShiftReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let head = [
        "section",
        "key",
        "label",
        "count",
        "amount_minor",
        "fee_minor",
        "cash_minor",
        "commission_minor",
        "provider_commission_minor",
        "status",
        "at",
    ];
    let mut rows: Vec<[String; 11]> = Vec::new();
    let line = |section: &str, l: &Line| {
        [
            section.to_owned(),
            l.key.clone(),
            l.label.fr.clone(),
            l.count.to_string(),
            l.amount_minor.to_string(),
            l.fee_minor.to_string(),
            l.cash_minor.to_string(),
            l.commission_minor.to_string(),
            l.provider_commission_minor.to_string(),
            String::new(),
            String::new(),
        ]
    };
    for (section, lines) in [
        ("by_kind", &report.by_kind),
        ("by_service", &report.by_service),
        ("by_provider", &report.by_provider),
    ] {
        rows.extend(lines.iter().map(|l| line(section, l)));
    }
    rows.push(line("total", &report.totals));
    let figure = |section: &str, key: &str, count: i64, amount: i64| {
        let mut row: [String; 11] = Default::default();
        row[0] = section.to_owned();
        row[1] = key.to_owned();
        row[3] = count.to_string();
        row[4] = amount.to_string();
        row
    };
    rows.push(figure(
        "failed",
        "failed",
        report.failed.count,
        report.failed.amount_minor,
    ));
    rows.push(figure(
        "failed",
        "refunded",
        report.refunded.count,
        report.refunded.amount_minor,
    ));
    for (section, list) in [
        ("pending", &report.pending),
        ("to_review", &report.to_review),
    ] {
        for o in list {
            let mut row = figure(section, &o.id.to_string(), 1, o.amount_minor);
            row[2] = o.service_code.clone();
            row[9] = o.status.as_str().to_owned();
            row[10] = o.created_at.to_rfc3339();
            rows.push(row);
        }
    }
    for m in &report.movements {
        let signed = match m.direction {
            Direction::In => m.amount_minor,
            Direction::Out => -m.amount_minor,
        };
        let mut row = figure("movement", &m.id.to_string(), 1, signed);
        row[2] = m.reason.clone();
        row[6] = signed.to_string();
        row[10] = m.at.to_rfc3339();
        rows.push(row);
    }
    for l in &report.settled_since {
        let o = &l.operation;
        let mut row = figure("settled_since", &o.id.to_string(), 1, o.amount_minor);
        row[2] = o.service_code.clone();
        row[6] = l.cash_minor.to_string();
        row[9] = o.status.as_str().to_owned();
        row[10] = l.settled_at.to_rfc3339();
        rows.push(row);
    }
    for f in &report.floats {
        // A missing balance is an empty cell, its reason in `status`.
        let why = |amount: Option<i64>, error: &Option<String>| match (f.balance_api, amount) {
            (false, _) => "not_provided".to_owned(),
            (_, Some(_)) => String::new(),
            (_, None) => error.clone().unwrap_or_else(|| "not_read".to_owned()),
        };
        for (key, v, status) in [
            (
                "opening_minor",
                f.opening_minor,
                why(f.opening_minor, &f.opening_error),
            ),
            ("moved_minor", Some(f.moved_minor), String::new()),
            (
                "closing_minor",
                f.closing_minor,
                why(f.closing_minor, &f.closing_error),
            ),
            ("difference_minor", f.difference_minor, String::new()),
        ] {
            let mut row: [String; 11] = Default::default();
            row[0] = "float".to_owned();
            row[1] = format!("{}.{key}", f.provider);
            row[2] = f.name.clone();
            row[3] = f.pending_count.to_string();
            row[4] = v.map(|v| v.to_string()).unwrap_or_default();
            row[9] = status;
            rows.push(row);
        }
    }
    let c = report.cash;
    for (key, v) in [
        ("opening_float_minor", Some(c.opening_float_minor)),
        ("sales_in_minor", Some(c.sales_in_minor)),
        ("sales_out_minor", Some(c.sales_out_minor)),
        ("movements_in_minor", Some(c.movements_in_minor)),
        ("movements_out_minor", Some(c.movements_out_minor)),
        ("settled_since_minor", Some(c.settled_since_minor)),
        ("expected_minor", Some(c.expected_minor)),
        ("counted_minor", c.counted_minor),
        ("difference_minor", c.difference_minor),
    ] {
        if let Some(v) = v {
            let mut row = figure("cash", key, 0, v);
            row[3] = String::new();
            rows.push(row);
        }
    }
    // Writing to memory cannot fail; a failure would be a bug in the csv crate.
    w.write_record(head).expect("csv to memory");
    for row in rows {
        w.write_record(&row).expect("csv to memory");
    }
    String::from_utf8(w.into_inner().expect("csv to memory")).expect("csv is UTF-8")
}
