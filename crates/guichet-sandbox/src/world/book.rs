//! The deterministic customer book: Senelec and SenEau accounts with their bills, Woyofal meters,
//! and the rules that decide how a wallet number behaves.
//!
//! Generated from the seed, so the same seed always gives the same book. The first Senelec account
//! and the first Woyofal meter are the examples of seed 001 (`210278816` with bill `8000000680`
//! of 104,500 FCFA, meter `07061270877`), so the vendor's own curl examples work verbatim.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::{json, Value};

/// Fee rate on bills and Woyofal top-ups, in percent ([gap]: seed 001 shows 1,045 on 104,500 and
/// 10 on 1,000, i.e. 1 %).
pub const BILL_FEE_PERCENT: i64 = 1;

/// A wallet number ending with this suffix declines (cash-out) or fails (cash-in, b2c).
pub const DECLINING_SUFFIX: &str = "9999";
/// A wallet number ending with this suffix never answers: the operation stays pending until the
/// admin API approves or declines it.
pub const SILENT_SUFFIX: &str = "8888";
/// The OTP that is always wrong; any other OTP of the catalog's length (`[otp]`) is accepted.
pub const WRONG_OTP: &str = "0000";

/// How a wallet number behaves when asked to approve or receive money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WalletBehaviour {
    /// Approves / receives (every number but the two special suffixes).
    Approves,
    /// Declines a collection, or the disbursement fails (suffix `9999`).
    Declines,
    /// Never answers (suffix `8888`).
    NeverAnswers,
}

/// The behaviour of a wallet number, from its last digits.
pub fn wallet_behaviour(number: &str) -> WalletBehaviour {
    if number.ends_with(DECLINING_SUFFIX) {
        WalletBehaviour::Declines
    } else if number.ends_with(SILENT_SUFFIX) {
        WalletBehaviour::NeverAnswers
    } else {
        WalletBehaviour::Approves
    }
}

/// Whether an OTP is accepted: the catalog's OTP rule (`[otp]`, the till's too) and not the
/// always-wrong one.
pub fn otp_is_valid(otp: &str) -> bool {
    crate::catalog::otp_rule().accepts(otp) && otp != WRONG_OTP
}

/// One bill of a Senelec or SenEau account.
#[derive(Debug, Clone, Serialize)]
pub struct Bill {
    /// The bill number (`referenceFacture`).
    #[serde(rename = "referenceFacture")]
    pub reference_facture: String,
    /// Provider-side payment number shown by the inquiry.
    #[serde(rename = "paymentTransactionNumber")]
    pub payment_transaction_number: String,
    /// Amount due (FCFA).
    pub montant: i64,
    /// Fee the merchant pays on top (FCFA).
    pub frais: i64,
    /// Due date, `YYYY-MM-DD`.
    #[serde(rename = "dateEcheance")]
    pub date_echeance: String,
    /// Whether the bill is settled.
    pub paid: bool,
}

/// A Senelec or SenEau customer account.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// Customer reference (`reference_client`).
    pub reference_client: String,
    /// Family name.
    pub nom: String,
    /// Given name.
    pub prenom: String,
    /// Address.
    pub address: String,
    /// Bills, oldest first.
    pub bills: Vec<Bill>,
}

/// What a Woyofal meter does with a top-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeterBehaviour {
    /// Returns the token at once (`Status: SUCCESS`).
    Instant,
    /// `Status: PROCESSING`, then SUCCESS with a token after the settle delay.
    ProcessingThenToken,
    /// `Status: PROCESSING`, then FAILED with the refund of amount + fee.
    ProcessingThenFailure,
    /// Chosen per top-up from the seed: 60 % instant, 30 % processing then token, 10 %
    /// processing then failure.
    Seeded,
}

/// A Woyofal prepaid meter.
#[derive(Debug, Clone, Serialize)]
pub struct Meter {
    /// Meter number (`reference_client`).
    pub reference_client: String,
    /// Family name.
    pub nom: String,
    /// Given name.
    pub prenom: String,
    /// Address.
    pub address: String,
    /// `meterStatus` of the inquiry.
    #[serde(rename = "meterStatus")]
    pub meter_status: String,
    /// What a top-up does.
    pub behaviour: MeterBehaviour,
}

