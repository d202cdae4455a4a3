use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::money::Money;
use crate::phone::PhoneFormat;

const NNBSP: char = '\u{202F}';

/// Every service code of DEXCHANGE seed 000, as printed there.
const SEED_000_CODES: &[&str] = &[
    "OM_SN_CASHIN",
    "OM_SN_CASHOUT",
    "WAVE_SN_CASHIN",
    "WAVE_SN_CASHOUT",
    "FM_SN_CASHIN",
    "FM_SN_CASHOUT",
    "WIZALL_SN_CASHIN",
    "WIZALL_SN_CASHOUT",
    "ORANGE_SN_AIRTIME",
    "FREE_SN_AIRTIME",
    "EXPRESSO_SN_AIRTIME",
    "PROMOBILE_SN_AIRTIME",
    "OM_ML_CASHOUT",
    "MOOV_ML_CASHOUT",
    "WAVE_ML_CASHOUT",
    "OM_CI_CASHIN",
    "OM_CI_CASHOUT",
    "WAVE_CI_CASHIN",
    "WAVE_CI_CASHOUT",
    "MTN_CI_CASHIN",
    "MTN_CI_CASHOUT",
    "MOOV_CI_CASHIN",
    "MOOV_CI_CASHOUT",
    "DIGICASH_CI_CASHOUT",
    "OM_CM_CASHOUT",
    "MTN_CM_CASHOUT",
];

/// Every provider id of gateway seed 004, country by country, in the seed's order.
const SEED_004_IDS: &[u32] = &[
    14,   // simulator
    9210, // BJ
    9209, // BF
    802, 9062, 702, 803, 9063, 703, 9131, // CM
    2197, 2198, 2196, 2199, // CD
    9227, // GM
    2303, 2333, 699, 805, 9196, 2430, 2304, 2334, 806, 9197, 2305, 2335, 804, 9198, 2306, 2336,
    9199, 2431, // CI
    2087, 2088, // MW
    2311, 706, 9122, 9143, 9231, 2312, 9230, 707, 9123, // NG
    2313, 2314, 2315, // EG
    2354, 2398, 9203, 2355, 2401, 9205, 2356, 2399, 2400, // SN
    2353, // ZA
    2361, // SL
    2351, 2352, // RW
    2109, 2111, 2308, 2323, 2339, 2403, 2110, 2112, 2307, 2322, 2340, 2108, 2113, 2309, 2338, 2404,
    2107, 2114, 2310, 2337, 2402, 2405, // TZ
    2357, 2358, 2359, 2360, // TG
    2105, 808, 2106, 809, // UG
    2118, 2332, 2370, 2119, 2371, 2372, // ZM
    701, 2391, 700, 9125, 2390, 2392, 2393, 798, // KE
    705, 981, 704, 980, 9127, 982, // GH
];

/// EASYTRANSFERT service ids of providers.md (29 is the [gap] guess).
const EASYTRANSFERT_IDS: &[u32] = &[26, 27, 24, 25, 12, 13, 16, 17, 18, 19, 20, 21, 22, 23, 29];

fn catalog() -> Catalog {
    Catalog::embedded()
}

fn xof(n: i64) -> Money {
    Money::new(n, Currency::Xof)
}

fn req(code: &str, kind: Kind, amount: Money, phone: Option<&str>) -> OperationRequest {
    OperationRequest {
        service_code: code.into(),
        kind,
        amount,
        phone: phone.map(Into::into),
        otp: None,
        extras: BTreeMap::new(),
    }
}

fn codes(refusals: &[Refusal]) -> Vec<RefusalCode> {
    refusals.iter().map(|r| r.code).collect()
}

fn refused(c: &Catalog, r: &OperationRequest) -> Vec<Refusal> {
    c.validate(r).expect_err("should be refused")
}

fn offer<'a>(c: &'a Catalog, code: &str, kind: Kind) -> &'a Offer {
    c.get(code)
        .unwrap_or_else(|| panic!("{code}"))
        .offer(kind)
        .unwrap_or_else(|| panic!("{code} {kind:?}"))
}

fn limits(o: &Offer) -> (Option<i64>, Option<i64>, Option<i64>) {
    (
        o.min.map(|m| m.minor),
        o.max.map(|m| m.minor),
        o.multiple_of.map(|m| m.minor),
    )
}

// ───────────────────────────── the data file ─────────────────────────────

#[test]
fn embedded_catalog_parses_and_is_consistent() {
    let c = catalog();
    assert_eq!(c.origin(), &CatalogOrigin::Embedded);
    assert_eq!(c.services().len(), 155);
    for s in c.services() {
        assert!(!s.offers.is_empty(), "{}", s.code);
        assert!(!s.name.fr.is_empty() && !s.name.en.is_empty(), "{}", s.code);
        for o in &s.offers {
            for m in [o.min, o.max, o.multiple_of].into_iter().flatten() {
                assert_eq!(m.currency, s.currency, "{} {:?}", s.code, o.kind);
            }
            if o.otp_required {
                assert!(o.confirmation.is_some(), "{} needs an OTP syntax", s.code);
            }
        }
        if s.phone_required {
            assert!(s.phone_format.is_some(), "{}", s.code);
        }
        let prefix = match s.provider {
            Provider::Dexchange => "",
            Provider::Easytransfert => "EASYTRANSFERT_",
            Provider::Unipesa => "UNIPESA_",
        };
        if !prefix.is_empty() {
            assert_eq!(s.code, format!("{prefix}{}", s.native_id));
        }
    }
    assert!(EMBEDDED_TOML.contains("[gap]"));
}

