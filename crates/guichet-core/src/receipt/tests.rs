use chrono::{TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::ledger::Details;

fn shop() -> ShopHeader {
    ShopHeader {
        name: "Boutique Ndèye Fatou".into(),
        address: Some("Rue 10 x Blaise Diagne, Médina, Dakar".into()),
        lines: vec!["Tél. 33 821 00 00".into(), "NINEA 0123456789".into()],
    }
}

fn opts(width: PaperWidth) -> ReceiptOptions {
    ReceiptOptions {
        shop: shop(),
        language: Language::Fr,
        copy: CopyKind::Customer,
        duplicate: 0,
        width,
    }
}

fn op(kind: &str, service: &str, customer_ref: &str, amount: i64) -> Operation {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 14, 5, 9).unwrap();
    Operation {
        id: Uuid::nil(),
        idempotency_key: "G0192f3a47b6c7d8e9f0123456789abcd".into(),
        provider: "dexchange".into(),
        service_code: service.into(),
        kind: kind.into(),
        country: "SN".into(),
        currency: "XOF".into(),
        amount_minor: amount,
        fee_minor: Some(100),
        customer_ref: customer_ref.into(),
        invoice_ref: None,
        status: OperationStatus::Success,
        provider_ref: Some("DX-TRX-20261123-000042".into()),
        token: None,
        operator_name: "Awa Diop".into(),
        training: false,
        details: Details::new(),
        created_at: at,
        updated_at: at,
    }
}

fn senelec() -> Operation {
    let mut o = op("bill", "SENELEC_SN_BILL", "012345678901", 12_500);
    o.invoice_ref = Some("FAC-2026-11-000123".into());
    o.details
        .insert("customer_name".into(), json!("Mamadou Sall"));
    o
}

fn woyofal() -> Operation {
    let mut o = op("prepaid", "WOYOFAL_SN_BILL", "14234567890", 5_000);
    o.fee_minor = Some(0);
    o.token = Some("12345678901234567890".into());
    o.training = true;
    o
}

fn catalog() -> Catalog {
    Catalog::embedded()
}

fn text_of(o: &Operation, options: &ReceiptOptions) -> (Receipt, String) {
    let r = render_with_catalog(o, &catalog(), options);
    let t = r.to_text();
    (r, t)
}

fn assert_fits(r: &Receipt, text: &str) {
    let cols = r.width.columns();
    for line in &r.lines {
        assert!(line.columns() <= cols, "model line too wide: {line:?}");
        assert!(!line.text.chars().any(char::is_control), "{line:?}");
    }
    for line in text.lines() {
        assert!(
            line.chars().count() <= cols,
            "{} > {cols}: {line:?}",
            line.chars().count()
        );
    }
}

fn has_line(text: &str, want: &str) -> bool {
    text.lines().any(|l| l.trim() == want)
}

#[test]
fn senelec_bill_at_32_and_48_columns() {
    for width in [PaperWidth::Mm58, PaperWidth::Mm80] {
        let cols = width.columns();
        let (r, t) = text_of(&senelec(), &opts(width));
        assert_fits(&r, &t);
        assert!(t.contains("Boutique Ndèye Fatou"), "{t}");
        assert!(t.contains("Médina"), "{t}");
        assert!(has_line(&t, "Paiement facture Senelec"), "{t}");
        assert!(t.contains("Copie client"));
        // Label left, value right, on the full width; or the label, then the value
        // right-aligned on the next line when both do not fit.
        for (label, value) in [
            ("Réf. client", "012345678901"),
            ("Facture n°", "FAC-2026-11-000123"),
            ("Titulaire", "Mamadou Sall"),
            ("Montant", "12 500 FCFA"),
            ("Frais", "100 FCFA"),
            ("TOTAL", "12 600 FCFA"),
            ("Réf. transaction", "DX-TRX-20261123-000042"),
            ("Date", "23/11/2026 14:05"),
            ("Caissier", "Awa Diop"),
        ] {
            let (lc, vc) = (label.chars().count(), value.chars().count());
            if lc + 1 + vc <= cols {
                let line = format!("{label}{}{value}", " ".repeat(cols - lc - vc));
                assert!(
                    t.lines().any(|l| l == line),
                    "{label} {value} at {cols}:\n{t}"
                );
            } else {
                let line = format!("{}{value}", " ".repeat(cols - vc));
                assert!(
                    t.contains(&format!("{label}\n{line}\n")),
                    "{label} {value} at {cols}:\n{t}"
                );
            }
        }
        assert!(has_line(&t, "RÉUSSI"), "{t}");
        assert!(!t.contains("FORMATION"));
        assert!(!t.contains("DUPLICATA"));
        assert!(!t.contains("Commission"));
        let total = r
            .lines
            .iter()
            .find(|l| l.text.starts_with("TOTAL"))
            .unwrap();
        assert!(total.bold && total.size == TextSize::Tall);
    }
    // 32 columns: the 33-character key goes under its label, cut in two even halves.
    let (_, t) = text_of(&senelec(), &opts(PaperWidth::Mm58));
    assert!(
        t.contains(
            "Notre réf.\n               G0192f3a47b6c7d8e\n                9f0123456789abcd\n"
        ),
        "{t}"
    );
    // 48: next to its label.
    let (_, t) = text_of(&senelec(), &opts(PaperWidth::Mm80));
    assert!(
        t.contains("Notre réf.     G0192f3a47b6c7d8e9f0123456789abcd\n"),
        "{t}"
    );
}

