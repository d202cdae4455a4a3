//! Receipts, rendered from the ledger alone (an [`Operation`] and the till's settings), so a
//! reprint never needs the network.
//!
//! [`render`] lays an operation out for a paper width (58 mm = 32 columns, 80 mm = 48) into one
//! model, a [`Receipt`]: lines already wrapped to the width, each with its alignment, weight and
//! size. The same model becomes plain text ([`Receipt::to_text`]: the UI preview, tests,
//! `guichetctl receipt`) and ESC/POS bytes ([`crate::printer::escpos_bytes`]), so what the
//! cashier previews is what prints.
//!
//! Amounts use [`Money::format`] with [`Target::Receipt`] (ASCII spaces). Dates are printed in
//! Dakar time, which is UTC all year (`23/11/2026 14:05`).

pub(crate) mod layout;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::catalog::{Catalog, Kind};
use crate::engine::detail_keys::APP_VERSION;
use crate::ledger::{Operation, OperationStatus};
use crate::money::{Currency, Money, Target};
use crate::phone::{Country, Phone};
use crate::text::{Language, Localized};
use crate::version;

pub use layout::group_token;

/// The paper roll: it decides how many characters fit on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
pub enum PaperWidth {
    /// 58 mm roll: 32 columns (font A).
    #[serde(rename = "58mm")]
    Mm58,
    /// 80 mm roll: 48 columns (font A).
    #[default]
    #[serde(rename = "80mm")]
    Mm80,
}

impl PaperWidth {
    /// Characters per line at normal size.
    pub fn columns(self) -> usize {
        match self {
            PaperWidth::Mm58 => 32,
            PaperWidth::Mm80 => 48,
        }
    }

    /// The paper for a number of columns (32 or 48), as `guichetctl receipt --width` takes it.
    pub fn from_columns(columns: usize) -> Option<PaperWidth> {
        match columns {
            32 => Some(PaperWidth::Mm58),
            48 => Some(PaperWidth::Mm80),
            _ => None,
        }
    }
}

/// Where a line sits across the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Flush left (label/value lines are already padded to the full width).
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// How big a line prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum TextSize {
    /// Normal characters.
    #[default]
    Normal,
    /// Double height, normal width (totals: same number of columns).
    Tall,
    /// Double height and double width (the token, the FORMATION and DUPLICATA marks): half
    /// as many columns.
    Large,
}

impl TextSize {
    /// How many columns one character takes.
    pub fn width_factor(self) -> usize {
        match self {
            TextSize::Normal | TextSize::Tall => 1,
            TextSize::Large => 2,
        }
    }
}

/// One printed line. Its text never takes more than the receipt's width (text length ×
/// [`TextSize::width_factor`] ≤ columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceiptLine {
    /// The text, without control characters (may keep French accents and « »).
    pub text: String,
    /// Alignment.
    pub align: Align,
    /// Bold (ESC E).
    pub bold: bool,
    /// Character size (GS !).
    pub size: TextSize,
}

impl ReceiptLine {
    /// Columns the line takes at its size.
    pub fn columns(&self) -> usize {
        layout::columns(&self.text) * self.size.width_factor()
    }
}

/// A receipt laid out for one paper width.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Receipt {
    /// The paper it was laid out for.
    pub width: PaperWidth,
    /// The lines, top to bottom.
    pub lines: Vec<ReceiptLine>,
}