#[test]
fn holds_every_dexchange_code_of_seed_000() {
    let c = catalog();
    for code in SEED_000_CODES {
        let s = c.get(code).unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(s.provider, Provider::Dexchange);
        assert_eq!(s.native_id, *code);
        let kind = if code.ends_with("_CASHIN") {
            Kind::Disbursement
        } else if code.ends_with("_CASHOUT") {
            Kind::Collection
        } else {
            Kind::Airtime
        };
        let o = s.offer(kind).unwrap_or_else(|| panic!("{code} {kind:?}"));
        assert_eq!(limits(o), (Some(200), Some(1_000_000), None), "{code}");
        assert_eq!(o.commission_bp, if kind == Kind::Airtime { 100 } else { 0 });
        let expected_currency = if code.contains("_CM_") {
            Currency::Xaf
        } else {
            Currency::Xof
        };
        assert_eq!(s.currency, expected_currency, "{code}");
        assert_eq!(s.phone_format, Some(PhoneFormat::National));
    }
    let dex: BTreeSet<&str> = c
        .by_provider(Provider::Dexchange)
        .map(|s| s.code.as_str())
        .collect();
    let mut expected: BTreeSet<&str> = SEED_000_CODES.iter().copied().collect();
    expected.extend([
        "SENEAU_SN_BILL",
        "SENELEC_SN_BILL",
        "WOYOFAL_SN_BILL",
        "DEXCHANGE_PAYMENT_LINK",
    ]);
    assert_eq!(dex, expected);

    for code in ["SENEAU_SN_BILL", "SENELEC_SN_BILL"] {
        let s = c.get(code).unwrap();
        assert_eq!(s.kinds(), vec![Kind::Bill]);
        assert_eq!(s.phone_format, None);
        assert_eq!(limits(s.offer(Kind::Bill).unwrap()), (None, None, None));
        assert_eq!(
            s.offer(Kind::Bill).unwrap().extras,
            vec![ExtraField::ReferenceClient]
        );
    }
    assert_eq!(
        c.get("WOYOFAL_SN_BILL").unwrap().kinds(),
        vec![Kind::Prepaid]
    );
    let link = c.get("DEXCHANGE_PAYMENT_LINK").unwrap();
    assert_eq!(
        limits(link.offer(Kind::PaymentLink).unwrap()),
        (Some(100), None, None)
    );
    assert!(!link.phone_required);
}

#[test]
fn holds_every_gateway_provider_id_of_seed_004() {
    let c = catalog();
    let expected: BTreeSet<String> = SEED_004_IDS
        .iter()
        .map(|id| format!("UNIPESA_{id}"))
        .collect();
    assert_eq!(
        expected.len(),
        SEED_004_IDS.len(),
        "no duplicate in the test list"
    );
    let found: BTreeSet<String> = c
        .by_provider(Provider::Unipesa)
        .map(|s| s.code.clone())
        .collect();
    assert_eq!(found, expected);
    for s in c.by_provider(Provider::Unipesa) {
        assert_eq!(s.currency, s.country.currency(), "{}", s.code);
    }
}

#[test]
fn holds_every_easytransfert_service_id() {
    let c = catalog();
    let found: BTreeSet<String> = c
        .by_provider(Provider::Easytransfert)
        .map(|s| s.code.clone())
        .collect();
    let expected: BTreeSet<String> = EASYTRANSFERT_IDS
        .iter()
        .map(|id| format!("EASYTRANSFERT_{id}"))
        .collect();
    assert_eq!(found, expected);
    for id in EASYTRANSFERT_IDS {
        let s = c.get(&format!("EASYTRANSFERT_{id}")).unwrap();
        assert_eq!(s.phone_format, Some(PhoneFormat::NationalTrunk));
        let o = &s.offers[0];
        assert_eq!(s.offers.len(), 1);
        assert_eq!(limits(o), (Some(500), Some(500_000), Some(100)), "{id}");
        assert_eq!(o.otp_required, [23, 27, 29].contains(id), "{id}");
        // Even ids are cash-in, odd ids cash-out, except 29 (cash-out).
        let kind = if id % 2 == 0 {
            Kind::Disbursement
        } else {
            Kind::Collection
        };
        assert_eq!(o.kind, kind, "{id}");
    }
    assert!(!c.get("EASYTRANSFERT_29").unwrap().enabled, "29 is a guess");
    assert_eq!(c.get("EASYTRANSFERT_29").unwrap().country, Country::Ml);
}