/// Which biller an account belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Biller {
    /// Senelec (electricity bills).
    Senelec,
    /// SenEau (water bills).
    Seneau,
}

/// The whole customer book.
#[derive(Debug, Clone)]
pub struct Book {
    /// Senelec accounts.
    pub senelec: Vec<Account>,
    /// SenEau accounts.
    pub seneau: Vec<Account>,
    /// Woyofal meters.
    pub woyofal: Vec<Meter>,
    /// A Senelec reference that is in no book.
    pub unknown_senelec: String,
    /// A SenEau reference that is in no book.
    pub unknown_seneau: String,
    /// A Woyofal meter that is in no book.
    pub unknown_woyofal: String,
}

const PRENOMS: [&str; 12] = [
    "Aminata",
    "Moussa",
    "Fatou",
    "Ibrahima",
    "Awa",
    "Cheikh",
    "Mariama",
    "Ousmane",
    "Khady",
    "Mamadou",
    "Ndeye",
    "Abdoulaye",
];
const NOMS: [&str; 12] = [
    "Diop", "Ndiaye", "Fall", "Sow", "Ba", "Sy", "Gueye", "Diallo", "Faye", "Seck", "Mbaye",
    "Cisse",
];
const ADDRESSES: [&str; 10] = [
    "Dakar Plateau",
    "Medina, Dakar",
    "Parcelles Assainies, Dakar",
    "Pikine",
    "Guediawaye",
    "Rufisque",
    "Thies",
    "Saint-Louis",
    "Mbour",
    "Kaolack",
];

fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    let mut s = String::with_capacity(n);
    s.push(char::from(b'1' + rng.gen_range(0..9u8)));
    for _ in 1..n {
        s.push(char::from(b'0' + rng.gen_range(0..10u8)));
    }
    s
}

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

/// The fee on a bill or a top-up of `amount`.
pub fn bill_fee(amount: i64) -> i64 {
    amount * BILL_FEE_PERCENT / 100
}

fn bill(rng: &mut ChaCha8Rng, month: u32, paid: bool) -> Bill {
    let montant = rng.gen_range(500..30_000) * 5;
    Bill {
        reference_facture: digits(rng, 10),
        payment_transaction_number: format!("PTN{}", digits(rng, 10)),
        montant,
        frais: bill_fee(montant),
        date_echeance: format!("2025-{month:02}-15"),
        paid,
    }
}

fn account(rng: &mut ChaCha8Rng, reference_len: usize, unpaid: usize, paid: usize) -> Account {
    let reference_client = digits(rng, reference_len);
    let mut bills = Vec::new();
    let total = unpaid + paid;
    for i in 0..total {
        // Paid bills are the oldest ones.
        let month = 12 - (total - 1 - i) as u32;
        bills.push(bill(rng, month, i < paid));
    }
    Account {
        reference_client,
        nom: pick(rng, &NOMS).into(),
        prenom: pick(rng, &PRENOMS).into(),
        address: pick(rng, &ADDRESSES).into(),
        bills,
    }
}

fn meter(rng: &mut ChaCha8Rng, behaviour: MeterBehaviour) -> Meter {
    Meter {
        reference_client: format!("0{}", digits(rng, 10)),
        nom: pick(rng, &NOMS).into(),
        prenom: pick(rng, &PRENOMS).into(),
        address: pick(rng, &ADDRESSES).into(),
        meter_status: "ACTIVE".into(),
        behaviour,
    }
}

