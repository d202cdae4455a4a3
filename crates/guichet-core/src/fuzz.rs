//! Fuzz entry points: one function per parser that reads outside input (phone numbers, amounts,
//! each provider's answers and callbacks, the gateway signature, receipts' text, catalog files,
//! settings JSON). Each takes raw bytes, never panics on any input (a panic is the finding),
//! and checks what must hold for whatever it accepts.
//!
//! Run two ways (see `fuzz/README.md`): a fixed budget of cases on stable Rust in `make test`
//! (`tests/fuzz_targets.rs`, proptest, plus the corpus in `fuzz/corpus/<target>/`), and for
//! longer with `make fuzz` (cargo-fuzz, libFuzzer, nightly). Inputs are capped at
//! [`MAX_INPUT`] bytes, as the connectors cap provider bodies, so the work per input is bounded.

use secrecy::SecretString;
use serde_json::Value;

use crate::connector::http::{CallKind, Reply};
use crate::connector::{dexchange, easytransfert, unipesa};
use crate::ledger::{Operation, OperationStatus};
use crate::money::{Currency, Money};
use crate::phone::{Country, Phone};
use crate::receipt::{self, CopyKind, PaperWidth, ReceiptOptions, ShopHeader};
use crate::text::Language;

/// Inputs longer than this are ignored (the connectors read at most 1 MiB of a body; fuzzing
/// spends its time on shapes, not on length).
pub const MAX_INPUT: usize = 64 * 1024;

/// Every target's name, as `fuzz/fuzz_targets/<name>.rs` and `fuzz/corpus/<name>/` spell it.
pub const TARGETS: [&str; 9] = [
    "phone",
    "amount",
    "dexchange_answer",
    "easytransfert_answer",
    "unipesa_answer",
    "gateway_signature",
    "receipt_text",
    "catalog_toml",
    "settings_json",
];

/// Runs the target called `name` on `data`; false for an unknown name.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "phone" => phone(data),
        "amount" => amount(data),
        "dexchange_answer" => dexchange_answer(data),
        "easytransfert_answer" => easytransfert_answer(data),
        "unipesa_answer" => unipesa_answer(data),
        "gateway_signature" => gateway_signature(data),
        "receipt_text" => receipt_text(data),
        "catalog_toml" => catalog_toml(data),
        "settings_json" => settings_json(data),
        _ => return false,
    }
    true
}

const COUNTRIES: [Country; 10] = [
    Country::Sn,
    Country::Ci,
    Country::Ml,
    Country::Cm,
    Country::Bf,
    Country::Bj,
    Country::Tg,
    Country::Gn,
    Country::Cd,
    Country::Ne,
];
const CURRENCIES: [Currency; 6] = [
    Currency::Xof,
    Currency::Xaf,
    Currency::Cdf,
    Currency::Usd,
    Currency::Gnf,
    Currency::Kes,
];

/// The first byte chooses, the rest is the input; `None` when empty or too long.
fn split(data: &[u8]) -> Option<(u8, &[u8])> {
    if data.len() > MAX_INPUT {
        return None;
    }
    data.split_first().map(|(b, rest)| (*b, rest))
}

/// A phone number typed by the cashier (or read from a provider) for some country.
pub fn phone(data: &[u8]) {
    let Some((pick, rest)) = split(data) else {
        return;
    };
    let country = COUNTRIES[usize::from(pick) % COUNTRIES.len()];
    let text = String::from_utf8_lossy(rest);
    if let Ok(phone) = Phone::parse(&text, country) {
        let e164 = phone.e164();
        assert!(e164.starts_with('+'), "{e164}");
        assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()), "{e164}");
        assert!(!phone.display().is_empty());
        let again = Phone::parse(&e164, country).expect("an accepted number parses in E.164");
        assert_eq!(again.e164(), e164);
        let _ = phone.sn_operator();
    }
}