#[test]
fn gateway_limits_match_the_seed_for_a_sample() {
    let c = catalog();
    // Senegal 2354: XOF 100..500,000, no multiple.
    assert_eq!(
        limits(offer(&c, "UNIPESA_2354", Kind::Collection)),
        (Some(100), Some(500_000), None)
    );
    // Burkina Orange 9209: multiples of 5, 200..1,000,000, OTP with *144*4*6*montant#.
    let o = offer(&c, "UNIPESA_9209", Kind::Collection);
    assert_eq!(limits(o), (Some(200), Some(1_000_000), Some(5)));
    assert!(o.otp_required);
    let conf = o.confirmation.as_ref().unwrap();
    assert_eq!(conf.ussd.as_deref(), Some("*144*4*6*montant#"));
    assert_eq!(
        conf.ussd_for(&xof(5_000)).as_deref(),
        Some("*144*4*6*5000#")
    );
    assert!(!offer(&c, "UNIPESA_9209", Kind::Disbursement).otp_required);
    // Cameroon: XAF 500..500,000.
    let cm = c.get("UNIPESA_9063").unwrap();
    assert_eq!(cm.currency, Currency::Xaf);
    assert_eq!(
        limits(cm.offer(Kind::Disbursement).unwrap()),
        (Some(500), Some(500_000), None)
    );
    // DRC: CDF 100..1,500,000 (exponent 2) and the phone exceptions.
    let o = offer(&c, "UNIPESA_2197", Kind::Collection);
    assert_eq!(limits(o), (Some(10_000), Some(150_000_000), None));
    assert_eq!(
        c.get("UNIPESA_2197").unwrap().phone_format,
        Some(PhoneFormat::NationalTrunk)
    );
    assert_eq!(
        c.get("UNIPESA_2198").unwrap().phone_format,
        Some(PhoneFormat::National)
    );
    assert_eq!(
        c.get("UNIPESA_2196").unwrap().phone_format,
        Some(PhoneFormat::International)
    );
    assert_eq!(
        c.get("UNIPESA_2199").unwrap().phone_format,
        Some(PhoneFormat::NationalTrunk)
    );
    // Togo 2357: c2b 200, b2c 500; 2359: b2c max 500,000.
    assert_eq!(
        offer(&c, "UNIPESA_2357", Kind::Collection).min,
        Some(xof(200))
    );
    assert_eq!(
        offer(&c, "UNIPESA_2357", Kind::Disbursement).min,
        Some(xof(500))
    );
    assert_eq!(
        offer(&c, "UNIPESA_2359", Kind::Disbursement).max,
        Some(xof(500_000))
    );
    // Uganda 2105: b2c from 900 UGX (exponent 0).
    assert_eq!(
        offer(&c, "UNIPESA_2105", Kind::Disbursement).min,
        Some(Money::new(900, Currency::Ugx))
    );
    // Kenya: c2b from 1.00, b2c from 250.00 KES.
    assert_eq!(
        limits(offer(&c, "UNIPESA_2390", Kind::Disbursement)),
        (Some(25_000), Some(15_000_000), None)
    );
    // Ghana 981: c2b 100.. no limit, b2c 10..25,000.
    assert_eq!(
        limits(offer(&c, "UNIPESA_981", Kind::Collection)),
        (Some(10_000), None, None)
    );
    assert_eq!(
        limits(offer(&c, "UNIPESA_981", Kind::Disbursement)),
        (Some(1_000), Some(2_500_000), None)
    );
    // Malawi 50..750,000 MWK, Egypt 350..15,000 EGP, Rwanda 100..10,000,000 RWF.
    assert_eq!(
        limits(offer(&c, "UNIPESA_2087", Kind::Collection)),
        (Some(5_000), Some(75_000_000), None)
    );
    assert_eq!(
        limits(offer(&c, "UNIPESA_2314", Kind::Collection)),
        (Some(35_000), Some(1_500_000), None)
    );
    assert_eq!(
        limits(offer(&c, "UNIPESA_2351", Kind::Collection)),
        (Some(100), Some(10_000_000), None)
    );
    // Gambia: no maximum.
    assert_eq!(offer(&c, "UNIPESA_9227", Kind::Collection).max, None);
    // Simulator: SN/XOF for training.
    let sim = c.get("UNIPESA_14").unwrap();
    assert_eq!((sim.country, sim.currency), (Country::Sn, Currency::Xof));
}

#[test]
fn gateway_extra_fields_and_otp() {
    let c = catalog();
    use ExtraField::*;
    for code in [
        "UNIPESA_2351",
        "UNIPESA_2352",
        "UNIPESA_2109",
        "UNIPESA_2105",
        "UNIPESA_808",
        "UNIPESA_2358",
    ] {
        assert_eq!(
            offer(&c, code, Kind::Collection).extras,
            vec![CustomerName, CustomerEmail],
            "{code}"
        );
        assert_eq!(
            offer(&c, code, Kind::Disbursement).extras,
            vec![CustomerName],
            "{code}"
        );
    }
    for s in c
        .by_provider(Provider::Unipesa)
        .filter(|s| s.country == Country::Ci)
    {
        assert_eq!(
            s.offer(Kind::Disbursement).unwrap().extras,
            vec![CustomerName],
            "{}",
            s.code
        );
        assert!(s.offer(Kind::Collection).unwrap().extras.is_empty());
        assert_eq!(s.offer(Kind::Collection).unwrap().multiple_of, Some(xof(5)));
        let otp = s.offer(Kind::Collection).unwrap().otp_required;
        assert_eq!(otp, s.operator == "orange", "{}", s.code);
    }
    let o = offer(&c, "UNIPESA_9197", Kind::Collection);
    assert_eq!(
        o.confirmation.as_ref().unwrap().ussd.as_deref(),
        Some("#144*82#")
    );
    assert_eq!(
        offer(&c, "UNIPESA_2357", Kind::Collection).extras,
        vec![CustomerName]
    );
    assert_eq!(
        offer(&c, "UNIPESA_2313", Kind::Collection).extras,
        vec![CustomerName, ReturnUrl]
    );
    assert_eq!(
        offer(&c, "UNIPESA_2087", Kind::Disbursement).extras,
        vec![CustomerName]
    );
    assert!(offer(&c, "UNIPESA_2087", Kind::Collection)
        .extras
        .is_empty());
}