impl Receipt {
    /// Plain text, one `\n`-terminated line per receipt line, no line longer than the width
    /// (large lines are written at single width and centred as they print).
    pub fn to_text(&self) -> String {
        let cols = self.width.columns();
        let mut out = String::new();
        for line in &self.lines {
            let len = layout::columns(&line.text);
            let text = match line.align {
                Align::Left => line.text.clone(),
                Align::Center => {
                    let pad = cols.saturating_sub(len) / 2;
                    format!("{}{}", " ".repeat(pad), line.text)
                }
                Align::Right => layout::right(&line.text, cols),
            };
            out.push_str(text.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Which copy is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// The customer's copy: never shows the shop's commission.
    #[default]
    Customer,
    /// The shop's copy: shows the airtime commission when the ledger has it.
    Merchant,
}

/// The top of every receipt, from the till's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct ShopHeader {
    /// Shop name, printed first and in bold.
    pub name: String,
    /// Address, when set.
    pub address: Option<String>,
    /// Further header lines (phone, NINEA, RCCM…), in order.
    pub lines: Vec<String>,
}

/// How to print an operation: everything but the operation itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceiptOptions {
    /// The shop's header.
    pub shop: ShopHeader,
    /// Language of the labels.
    pub language: Language,
    /// Customer or merchant copy.
    pub copy: CopyKind,
    /// 0 for the original; N ≥ 1 prints « DUPLICATA n° N ».
    pub duplicate: u32,
    /// Paper width.
    pub width: PaperWidth,
}

/// Lays out the receipt of `op`. `service_name` is the catalog's name of `op.service_code`
/// (`Catalog::get(code).name`); without it the title falls back to the kind of operation.
pub fn render(op: &Operation, service_name: Option<&Localized>, opts: &ReceiptOptions) -> Receipt {
    Builder::new(opts).build(op, service_name)
}

/// [`render`] with the service's name looked up in `catalog`.
pub fn render_with_catalog(op: &Operation, catalog: &Catalog, opts: &ReceiptOptions) -> Receipt {
    render(op, catalog.get(&op.service_code).map(|s| &s.name), opts)
}

/// The kind of an operation from the name the ledger stores (the catalog's names, and the
/// engine's aliases `woyofal`, `cash_in`, `cash_out`).
pub fn kind_of(name: &str) -> Option<Kind> {
    Some(match name {
        "bill" => Kind::Bill,
        "prepaid" | "woyofal" => Kind::Prepaid,
        "airtime" => Kind::Airtime,
        "collection" | "cash_out" | "cashout" | "c2b" => Kind::Collection,
        "disbursement" | "cash_in" | "cashin" | "b2c" => Kind::Disbursement,
        "payment_link" => Kind::PaymentLink,
        _ => return None,
    })
}

/// The operation's title on the receipt (« Paiement facture Senelec », « Encaissement Wave
/// Sénégal »…).
pub fn title(kind: Option<Kind>, service_name: Option<&Localized>, lang: Language) -> String {
    let fr = lang == Language::Fr;
    let name = service_name.map(|n| n.get(lang).trim().to_string());
    match (kind, name) {
        (Some(Kind::Bill), Some(name)) => {
            if fr {
                match name.strip_prefix("Facture ") {
                    Some(rest) => format!("Paiement facture {rest}"),
                    None => format!("Paiement {name}"),
                }
            } else {
                format!("{name} payment")
            }
        }
        (Some(Kind::PaymentLink), _) => Kind::PaymentLink.label().get(lang).to_string(),
        (Some(Kind::Collection), Some(name)) => {
            let wallet = wallet_name(&name);
            if fr {
                format!("Encaissement {wallet}")
            } else {
                format!("Collection from {wallet}")
            }
        }
        (Some(Kind::Disbursement), Some(name)) => {
            let wallet = wallet_name(&name);
            if fr {
                format!("Paiement {wallet}")
            } else {
                format!("Payout to {wallet}")
            }
        }
        (Some(Kind::Prepaid | Kind::Airtime), Some(name)) => name,
        (Some(kind), None) => kind.label().get(lang).to_string(),
        (None, Some(name)) => name,
        (None, None) => if fr { "Opération" } else { "Operation" }.to_string(),
    }
}

/// « Wave Sénégal : retrait » → « Wave Sénégal »; « MTN Mobile Money Ghana (passerelle 704) »
/// → « MTN Mobile Money Ghana ».
fn wallet_name(name: &str) -> String {
    let mut s = name;
    for sep in [" : ", ": "] {
        if let Some((head, _)) = s.split_once(sep) {
            s = head;
        }
    }
    if let Some((head, _)) = s.split_once(" (") {
        s = head;
    }
    s.trim().to_string()
}

/// The status in words, as printed (« RÉUSSI », « À VÉRIFIER »…), and what it means for the
/// customer, when it needs saying.
pub fn status_words(status: OperationStatus) -> (Localized, Option<Localized>) {
    use OperationStatus::*;
    let l = Localized::new;
    match status {
        Success => (l("RÉUSSI", "SUCCESSFUL"), None),
        Prepared | Sent | Pending | Processing => (
            l("EN ATTENTE", "PENDING"),
            Some(l(
                "Opération en cours : le résultat n'est pas encore connu.",
                "In progress: the outcome is not known yet.",
            )),
        ),
        Failed => (
            l("ÉCHOUÉ", "FAILED"),
            Some(l(
                "Opération non effectuée.",
                "The operation did not go through.",
            )),
        ),
        Cancelled => (
            l("ANNULÉ", "CANCELLED"),
            Some(l("Opération annulée.", "The operation was cancelled.")),
        ),
        Expired => (
            l("EXPIRÉ", "EXPIRED"),
            Some(l("Lien expiré sans paiement.", "The link expired unpaid.")),
        ),
        Unknown | NeedsReview => (
            l("À VÉRIFIER", "TO BE CHECKED"),
            Some(l(
                "Ne pas refaire l'opération : vérification en cours.",
                "Do not redo the operation: it is being checked.",
            )),
        ),
    }
}

/// Formats an amount for the receipt, even in a currency Guichet does not know.
pub(crate) fn money(minor: i64, currency: &str, lang: Language) -> String {
    match Currency::from_code(currency) {
        Some(c) => Money::new(minor, c).format(lang, Target::Receipt),
        None => format!("{minor} {currency}"),
    }
}

/// A phone number as people read it: national layout at home, international abroad.
fn readable_phone(raw: &str, country: &str) -> String {
    let Some(country) = Country::from_code(country) else {
        return raw.to_string();
    };
    match Phone::parse(raw, country) {
        Ok(p) if country == Country::Sn => p.display_national(),
        Ok(p) => p.display(),
        Err(_) => raw.to_string(),
    }
}

/// A whole number stored in the details (a JSON integer or a string of digits).
fn detail_i64(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-empty text stored in the details.
fn detail_str(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

struct Builder<'a> {
    opts: &'a ReceiptOptions,
    cols: usize,
    lang: Language,
    lines: Vec<ReceiptLine>,
}

impl<'a> Builder<'a> {
    fn new(opts: &'a ReceiptOptions) -> Self {
        Self {
            opts,
            cols: opts.width.columns(),
            lang: opts.language,
            lines: Vec::new(),
        }
    }

    fn t(&self, fr: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Language::Fr => fr,
            Language::En => en,
        }
    }

    fn push(&mut self, text: String, align: Align, bold: bool, size: TextSize) {
        self.lines.push(ReceiptLine {
            text,
            align,
            bold,
            size,
        });
    }

    /// A paragraph, wrapped to the width available at its size.
    fn para(&mut self, text: &str, align: Align, bold: bool, size: TextSize) {
        let width = self.cols / size.width_factor();
        for line in layout::wrap(text, width) {
            self.push(line, align, bold, size);
        }
    }

    fn blank(&mut self) {
        self.push(String::new(), Align::Left, false, TextSize::Normal);
    }

    fn rule(&mut self, c: char) {
        self.push(
            c.to_string().repeat(self.cols),
            Align::Left,
            false,
            TextSize::Normal,
        );
    }

    /// `Label            value` on one line when it fits; otherwise the label, then the value
    /// right-aligned on as many lines as it needs.
    fn pair(&mut self, label: &str, value: &str, bold: bool, size: TextSize) {
        for line in layout::pair(label, value, self.cols) {
            self.push(line, Align::Left, bold, size);
        }
    }

    fn training_mark(&mut self) {
        self.rule('*');
        let big = self.t("FORMATION", "TRAINING");
        self.para(big, Align::Center, true, TextSize::Large);
        let sentence = self.t("FORMATION — aucun argent réel", "TRAINING — no real money");
        self.para(sentence, Align::Center, true, TextSize::Normal);
        self.rule('*');
    }

    fn build(mut self, op: &Operation, service_name: Option<&Localized>) -> Receipt {
        let lang = self.lang;
        let opts = self.opts;
        let kind = kind_of(&op.kind);

        if op.training {
            self.training_mark();
        }
        if opts.duplicate > 0 {
            let dup = match lang {
                Language::Fr => format!("DUPLICATA n° {}", opts.duplicate),
                Language::En => format!("DUPLICATE no. {}", opts.duplicate),
            };
            self.para(&dup, Align::Center, true, TextSize::Large);
        }

        // Shop header.
        let shop = &opts.shop;
        if !shop.name.trim().is_empty() {
            self.para(&shop.name, Align::Center, true, TextSize::Tall);
        }
        if let Some(address) = shop.address.as_deref().filter(|a| !a.trim().is_empty()) {
            self.para(address, Align::Center, false, TextSize::Normal);
        }
        for line in &shop.lines {
            self.para(line, Align::Center, false, TextSize::Normal);
        }
        self.rule('=');

        // What was done.
        let title = title(kind, service_name, lang);
        self.para(&title, Align::Center, true, TextSize::Tall);
        let copy = match opts.copy {
            CopyKind::Customer => self.t("Copie client", "Customer copy"),
            CopyKind::Merchant => self.t("Copie commerçant", "Merchant copy"),
        };
        self.para(copy, Align::Center, false, TextSize::Normal);
        self.rule('-');

        // For whom / what.
        let holder = detail_str(op.details.get("customer_name"));
        match kind {
            Some(Kind::Bill) => {
                self.pair(
                    self.t("Réf. client", "Customer ref."),
                    &op.customer_ref,
                    false,
                    TextSize::Normal,
                );
                if let Some(inv) = op.invoice_ref.as_deref().filter(|s| !s.trim().is_empty()) {
                    self.pair(
                        self.t("Facture n°", "Bill no."),
                        inv,
                        false,
                        TextSize::Normal,
                    );
                }
                if let Some(h) = &holder {
                    self.pair(self.t("Titulaire", "Holder"), h, false, TextSize::Normal);
                }
            }
            Some(Kind::Prepaid) => {
                self.pair(
                    self.t("Compteur", "Meter"),
                    &op.customer_ref,
                    false,
                    TextSize::Normal,
                );
                if let Some(h) = &holder {
                    self.pair(self.t("Titulaire", "Holder"), h, false, TextSize::Normal);
                }
            }
            Some(Kind::PaymentLink) => {
                let item = detail_str(op.details.get("item_name"));
                if let Some(item) = &item {
                    self.pair(self.t("Article", "Item"), item, false, TextSize::Normal);
                }
                // Without a customer phone the engine files a link under its item name: that is
                // not a phone number.
                let reference = op.customer_ref.trim();
                if !reference.is_empty() && item.as_deref().map(str::trim) != Some(reference) {
                    let phone = readable_phone(&op.customer_ref, &op.country);
                    self.pair(
                        self.t("Téléphone", "Phone"),
                        &phone,
                        false,
                        TextSize::Normal,
                    );
                }
            }
            Some(Kind::Airtime | Kind::Collection | Kind::Disbursement) => {
                let phone = readable_phone(&op.customer_ref, &op.country);
                self.pair(
                    self.t("Téléphone", "Phone"),
                    &phone,
                    false,
                    TextSize::Normal,
                );
                if let Some(h) = &holder {
                    self.pair(self.t("Nom", "Name"), h, false, TextSize::Normal);
                }
            }
            None => {
                if !op.customer_ref.trim().is_empty() {
                    self.pair(
                        self.t("Référence", "Reference"),
                        &op.customer_ref,
                        false,
                        TextSize::Normal,
                    );
                }
            }
        }
        self.rule('-');

        // Money.
        let cur = op.currency.as_str();
        self.pair(
            self.t("Montant", "Amount"),
            &money(op.amount_minor, cur, lang),
            false,
            TextSize::Normal,
        );
        if let Some(fee) = op.fee_minor {
            self.pair(
                self.t("Frais", "Fee"),
                &money(fee, cur, lang),
                false,
                TextSize::Normal,
            );
        }
        let total = op.amount_minor.saturating_add(op.fee_minor.unwrap_or(0));
        self.pair("TOTAL", &money(total, cur, lang), true, TextSize::Tall);
        if opts.copy == CopyKind::Merchant {
            if let Some(c) = detail_i64(op.details.get("commission_minor")) {
                self.pair(
                    self.t("Commission", "Commission"),
                    &money(c, cur, lang),
                    false,
                    TextSize::Normal,
                );
            }
        }
        self.rule('-');

        // Status.
        let (word, note) = status_words(op.status);
        self.para(word.get(lang), Align::Center, true, TextSize::Tall);
        if let Some(note) = note {
            let bold = matches!(
                op.status,
                OperationStatus::Unknown | OperationStatus::NeedsReview
            );
            self.para(note.get(lang), Align::Center, bold, TextSize::Normal);
        }

        // Token, large.
        if let Some(token) = op.token.as_deref().filter(|t| !t.trim().is_empty()) {
            self.rule('-');
            let heading = if kind == Some(Kind::Prepaid) {
                self.t("CODE À SAISIR SUR LE COMPTEUR", "CODE TO TYPE ON THE METER")
            } else {
                self.t("CODE", "CODE")
            };
            self.para(heading, Align::Center, true, TextSize::Normal);
            self.blank();
            self.para(&group_token(token), Align::Center, true, TextSize::Large);
            self.blank();
        } else if kind == Some(Kind::Prepaid)
            && matches!(
                op.status,
                OperationStatus::Sent
                    | OperationStatus::Pending
                    | OperationStatus::Processing
                    | OperationStatus::Unknown
                    | OperationStatus::NeedsReview
            )
        {
            let text = self.t(
                "Le code Woyofal n'est pas encore arrivé : il sera imprimé dès réception.",
                "The Woyofal code has not arrived yet: it will be printed as soon as it does.",
            );
            self.para(text, Align::Center, false, TextSize::Normal);
        }
        self.rule('-');

        // References.
        if let Some(p) = op.provider_ref.as_deref().filter(|s| !s.trim().is_empty()) {
            self.pair(
                self.t("Réf. transaction", "Transaction ref."),
                p,
                false,
                TextSize::Normal,
            );
        }
        self.pair(
            self.t("Notre réf.", "Our ref."),
            &op.idempotency_key,
            false,
            TextSize::Normal,
        );
        let date = op.created_at.format("%d/%m/%Y %H:%M").to_string();
        self.pair(self.t("Date", "Date"), &date, false, TextSize::Normal);
        self.pair(
            self.t("Caissier", "Cashier"),
            &op.operator_name,
            false,
            TextSize::Normal,
        );
        self.rule('=');

        // Footer.
        let thanks = self.t("Merci de votre confiance !", "Thank you for your trust!");
        self.para(thanks, Align::Center, false, TextSize::Normal);
        let keep = self.t("Conservez ce ticket.", "Keep this receipt.");
        self.para(keep, Align::Center, false, TextSize::Normal);
        // The version that recorded the operation, not the one printing: a reprint after an
        // upgrade is the same receipt (an intent older than this line prints without it).
        if let Some(version) = detail_str(op.details.get(APP_VERSION)) {
            self.para(
                &version::receipt_line(&version),
                Align::Center,
                false,
                TextSize::Normal,
            );
        }

        if op.training {
            self.training_mark();
        }
        Receipt {
            width: opts.width,
            lines: self.lines,
        }
    }
}