impl Book {
    /// Generates the book from an RNG seeded by the sandbox seed.
    pub fn generate(rng: &mut ChaCha8Rng) -> Self {
        // Senelec: 9-digit references (seed 001's example is 210278816); SenEau: 10 digits [gap].
        let mut senelec = vec![
            account(rng, 9, 1, 0),
            account(rng, 9, 2, 1),
            account(rng, 9, 3, 0),
            account(rng, 9, 0, 2),
        ];
        // The vendor's example, so its curl sample works against the sandbox.
        senelec[0].reference_client = "210278816".into();
        senelec[0].bills[0].reference_facture = "8000000680".into();
        senelec[0].bills[0].montant = 104_500;
        senelec[0].bills[0].frais = bill_fee(104_500);
        let seneau = vec![
            account(rng, 10, 1, 1),
            account(rng, 10, 2, 0),
            account(rng, 10, 3, 1),
            account(rng, 10, 0, 1),
        ];
        let mut woyofal = vec![
            meter(rng, MeterBehaviour::Instant),
            meter(rng, MeterBehaviour::ProcessingThenToken),
            meter(rng, MeterBehaviour::ProcessingThenFailure),
            meter(rng, MeterBehaviour::Seeded),
        ];
        woyofal[0].reference_client = "07061270877".into();
        let unknown_senelec = loop {
            let r = digits(rng, 9);
            if !senelec.iter().any(|a| a.reference_client == r) {
                break r;
            }
        };
        let unknown_seneau = loop {
            let r = digits(rng, 10);
            if !seneau.iter().any(|a| a.reference_client == r) {
                break r;
            }
        };
        let unknown_woyofal = loop {
            let r = format!("0{}", digits(rng, 10));
            if !woyofal.iter().any(|m| m.reference_client == r) {
                break r;
            }
        };
        Self {
            senelec,
            seneau,
            woyofal,
            unknown_senelec,
            unknown_seneau,
            unknown_woyofal,
        }
    }

    /// The accounts of a biller.
    pub fn accounts(&self, biller: Biller) -> &[Account] {
        match biller {
            Biller::Senelec => &self.senelec,
            Biller::Seneau => &self.seneau,
        }
    }

    /// The account of a biller with this reference, mutable.
    pub fn account_mut(&mut self, biller: Biller, reference: &str) -> Option<&mut Account> {
        let list = match biller {
            Biller::Senelec => &mut self.senelec,
            Biller::Seneau => &mut self.seneau,
        };
        list.iter_mut().find(|a| a.reference_client == reference)
    }

    /// The meter with this number.
    pub fn meter(&self, reference: &str) -> Option<&Meter> {
        self.woyofal
            .iter()
            .find(|m| m.reference_client == reference)
    }

    /// The book as served by `GET /__sandbox/fixtures` (current state: paid flags move).
    pub fn fixtures(&self) -> Value {
        let accounts = |list: &[Account]| -> Value {
            Value::Array(
                list.iter()
                    .map(|a| {
                        let unpaid = a.bills.iter().filter(|b| !b.paid).count();
                        json!({
                            "reference_client": a.reference_client,
                            "nom": a.nom,
                            "prenom": a.prenom,
                            "address": a.address,
                            "unpaid_bills": unpaid,
                            "fully_paid": unpaid == 0,
                            "bills": a.bills.iter().map(|b| json!({
                                "referenceFacture": b.reference_facture,
                                "paymentTransactionNumber": b.payment_transaction_number,
                                "montant": b.montant,
                                "frais": b.frais,
                                "total": b.montant + b.frais,
                                "dateEcheance": b.date_echeance,
                                "paid": b.paid,
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .collect(),
            )
        };
        json!({
            "senelec": accounts(&self.senelec),
            "seneau": accounts(&self.seneau),
            "woyofal": self.woyofal,
            "unknown_references": {
                "senelec": self.unknown_senelec,
                "seneau": self.unknown_seneau,
                "woyofal": self.unknown_woyofal,
            },
            "wallets": {
                "approves": "any number not ending with 9999 or 8888",
                "declines_suffix": DECLINING_SUFFIX,
                "never_answers_suffix": SILENT_SUFFIX,
                "examples": {
                    "dexchange_sn": {"approves": "771234567", "declines": "770009999", "never_answers": "770008888"},
                    "easytransfert_ci": {"approves": "0701234567", "declines": "0700009999", "never_answers": "0700008888"},
                    "unipesa_sn": {"approves": "221771234567", "declines": "221770009999", "never_answers": "221770008888"},
                },
            },
            "otp": {
                "valid": format!("any {} except the wrong one", crate::catalog::otp_rule().describe()),
                "wrong": WRONG_OTP,
            },
        })
    }
}