#[test]
fn otp_syntaxes_of_seed_003_are_attached() {
    let c = catalog();
    assert_eq!(c.otp_syntaxes().len(), 26);
    let ussd = |country, op: &str| {
        c.otp_syntax(country, op, country.currency())
            .and_then(|s| s.ussd.clone())
    };
    assert_eq!(ussd(Country::Sn, "orange").as_deref(), Some("#144#391#"));
    assert_eq!(ussd(Country::Ci, "orange").as_deref(), Some("#144*82#"));
    assert_eq!(ussd(Country::Ml, "orange").as_deref(), Some("#144#77#"));
    assert_eq!(ussd(Country::Sn, "expresso").as_deref(), Some("*444*3*3#"));
    assert_eq!(ussd(Country::Cm, "mtn").as_deref(), Some("*126#"));
    assert_eq!(ussd(Country::Sn, "wave"), None);
    assert!(c
        .otp_syntax(Country::Sn, "wave", Currency::Xof)
        .unwrap()
        .note
        .fr
        .contains("QR"));
    assert!(
        c.otp_syntax(Country::Cd, "orange", Currency::Usd)
            .unwrap()
            .currency
            == Some(Currency::Usd)
    );
    for (code, expected) in [
        ("EASYTRANSFERT_23", "#144#391#"),
        ("EASYTRANSFERT_27", "#144*82#"),
        ("EASYTRANSFERT_29", "#144#77#"),
    ] {
        let o = &c.get(code).unwrap().offers[0];
        assert_eq!(
            o.confirmation.as_ref().unwrap().ussd.as_deref(),
            Some(expected),
            "{code}"
        );
    }
    // A collection without OTP still tells the cashier how the customer confirms.
    let wave = &c.get("EASYTRANSFERT_21").unwrap().offers[0];
    assert!(!wave.otp_required);
    assert!(wave.confirmation.is_some());
    // A disbursement needs no confirmation.
    assert!(c.get("EASYTRANSFERT_22").unwrap().offers[0]
        .confirmation
        .is_none());
}

#[test]
fn lookups() {
    let c = catalog();
    let airtime: Vec<&str> = c.by_kind(Kind::Airtime).map(|s| s.code.as_str()).collect();
    assert_eq!(
        airtime,
        [
            "ORANGE_SN_AIRTIME",
            "FREE_SN_AIRTIME",
            "EXPRESSO_SN_AIRTIME",
            "PROMOBILE_SN_AIRTIME"
        ]
    );
    assert!(c.by_country(Country::Sn).any(|s| s.code == "UNIPESA_2354"));
    assert!(c.by_country(Country::Sn).all(|s| s.country == Country::Sn));
    assert!(c.by_operator("WAVE").any(|s| s.code == "WAVE_SN_CASHIN"));
    assert!(c.by_operator("wave").all(|s| s.operator == "wave"));
    assert_eq!(c.by_kind(Kind::Bill).count(), 2);
    assert_eq!(c.by_kind(Kind::PaymentLink).count(), 1);
    assert!(c.get("NOPE").is_none());

    let free = Phone::parse("76 123 45 67", Country::Sn).unwrap();
    let found: Vec<&str> = c
        .airtime_services_for(&free)
        .iter()
        .map(|s| s.code.as_str())
        .collect();
    assert_eq!(found, ["FREE_SN_AIRTIME"]);
    let orange = Phone::parse("78 123 45 67", Country::Sn).unwrap();
    assert_eq!(c.airtime_services_for(&orange)[0].code, "ORANGE_SN_AIRTIME");
    let fixed = Phone::parse("33 821 23 45", Country::Sn).unwrap();
    assert!(c.airtime_services_for(&fixed).is_empty());
}

// ───────────────────────────── validation ─────────────────────────────