#[test]
fn training_mark_iff_training_top_and_bottom() {
    let mut o = woyofal();
    let (r, t) = text_of(&o, &opts(PaperWidth::Mm58));
    assert_fits(&r, &t);
    assert_eq!(t.matches("FORMATION — aucun argent réel").count(), 2, "{t}");
    let lines: Vec<&str> = t.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.contains("FORMATION — aucun argent réel"))
        .unwrap();
    let last = lines
        .iter()
        .rposition(|l| l.contains("FORMATION — aucun argent réel"))
        .unwrap();
    assert!(first < 5 && last > lines.len() - 5, "{t}");
    let big: Vec<_> = r.lines.iter().filter(|l| l.text == "FORMATION").collect();
    assert_eq!(big.len(), 2);
    assert!(big.iter().all(|l| l.size == TextSize::Large && l.bold));
    o.training = false;
    let (_, t) = text_of(&o, &opts(PaperWidth::Mm58));
    assert!(!t.contains("FORMATION"), "{t}");
    let mut en = opts(PaperWidth::Mm58);
    en.language = Language::En;
    o.training = true;
    let (_, t) = text_of(&o, &en);
    assert_eq!(t.matches("TRAINING — no real money").count(), 2, "{t}");
}

#[test]
fn woyofal_token_is_grouped_and_large() {
    for width in [PaperWidth::Mm58, PaperWidth::Mm80] {
        let (r, t) = text_of(&woyofal(), &opts(width));
        assert_fits(&r, &t);
        assert!(has_line(&t, "Recharge Woyofal"), "{t}");
        assert!(t.contains("Compteur") && t.contains("14234567890"));
        let token_lines: Vec<_> = r
            .lines
            .iter()
            .filter(|l| {
                l.text.chars().next().is_some_and(|c| c.is_ascii_digit())
                    && l.size == TextSize::Large
            })
            .collect();
        assert!(token_lines
            .iter()
            .all(|l| l.bold && l.align == Align::Center));
        let joined = token_lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined, "1234 5678 9012 3456 7890");
        match width {
            // 16 large columns: two lines, split between groups.
            PaperWidth::Mm58 => assert_eq!(token_lines.len(), 2),
            // 24 large columns: the whole token on one line.
            PaperWidth::Mm80 => assert_eq!(token_lines.len(), 1),
        }
        assert!(t.contains("CODE À SAISIR SUR LE COMPTEUR"));
    }
    // Pending Woyofal without a token yet says so.
    let mut o = woyofal();
    o.token = None;
    o.status = OperationStatus::Processing;
    let (_, t) = text_of(&o, &opts(PaperWidth::Mm58));
    assert!(t.contains("EN ATTENTE"));
    let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("pas encore arrivé : il sera imprimé"), "{t}");
}

#[test]
fn duplicate_line_carries_its_count() {
    let mut o = opts(PaperWidth::Mm58);
    let (_, t) = text_of(&senelec(), &o);
    assert!(!t.contains("DUPLICATA"));
    o.duplicate = 3;
    let (r, t) = text_of(&senelec(), &o);
    assert_fits(&r, &t);
    assert!(has_line(&t, "DUPLICATA n° 3"), "{t}");
    let l = r
        .lines
        .iter()
        .find(|l| l.text.starts_with("DUPLICATA"))
        .unwrap();
    assert!(l.bold && l.size == TextSize::Large);
    o.duplicate = 12;
    let (_, t) = text_of(&senelec(), &o);
    assert!(has_line(&t, "DUPLICATA n° 12"), "{t}");
}