/// An amount as typed (`Money::parse`) and as a provider writes it (`Money::from_wire`).
pub fn amount(data: &[u8]) {
    let Some((pick, rest)) = split(data) else {
        return;
    };
    let currency = CURRENCIES[usize::from(pick) % CURRENCIES.len()];
    let text = String::from_utf8_lossy(rest);
    for m in [
        Money::parse(&text, currency),
        Money::from_wire(&text, currency),
    ]
    .into_iter()
    .flatten()
    {
        let wire = m.to_wire();
        assert_eq!(
            Money::from_wire(&wire, currency).ok(),
            Some(m),
            "{text:?} → {wire:?}"
        );
        for lang in [Language::Fr, Language::En] {
            let _ = m.format(lang, crate::money::Target::Ui);
        }
    }
}

/// A provider's reply as `connector/http.rs` builds it: JSON when it parses, else the excerpt.
fn reply(status: u16, body: &[u8]) -> Reply {
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => Reply {
            status,
            body: v,
            is_json: true,
            retry_after: None,
        },
        Err(_) if body.is_empty() => Reply {
            status,
            body: Value::Null,
            is_json: true,
            retry_after: None,
        },
        Err(_) => Reply {
            status,
            body: serde_json::json!({
                "unparsed_body": String::from_utf8_lossy(&body[..body.len().min(500)])
            }),
            is_json: false,
            retry_after: None,
        },
    }
}

/// The HTTP status for a reply: mostly 200, sometimes an error status.
fn status_of(pick: u8) -> u16 {
    [200, 200, 200, 201, 400, 401, 404, 409, 422, 429, 500, 503][usize::from(pick) % 12]
}

const KINDS: [CallKind; 3] = [CallKind::Submit, CallKind::Lookup, CallKind::Other];

/// DEXCHANGE's answers: transactions, bills, balance, errors.
pub fn dexchange_answer(data: &[u8]) {
    let Some((pick, body)) = split(data) else {
        return;
    };
    let reply = reply(status_of(pick), body);
    let kind = KINDS[usize::from(pick >> 4) % 3];
    let ctx = dexchange::transformers::AnswerContext {
        provider_ref: (pick & 1 == 1).then(|| "DEX-1".to_owned()),
        otp_after_init: pick & 2 == 2,
        minor_per_major: if pick & 4 == 4 { 100 } else { 1 },
    };
    let _ = dexchange::transformers::transaction_answer(&reply.body, &ctx);
    let _ = dexchange::transformers::bills(&reply.body);
    let _ = dexchange::transformers::balance(&reply.body);
    let _ = dexchange::transformers::error_message(&reply.body);
    let _ = dexchange::transformers::success_body(kind, &reply);
    let _ = dexchange::transformers::map_error(kind, &reply);
}

/// EASYTRANSFERT's answers: airtime, status, balance, errors.
pub fn easytransfert_answer(data: &[u8]) {
    let Some((pick, body)) = split(data) else {
        return;
    };
    let reply = reply(status_of(pick), body);
    let kind = KINDS[usize::from(pick >> 4) % 3];
    let _ = easytransfert::transformers::answer(kind, &reply, if pick & 4 == 4 { 100 } else { 1 });
    let _ = easytransfert::transformers::balance(&reply);
    let _ = easytransfert::transformers::map_error(kind, &reply);
}

/// The gateway's answers and callbacks (same shape: `result` and the order's fields).
pub fn unipesa_answer(data: &[u8]) {
    let Some((pick, body)) = split(data) else {
        return;
    };
    let reply = reply(status_of(pick), body);
    let kind = KINDS[usize::from(pick >> 4) % 3];
    let _ = unipesa::transformers::answer(kind, &reply);
    let _ = unipesa::transformers::map_error(&reply);
}

/// The gateway's signature over a callback body: never accepts a body it did not sign, and
/// accepts the same body once signed with the secret.
pub fn gateway_signature(data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    let secret = SecretString::from("fuzz-secret-0123456789");
    let _ = unipesa::verify_callback_signature(data, &secret);
    if let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(data) {
        map.remove("signature");
        if let Some(signature) = unipesa::signature::sign(&map, &secret) {
            map.insert("signature".into(), Value::from(signature));
            let signed = serde_json::to_vec(&Value::Object(map)).expect("a map serialises");
            assert!(
                unipesa::verify_callback_signature(&signed, &secret),
                "a body signed with the secret verifies"
            );
            let other = SecretString::from("another-secret");
            assert!(!unipesa::verify_callback_signature(&signed, &other));
        }
    }
}