#[test]
fn valid_requests_come_back_in_the_provider_format() {
    let c = catalog();
    let ok = c
        .validate(&req(
            "OM_SN_CASHIN",
            Kind::Disbursement,
            xof(5_000),
            Some("+221 77 123 45 67"),
        ))
        .unwrap();
    assert_eq!(ok.provider, Provider::Dexchange);
    assert_eq!(ok.native_id, "OM_SN_CASHIN");
    let phone = ok.phone.unwrap();
    assert_eq!(phone.wire, "771234567");
    assert_eq!(phone.e164, "+221771234567");
    assert_eq!(ok.commission, None);

    let mut r = req(
        "EASYTRANSFERT_27",
        Kind::Collection,
        xof(5_000),
        Some("07 01 23 45 67"),
    );
    r.otp = Some(" 1234 ".into());
    let ok = c.validate(&r).unwrap();
    assert_eq!(ok.phone.unwrap().wire, "0701234567");
    assert_eq!(ok.otp.as_deref(), Some("1234"));
    assert_eq!(ok.native_id, "27");

    let ok = c
        .validate(&req(
            "UNIPESA_2354",
            Kind::Collection,
            xof(1_100),
            Some("771234567"),
        ))
        .unwrap();
    assert_eq!(ok.phone.unwrap().wire, "221771234567");
    assert_eq!(ok.amount.to_wire(), "1100.00");

    let cdf = |n| Money::new(n, Currency::Cdf);
    for (code, wire) in [
        ("UNIPESA_2197", "0812345678"),
        ("UNIPESA_2198", "812345678"),
        ("UNIPESA_2196", "243812345678"),
    ] {
        let ok = c
            .validate(&req(
                code,
                Kind::Disbursement,
                cdf(100_000),
                Some("+243 81 234 5678"),
            ))
            .unwrap();
        assert_eq!(ok.phone.unwrap().wire, wire, "{code}");
    }

    let ok = c
        .validate(&req(
            "ORANGE_SN_AIRTIME",
            Kind::Airtime,
            xof(5_000),
            Some("77 123 45 67"),
        ))
        .unwrap();
    assert_eq!(ok.commission, Some(xof(50)));

    let mut bill = req("SENELEC_SN_BILL", Kind::Bill, xof(104_500), None);
    bill.extras
        .insert(ExtraField::ReferenceClient, " 210278816 ".into());
    let ok = c.validate(&bill).unwrap();
    assert_eq!(ok.phone, None);
    assert_eq!(ok.extras[&ExtraField::ReferenceClient], "210278816");

    // Payment link: the phone is optional.
    assert!(c
        .validate(&req(
            "DEXCHANGE_PAYMENT_LINK",
            Kind::PaymentLink,
            xof(100),
            None
        ))
        .is_ok());
}

#[test]
fn refusal_unknown_service() {
    let c = catalog();
    let r = refused(&c, &req("NOPE", Kind::Collection, xof(1_000), None));
    assert_eq!(codes(&r), [RefusalCode::UnknownService]);
    assert_eq!(r[0].field, RefusalField::Service);
    assert!(r[0].message.fr.contains("NOPE"));
}

#[test]
fn refusal_disabled_service() {
    let c = catalog();
    let mut r = req(
        "EASYTRANSFERT_29",
        Kind::Collection,
        xof(5_000),
        Some("65 01 23 45"),
    );
    r.otp = Some("1234".into());
    assert_eq!(codes(&refused(&c, &r)), [RefusalCode::ServiceDisabled]);
}

#[test]
fn refusal_kind_not_offered() {
    let c = catalog();
    let r = refused(
        &c,
        &req(
            "OM_SN_CASHIN",
            Kind::Collection,
            xof(5_000),
            Some("771234567"),
        ),
    );
    assert_eq!(codes(&r), [RefusalCode::KindNotOffered]);
    assert!(r[0].message.fr.contains("dépôt"), "{}", r[0].message.fr);
    assert!(r[0].message.en.contains("cash-in"), "{}", r[0].message.en);
}

#[test]
fn refusal_currency_and_amount() {
    let c = catalog();
    let phone = Some("771234567");
    let r = refused(
        &c,
        &req(
            "OM_SN_CASHIN",
            Kind::Disbursement,
            Money::new(5_000, Currency::Kes),
            phone,
        ),
    );
    assert_eq!(codes(&r), [RefusalCode::CurrencyMismatch]);

    let r = refused(&c, &req("OM_SN_CASHIN", Kind::Disbursement, xof(0), phone));
    assert_eq!(codes(&r), [RefusalCode::AmountNotPositive]);
    let r = refused(&c, &req("OM_SN_CASHIN", Kind::Disbursement, xof(-5), phone));
    assert_eq!(codes(&r), [RefusalCode::AmountNotPositive]);

    let r = refused(
        &c,
        &req("OM_SN_CASHIN", Kind::Disbursement, xof(150), phone),
    );
    assert_eq!(codes(&r), [RefusalCode::BelowMinimum]);
    assert_eq!(r[0].field, RefusalField::Amount);
    assert_eq!(
        r[0].message.fr,
        format!("Le montant minimum est 200{NNBSP}FCFA.")
    );
    assert_eq!(
        r[0].message.en,
        format!("The minimum amount is 200{NNBSP}FCFA.")
    );

    let r = refused(
        &c,
        &req("OM_SN_CASHIN", Kind::Disbursement, xof(1_000_001), phone),
    );
    assert_eq!(codes(&r), [RefusalCode::AboveMaximum]);
    assert_eq!(
        r[0].message.fr,
        format!("Le montant maximum est 1{NNBSP}000{NNBSP}000{NNBSP}FCFA.")
    );

    let r = refused(
        &c,
        &req(
            "EASYTRANSFERT_26",
            Kind::Disbursement,
            xof(1_250),
            Some("0701234567"),
        ),
    );
    assert_eq!(codes(&r), [RefusalCode::NotAMultiple]);
    let fr = &r[0].message.fr;
    assert!(fr.contains(&format!("100{NNBSP}FCFA")), "{fr}");
    assert!(fr.contains(&format!("1{NNBSP}200{NNBSP}FCFA")), "{fr}");
    assert!(fr.contains(&format!("1{NNBSP}300{NNBSP}FCFA")), "{fr}");

    // Limits in a two-decimal currency are formatted with their decimals.
    let r = refused(
        &c,
        &req(
            "UNIPESA_2390",
            Kind::Disbursement,
            Money::new(1_000, Currency::Kes),
            Some("0712123456"),
        ),
    );
    assert_eq!(codes(&r), [RefusalCode::BelowMinimum]);
    assert_eq!(
        r[0].message.fr,
        format!("Le montant minimum est 250,00{NNBSP}KES.")
    );
    assert_eq!(
        r[0].message.en,
        format!("The minimum amount is 250.00{NNBSP}KES.")
    );
}