#[test]
fn commission_only_on_the_merchant_copy() {
    let mut o = op("airtime", "ORANGE_SN_AIRTIME", "771234567", 1_000);
    o.fee_minor = None;
    o.details.insert("commission_minor".into(), json!(30));
    let customer = opts(PaperWidth::Mm58);
    let mut merchant = customer.clone();
    merchant.copy = CopyKind::Merchant;
    let (r, t) = text_of(&o, &customer);
    assert_fits(&r, &t);
    assert!(!t.contains("Commission") && !t.contains("30 FCFA"), "{t}");
    assert!(t.contains("Copie client"));
    let (r, t) = text_of(&o, &merchant);
    assert_fits(&r, &t);
    assert!(
        t.lines()
            .any(|l| l.starts_with("Commission") && l.ends_with("30 FCFA")),
        "{t}"
    );
    assert!(t.contains("Copie commerçant"));
    // Phone in a readable layout; unknown fee: no fee line, total = amount.
    assert!(t.contains("77 123 45 67"), "{t}");
    assert!(!t.contains("Frais"));
    assert!(
        t.lines()
            .any(|l| l.starts_with("TOTAL") && l.ends_with(" 1 000 FCFA")),
        "{t}"
    );
    // Commission stored as a string works too; no commission stored: no line.
    o.details.insert("commission_minor".into(), json!("45"));
    assert!(text_of(&o, &merchant).1.contains("45 FCFA"));
    o.details.remove("commission_minor");
    assert!(!text_of(&o, &merchant).1.contains("Commission"));
}

#[test]
fn unknown_status_says_not_to_redo() {
    for status in [OperationStatus::Unknown, OperationStatus::NeedsReview] {
        let mut o = senelec();
        o.status = status;
        for width in [PaperWidth::Mm58, PaperWidth::Mm80] {
            let (r, t) = text_of(&o, &opts(width));
            assert_fits(&r, &t);
            assert!(has_line(&t, "À VÉRIFIER"), "{t}");
            let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains("Ne pas refaire l'opération : vérification en cours."),
                "{t}"
            );
            let note = r
                .lines
                .iter()
                .find(|l| l.text.starts_with("Ne pas refaire"))
                .unwrap();
            assert!(note.bold);
            assert!(!t.contains("RÉUSSI") && !t.contains("ÉCHOUÉ"));
        }
    }
}

#[test]
fn status_words_for_every_status() {
    use OperationStatus::*;
    let expect = [
        (Success, "RÉUSSI"),
        (Pending, "EN ATTENTE"),
        (Processing, "EN ATTENTE"),
        (Sent, "EN ATTENTE"),
        (Failed, "ÉCHOUÉ"),
        (Cancelled, "ANNULÉ"),
        (Expired, "EXPIRÉ"),
        (Unknown, "À VÉRIFIER"),
        (NeedsReview, "À VÉRIFIER"),
    ];
    for (s, word) in expect {
        assert_eq!(status_words(s).0.fr, word);
        let mut o = senelec();
        o.status = s;
        assert!(has_line(&text_of(&o, &opts(PaperWidth::Mm58)).1, word));
    }
    for s in OperationStatus::ALL {
        let (w, n) = status_words(s);
        assert_ne!(w.fr, w.en);
        if let Some(n) = n {
            assert_ne!(n.fr, n.en);
        }
    }
}

#[test]
fn titles_per_kind() {
    let c = catalog();
    let name = |code: &str| c.get(code).map(|s| s.name.clone()).unwrap();
    let fr = Language::Fr;
    assert_eq!(
        title(Some(Kind::Bill), Some(&name("SENELEC_SN_BILL")), fr),
        "Paiement facture Senelec"
    );
    assert_eq!(
        title(
            Some(Kind::Bill),
            Some(&name("SENELEC_SN_BILL")),
            Language::En
        ),
        "Senelec bill payment"
    );
    assert_eq!(
        title(Some(Kind::Prepaid), Some(&name("WOYOFAL_SN_BILL")), fr),
        "Recharge Woyofal"
    );
    assert_eq!(
        title(Some(Kind::Airtime), Some(&name("ORANGE_SN_AIRTIME")), fr),
        "Crédit Orange"
    );
    assert_eq!(
        title(
            Some(Kind::PaymentLink),
            Some(&name("DEXCHANGE_PAYMENT_LINK")),
            fr
        ),
        "Lien de paiement"
    );
    assert_eq!(
        title(Some(Kind::Collection), Some(&name("WAVE_SN_CASHOUT")), fr),
        "Encaissement Wave Sénégal"
    );
    assert_eq!(
        title(Some(Kind::Disbursement), Some(&name("OM_SN_CASHIN")), fr),
        "Paiement Orange Money Sénégal"
    );
    assert_eq!(
        title(
            Some(Kind::Collection),
            Some(&Localized::new(
                "MTN Mobile Money Ghana (passerelle 704)",
                "x"
            )),
            fr
        ),
        "Encaissement MTN Mobile Money Ghana"
    );
    assert_eq!(title(Some(Kind::Airtime), None, fr), "Crédit téléphonique");
    assert_eq!(title(None, None, fr), "Opération");
    assert_eq!(kind_of("woyofal"), Some(Kind::Prepaid));
    assert_eq!(kind_of("cash_out"), Some(Kind::Collection));
    assert_eq!(kind_of("cash_in"), Some(Kind::Disbursement));
    assert_eq!(kind_of("bogus"), None);
}