/// A receipt laid out from what providers and the shop wrote (token, references, names,
/// header lines): every line fits the paper and carries no control character.
pub fn receipt_text(data: &[u8]) {
    let Some((pick, rest)) = split(data) else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split('\u{1f}').map(str::to_owned);
    let mut next = || parts.next().unwrap_or_default();
    let (token, provider_ref, customer, operator, shop, address, header) =
        (next(), next(), next(), next(), next(), next(), next());
    let now = chrono::DateTime::from_timestamp(1_750_000_000, 0).unwrap_or_default();
    let statuses = [
        OperationStatus::Success,
        OperationStatus::Failed,
        OperationStatus::Pending,
        OperationStatus::NeedsReview,
    ];
    let op = Operation {
        id: uuid::Uuid::nil(),
        idempotency_key: "Gfuzz".into(),
        provider: "dexchange".into(),
        service_code: "SENELEC_WOYOFAL".into(),
        kind: ["woyofal", "airtime", "bill", "cash_in", "unknown"][usize::from(pick) % 5].into(),
        country: "SN".into(),
        currency: "XOF".into(),
        amount_minor: i64::from(pick) * 1_000_003,
        fee_minor: (pick & 1 == 1).then_some(i64::MAX),
        customer_ref: customer,
        invoice_ref: Some(provider_ref.clone()),
        status: statuses[usize::from(pick >> 2) % statuses.len()],
        provider_ref: Some(provider_ref),
        token: Some(token),
        operator_name: operator,
        training: pick & 2 == 2,
        details: Default::default(),
        created_at: now,
        updated_at: now,
    };
    for width in [PaperWidth::Mm58, PaperWidth::Mm80] {
        let opts = ReceiptOptions {
            shop: ShopHeader {
                name: shop.clone(),
                address: Some(address.clone()),
                lines: header.lines().map(str::to_owned).collect(),
            },
            language: Language::Fr,
            copy: CopyKind::Merchant,
            duplicate: u32::from(pick),
            width,
        };
        let r = receipt::render(&op, None, &opts);
        let text = r.to_text();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "a control character reached the receipt: {text:?}"
        );
        for line in &r.lines {
            assert!(
                receipt::layout::columns(&line.text) <= width.columns(),
                "{:?} is wider than {} columns",
                line.text,
                width.columns()
            );
        }
        let _ = crate::printer::escpos_bytes(&r);
    }
}

/// A `catalog.toml` override: loads or is refused with a message, never half-loaded.
pub fn catalog_toml(data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match crate::catalog::Catalog::from_toml(text, "catalog.toml") {
        Ok(catalog) => {
            for s in catalog.services() {
                assert!(catalog.get(&s.code).is_some());
            }
        }
        Err(e) => assert!(!e.message().fr.is_empty()),
    }
}

/// The settings the UI sends as JSON (a settings patch, a printer): read, then checked.
pub fn settings_json(data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    if let Ok(patch) = serde_json::from_slice::<crate::settings::SettingsPatch>(data) {
        let _ = crate::settings::ShopFields::check(
            patch.shop_name.as_deref().unwrap_or(""),
            patch.shop_address.as_deref().unwrap_or(""),
            patch.receipt_header.as_deref().unwrap_or(""),
        );
        if let Some(secs) = patch.idle_timeout_secs {
            let _ = crate::settings::check_idle(secs);
        }
        if let Some(urls) = &patch.provider_urls {
            let _ = crate::settings::check_urls(urls);
        }
        if let Some(codes) = patch.disabled_services {
            let _ = crate::settings::check_disabled(&crate::catalog::Catalog::embedded(), codes);
        }
    }
    let _ = serde_json::from_slice::<crate::printer::PrinterConfig>(data);
}