#[test]
fn refusal_phone() {
    let c = catalog();
    let r = refused(
        &c,
        &req("OM_SN_CASHIN", Kind::Disbursement, xof(5_000), None),
    );
    assert_eq!(codes(&r), [RefusalCode::PhoneMissing]);
    let r = refused(
        &c,
        &req("OM_SN_CASHIN", Kind::Disbursement, xof(5_000), Some("  ")),
    );
    assert_eq!(codes(&r), [RefusalCode::PhoneMissing]);
    let r = refused(
        &c,
        &req("OM_SN_CASHIN", Kind::Disbursement, xof(5_000), Some("7712")),
    );
    assert_eq!(codes(&r), [RefusalCode::PhoneInvalid]);
    assert_eq!(r[0].field, RefusalField::Phone);
    let r = refused(
        &c,
        &req(
            "OM_SN_CASHIN",
            Kind::Disbursement,
            xof(5_000),
            Some("+225 0701234567"),
        ),
    );
    assert_eq!(codes(&r), [RefusalCode::PhoneWrongCountry]);
    let r = refused(
        &c,
        &req(
            "OM_SN_CASHIN",
            Kind::Disbursement,
            xof(5_000),
            Some("33 821 23 45"),
        ),
    );
    assert_eq!(codes(&r), [RefusalCode::PhoneNotMobile]);
}

#[test]
fn refusal_airtime_operator() {
    let c = catalog();
    let r = refused(
        &c,
        &req(
            "ORANGE_SN_AIRTIME",
            Kind::Airtime,
            xof(1_000),
            Some("76 123 45 67"),
        ),
    );
    assert_eq!(codes(&r), [RefusalCode::OperatorMismatch]);
    assert!(r[0].message.fr.contains("Free"), "{}", r[0].message.fr);
    let r = refused(
        &c,
        &req(
            "ORANGE_SN_AIRTIME",
            Kind::Airtime,
            xof(1_000),
            Some("71 123 45 67"),
        ),
    );
    assert_eq!(codes(&r), [RefusalCode::OperatorUnknown]);
    let r = refused(
        &c,
        &req(
            "FREE_SN_AIRTIME",
            Kind::Airtime,
            xof(1_000),
            Some("33 821 23 45"),
        ),
    );
    assert_eq!(codes(&r), [RefusalCode::PhoneNotMobile]);
    assert!(c
        .validate(&req(
            "PROMOBILE_SN_AIRTIME",
            Kind::Airtime,
            xof(1_000),
            Some("75 123 45 67")
        ))
        .is_ok());
    assert!(c
        .validate(&req(
            "EXPRESSO_SN_AIRTIME",
            Kind::Airtime,
            xof(1_000),
            Some("70 123 45 67")
        ))
        .is_ok());
}

#[test]
fn refusal_otp() {
    let c = catalog();
    let base = req(
        "EASYTRANSFERT_23",
        Kind::Collection,
        xof(5_000),
        Some("77 123 45 67"),
    );
    let r = refused(&c, &base);
    assert_eq!(codes(&r), [RefusalCode::OtpMissing]);
    assert_eq!(r[0].field, RefusalField::Otp);
    assert!(r[0].message.fr.contains("#144#391#"), "{}", r[0].message.fr);
    for bad in ["12a4", "123", "123456789"] {
        let mut x = base.clone();
        x.otp = Some(bad.into());
        assert_eq!(codes(&refused(&c, &x)), [RefusalCode::OtpInvalid], "{bad}");
    }
    // Burkina: the amount is filled into the USSD code.
    let r = refused(
        &c,
        &req(
            "UNIPESA_9209",
            Kind::Collection,
            xof(5_000),
            Some("70 12 34 56"),
        ),
    );
    assert_eq!(codes(&r), [RefusalCode::OtpMissing]);
    assert!(
        r[0].message.fr.contains("*144*4*6*5000#"),
        "{}",
        r[0].message.fr
    );
}