#[test]
fn wallet_operations_and_payment_links() {
    let mut o = op("collection", "WAVE_SN_CASHOUT", "771234567", 20_000);
    o.fee_minor = Some(200);
    let (r, t) = text_of(&o, &opts(PaperWidth::Mm58));
    assert_fits(&r, &t);
    assert!(has_line(&t, "Encaissement Wave Sénégal"), "{t}");
    assert!(t.contains("77 123 45 67"));
    assert!(t
        .lines()
        .any(|l| l.starts_with("TOTAL") && l.ends_with("20 200 FCFA")));

    let mut o = op("payment_link", "DEXCHANGE_PAYMENT_LINK", "", 7_500);
    o.status = OperationStatus::Pending;
    o.details.insert(
        "item_name".into(),
        json!("Sac de riz 25 kg — brisé parfumé extra long"),
    );
    let (r, t) = text_of(&o, &opts(PaperWidth::Mm58));
    assert_fits(&r, &t);
    assert!(has_line(&t, "Lien de paiement"));
    assert!(t.contains("Article") && t.contains("Sac de riz"));
    assert!(!t.contains("Téléphone"));
    // The engine files a link without a phone under its item name: still no phone line.
    o.customer_ref = "Sac de riz 25 kg — brisé parfumé extra long".into();
    let (_, t) = text_of(&o, &opts(PaperWidth::Mm58));
    assert!(!t.contains("Téléphone"), "{t}");

    // A phone of another country reads internationally.
    let mut o = op("collection", "OM_CI_CASHOUT", "0701020304", 1_000);
    o.country = "CI".into();
    let (_, t) = text_of(&o, &opts(PaperWidth::Mm80));
    let intl = Phone::parse("0701020304", Country::Ci).unwrap().display();
    assert!(intl.starts_with("+225 "), "{intl}");
    assert!(t.contains(&intl), "{t}");
}

#[test]
fn hostile_values_never_overflow_nor_inject() {
    let mut o = senelec();
    o.provider_ref = Some(format!(
        "{}\u{1b}@\u{1d}V\n{}",
        "X".repeat(70),
        "Y".repeat(5)
    ));
    o.customer_ref = "A".repeat(100);
    o.operator_name = "Awa\tDiop\r\n".into();
    o.details.insert(
        "customer_name".into(),
        json!("Nom très très long avec des accents é è à ç ô et encore"),
    );
    let mut s = opts(PaperWidth::Mm58);
    s.shop.name = "Quincaillerie et Alimentation Générale du Marché Sandaga".into();
    s.shop.lines.push("\u{1b}@ligne piégée".into());
    for width in [PaperWidth::Mm58, PaperWidth::Mm80] {
        s.width = width;
        let (r, t) = text_of(&o, &s);
        assert_fits(&r, &t);
        assert!(!t.contains('\u{1b}') && !t.contains('\u{1d}') && !t.contains('\t'));
    }
}

#[test]
fn text_output_keeps_accents_and_serializes() {
    let mut merchant = opts(PaperWidth::Mm58);
    merchant.copy = CopyKind::Merchant;
    let (r, t) = text_of(&senelec(), &merchant);
    for s in ["è", "é", "ç", "°"] {
        assert!(t.contains(s), "{s}");
    }
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["width"], "58mm");
    assert_eq!(json["lines"][0]["align"], "center");
    let back: Receipt = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
    let decl = <Receipt as TS>::decl(&ts_rs::Config::default());
    assert!(decl.contains("lines: Array<ReceiptLine>"), "{decl}");
    assert_eq!(PaperWidth::from_columns(32), Some(PaperWidth::Mm58));
    assert_eq!(PaperWidth::from_columns(48), Some(PaperWidth::Mm80));
    assert_eq!(PaperWidth::from_columns(40), None);
}

#[test]
fn the_last_line_names_the_version_that_recorded_the_operation() {
    let mut o = senelec();
    let before = render(&o, None, &opts(PaperWidth::Mm58)).to_text();
    assert!(
        !before.contains("Guichet "),
        "an intent recorded before versions were kept prints none:\n{before}"
    );
    // An operation recorded by an older Guichet reprints with that version, not this one.
    o.details.insert("app_version".into(), json!("0.0.9"));
    let text = render(&o, None, &opts(PaperWidth::Mm58)).to_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last().unwrap().trim(), "Guichet 0.0.9");
    assert_eq!(lines.len(), before.lines().count() + 1);
}