#[test]
fn refusal_extras() {
    let c = catalog();
    let base = req(
        "UNIPESA_2352",
        Kind::Collection,
        Money::new(5_000, Currency::Rwf),
        Some("0720 123 456"),
    );
    let r = refused(&c, &base);
    assert_eq!(
        codes(&r),
        [RefusalCode::ExtraMissing, RefusalCode::ExtraMissing]
    );
    assert_eq!(r[0].extra, Some(ExtraField::CustomerName));
    assert_eq!(r[1].extra, Some(ExtraField::CustomerEmail));
    assert!(r.iter().all(|x| x.field == RefusalField::Extra));

    let mut x = base.clone();
    x.extras.insert(ExtraField::CustomerName, "Awa Diop".into());
    x.extras
        .insert(ExtraField::CustomerEmail, "awa.example.sn".into());
    let r = refused(&c, &x);
    assert_eq!(codes(&r), [RefusalCode::ExtraInvalid]);
    assert_eq!(r[0].extra, Some(ExtraField::CustomerEmail));

    x.extras
        .insert(ExtraField::CustomerEmail, "awa@example.sn".into());
    let ok = c.validate(&x).unwrap();
    assert_eq!(ok.extras.len(), 2);

    let mut bill = req("SENEAU_SN_BILL", Kind::Bill, xof(10_000), None);
    bill.extras
        .insert(ExtraField::ReferenceClient, "   ".into());
    assert_eq!(codes(&refused(&c, &bill)), [RefusalCode::ExtraMissing]);
}

#[test]
fn every_refusal_at_once() {
    let c = catalog();
    let r = refused(
        &c,
        &req("EASYTRANSFERT_23", Kind::Collection, xof(250), Some("12")),
    );
    assert_eq!(
        codes(&r),
        [
            RefusalCode::BelowMinimum,
            RefusalCode::NotAMultiple,
            RefusalCode::PhoneInvalid,
            RefusalCode::OtpMissing
        ]
    );
    // Disabled + above max + wrong country + bad OTP together.
    let mut x = req(
        "EASYTRANSFERT_29",
        Kind::Collection,
        xof(600_000),
        Some("+221771234567"),
    );
    x.otp = Some("abc".into());
    assert_eq!(
        codes(&refused(&c, &x)),
        [
            RefusalCode::ServiceDisabled,
            RefusalCode::AboveMaximum,
            RefusalCode::PhoneWrongCountry,
            RefusalCode::OtpInvalid
        ]
    );
    // Kind not offered still checks the phone.
    let r = refused(
        &c,
        &req("OM_SN_CASHIN", Kind::Airtime, xof(5_000), Some("12")),
    );
    assert_eq!(
        codes(&r),
        [RefusalCode::KindNotOffered, RefusalCode::PhoneInvalid]
    );
    // Every message is bilingual and distinct.
    for x in &r {
        assert!(!x.message.fr.is_empty() && !x.message.en.is_empty());
        assert_ne!(x.message.fr, x.message.en);
    }
}

#[test]
fn serialises_for_the_ui() {
    let c = catalog();
    let r = refused(
        &c,
        &req(
            "OM_SN_CASHIN",
            Kind::Disbursement,
            xof(150),
            Some("771234567"),
        ),
    );
    let json = serde_json::to_value(&r[0]).unwrap();
    assert_eq!(json["code"], "below_minimum");
    assert_eq!(json["field"], "amount");
    assert!(json["message"]["fr"].is_string());
    let s = serde_json::to_value(c.get("UNIPESA_9209").unwrap()).unwrap();
    assert_eq!(s["provider"], "unipesa");
    assert_eq!(s["country"], "BF");
    assert_eq!(s["phone_format"], "international");
    assert_eq!(s["offers"][0]["kind"], "collection");
    assert_eq!(
        s["offers"][0]["min"],
        serde_json::json!({"minor": 200, "currency": "XOF"})
    );
    let back: Service = serde_json::from_value(s).unwrap();
    assert_eq!(&back, c.get("UNIPESA_9209").unwrap());
    let request: OperationRequest = serde_json::from_value(serde_json::json!({
        "service_code": "UNIPESA_2352",
        "kind": "collection",
        "amount": {"minor": 5000, "currency": "RWF"},
        "phone": "0720123456",
        "extras": {"customer_name": "Awa", "customer_email": "a@b.rw"}
    }))
    .unwrap();
    assert!(c.validate(&request).is_ok());
    let cfg = ts_rs::Config::default();
    assert!(<Service as TS>::decl(&cfg).contains("offers: Array<Offer>"));
    assert!(<RefusalCode as TS>::decl(&cfg).contains("\"below_minimum\""));
    assert!(<Kind as TS>::decl(&cfg).contains("\"payment_link\""));
}

// ───────────────────────────── override file ─────────────────────────────

const SMALL: &str = r##"
version = 1

[[otp_syntax]]
country = "SN"
operator = "orange"
ussd = "#144#391#"
note = { fr = "OTP", en = "OTP" }

[[service]]
code = "EASYTRANSFERT_23"
provider = "easytransfert"
native_id = "23"
name = { fr = "Orange Money Sénégal : retrait", en = "Orange Money Senegal: cash-out" }
country = "SN"
operator = "orange"
currency = "XOF"
phone_format = "national_trunk"
offers = [
  { kind = "collection", min = 1000, max = 2000, multiple_of = 100, otp = true },
]
"##;

#[test]
fn override_file_is_used() {
    let dir = tempfile::tempdir().unwrap();
    // No file: the embedded catalog.
    let c = Catalog::load(Some(dir.path())).unwrap();
    assert_eq!(c.origin(), &CatalogOrigin::Embedded);
    assert_eq!(Catalog::load(None).unwrap().services().len(), 155);

    let path = dir.path().join(OVERRIDE_FILE_NAME);
    std::fs::write(&path, SMALL).unwrap();
    let c = Catalog::load(Some(dir.path())).unwrap();
    assert_eq!(c.origin(), &CatalogOrigin::File(path));
    assert_eq!(c.services().len(), 1);
    let o = offer(&c, "EASYTRANSFERT_23", Kind::Collection);
    assert_eq!(limits(o), (Some(1_000), Some(2_000), Some(100)));
    assert_eq!(
        o.confirmation.as_ref().unwrap().ussd.as_deref(),
        Some("#144#391#")
    );
    let r = refused(
        &c,
        &req(
            "EASYTRANSFERT_23",
            Kind::Collection,
            xof(500),
            Some("771234567"),
        ),
    );
    assert_eq!(
        codes(&r),
        [RefusalCode::BelowMinimum, RefusalCode::OtpMissing]
    );
    assert!(c.get("OM_SN_CASHIN").is_none());
}

fn override_error(content: &str) -> CatalogError {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(OVERRIDE_FILE_NAME), content).unwrap();
    let err = Catalog::load(Some(dir.path())).expect_err("a bad override must fail");
    assert!(err.file().ends_with(OVERRIDE_FILE_NAME), "{err}");
    assert!(err.to_string().contains(OVERRIDE_FILE_NAME), "{err}");
    let m = err.message();
    assert!(m.fr.contains(OVERRIDE_FILE_NAME) && m.en.contains(OVERRIDE_FILE_NAME));
    err
}

#[test]
fn bad_override_file_is_a_clear_error() {
    // TOML syntax error on line 3.
    let err = override_error("version = 1\n\n[[service]\ncode = \"X\"\n");
    assert!(matches!(err, CatalogError::Parse { line: 3, .. }), "{err}");

    // An unknown field, line 17 of SMALL with `limit = 5` added there.
    let bad = SMALL.replace("currency = \"XOF\"\n", "currency = \"XOF\"\nlimit = 5\n");
    let err = override_error(&bad);
    let line = bad.lines().position(|l| l == "limit = 5").unwrap() + 1;
    assert!(matches!(err, CatalogError::Parse { .. }), "{err}");
    assert_eq!(err.line(), Some(line), "{err}");
    assert!(err.to_string().contains("limit"), "{err}");

    // A bad enum value, named with its line.
    let bad = SMALL.replace("kind = \"collection\"", "kind = \"cashout\"");
    let err = override_error(&bad);
    let line = bad.lines().position(|l| l.contains("cashout")).unwrap() + 1;
    assert_eq!(err.line(), Some(line), "{err}");

    // Semantic errors point at the service's entry.
    let twice = format!("{SMALL}\n{}", &SMALL[SMALL.find("[[service]]").unwrap()..]);
    let err = override_error(&twice);
    let second = twice.match_indices("[[service]]").nth(1).unwrap().0;
    let line = twice[..second].matches('\n').count() + 1;
    assert!(matches!(err, CatalogError::Invalid { .. }), "{err}");
    assert_eq!(err.line(), Some(line), "{err}");
    assert!(err.to_string().contains("already used"), "{err}");

    let err = override_error(&SMALL.replace("min = 1000", "min = 3000"));
    assert!(err.to_string().contains("min is above max"), "{err}");
    let err = override_error(&SMALL.replace("min = 1000", "min = \"10.5\""));
    assert!(err.to_string().contains("decimals"), "{err}");
    let err = override_error(&SMALL.replace("version = 1", "version = 2"));
    assert_eq!(err.line(), Some(2), "{err}");
    let err = override_error(&SMALL.replace(
        "phone_format = \"national_trunk\"\n",
        "phone_required = true\n",
    ));
    assert!(err.to_string().contains("phone_format"), "{err}");
    let err = override_error(&SMALL.replace("code = \"EASYTRANSFERT_23\"", "code = \"bad code\""));
    assert!(matches!(err, CatalogError::Invalid { .. }), "{err}");
}

#[test]
fn unreadable_override_is_an_error_too() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where the file should be: exists, cannot be read as a file.
    std::fs::create_dir(dir.path().join(OVERRIDE_FILE_NAME)).unwrap();
    let err = Catalog::load(Some(dir.path())).expect_err("must not fall back");
    assert!(matches!(err, CatalogError::Io { .. }), "{err}");
    assert_eq!(err.line(), None);
}

#[test]
fn every_ui_type_has_a_typescript_declaration() {
    use crate::money::Target;
    use crate::phone::{LineType, SnOperator};
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        Currency::decl(&cfg),
        Money::decl(&cfg),
        Target::decl(&cfg),
        Country::decl(&cfg),
        PhoneFormat::decl(&cfg),
        LineType::decl(&cfg),
        SnOperator::decl(&cfg),
        Provider::decl(&cfg),
        Kind::decl(&cfg),
        ExtraField::decl(&cfg),
        OtpSyntax::decl(&cfg),
        Offer::decl(&cfg),
        Service::decl(&cfg),
        OperationRequest::decl(&cfg),
        ValidatedPhone::decl(&cfg),
        ValidatedRequest::decl(&cfg),
        RefusalCode::decl(&cfg),
        RefusalField::decl(&cfg),
        Refusal::decl(&cfg),
    ];
    for d in &decls {
        assert!(d.starts_with("type "), "{d}");
        assert!(!d.contains("bigint"), "{d}");
    }
    if std::env::var_os("PRINT_TS").is_some() {
        println!("{}", decls.join("\n"));
    }
}
