//! The till's catalog and the sandbox agree, field by field: every service of the catalog is
//! served by the sandbox with the same country, currency, phone format, limits, multiples, OTP
//! requirement and extra fields, and both take the same OTP length. Both read
//! `src/catalog/services.toml`, each with its own code; this test is what stops the two
//! readings (or a hand-written rule on either side) from drifting.

use guichet_core::catalog::{Catalog, Kind, Offer, Provider, Service, EMBEDDED_TOML};
use guichet_core::money::Money;
use guichet_core::phone::Phone;
use guichet_sandbox::catalog::{self as sb, CatalogOffer};
use guichet_sandbox::dexchange::services as dex;
use guichet_sandbox::easytransfert;
use guichet_sandbox::unipesa::providers;

/// An amount in hundredths of the major unit, as the sandbox keeps it.
fn hundredths(m: &Money) -> i64 {
    m.minor * 10i64.pow(2 - u32::from(m.currency.exponent()))
}

fn compare_offer(code: &str, core: &Offer, sandbox: &CatalogOffer, out: &mut Vec<String>) {
    let mut diff = |what: &str, c: String, s: String| {
        if c != s {
            out.push(format!(
                "{code} {:?} {what}: catalog {c}, sandbox {s}",
                core.kind
            ));
        }
    };
    for (what, c, sbx) in [
        ("min", &core.min, sandbox.min),
        ("max", &core.max, sandbox.max),
        ("multiple_of", &core.multiple_of, sandbox.multiple_of),
    ] {
        diff(
            what,
            format!("{:?}", c.as_ref().map(hundredths)),
            format!("{sbx:?}"),
        );
    }
    diff(
        "otp",
        core.otp_required.to_string(),
        sandbox.otp.to_string(),
    );
    let extras: Vec<&str> = core.extras.iter().map(|e| e.key()).collect();
    diff(
        "extras",
        format!("{extras:?}"),
        format!("{:?}", sandbox.extras),
    );
}

/// A valid mobile of the service's country, as the till would send it.
fn wire_phone(s: &Service) -> Option<String> {
    let format = s.phone_format?;
    let example = s.country.example_mobile()?;
    Some(Phone::parse(example, s.country).ok()?.wire(format))
}

fn gateway(s: &Service, out: &mut Vec<String>) {
    let Some(p) = s.native_id.parse().ok().and_then(providers::find) else {
        out.push(format!(
            "{}: the sandbox does not serve provider_id {}",
            s.code, s.native_id
        ));
        return;
    };
    if !p.simulator {
        if p.country != s.country.code() {
            out.push(format!(
                "{}: country {} vs {}",
                s.code, s.country, p.country
            ));
        }
        if p.currency != s.currency.code() {
            out.push(format!(
                "{}: currency {} vs {}",
                s.code, s.currency, p.currency
            ));
        }
        if let Some(phone) = wire_phone(s) {
            if !p.phone.matches(&phone) {
                out.push(format!(
                    "{}: the till sends {phone}, the sandbox wants {}",
                    s.code,
                    p.phone.describe()
                ));
            }
        }
    }
    for (kind, offer) in [(Kind::Collection, p.c2b), (Kind::Disbursement, p.b2c)] {
        match (s.offer(kind), offer) {
            (Some(c), Some(o)) => compare_offer(&s.code, c, o, out),
            (None, None) => {}
            (c, o) => out.push(format!(
                "{} {kind:?}: catalog {}, sandbox {}",
                s.code,
                c.is_some(),
                o.is_some()
            )),
        }
    }
}

fn easytransfert(s: &Service, out: &mut Vec<String>) {
    let Some(e) = easytransfert::services()
        .iter()
        .find(|e| e.id.to_string() == s.native_id)
    else {
        out.push(format!(
            "{}: the sandbox does not serve service_id {}",
            s.code, s.native_id
        ));
        return;
    };
    if e.country != s.country.code() {
        out.push(format!(
            "{}: country {} vs {}",
            s.code, s.country, e.country
        ));
    }
    match s.offers.as_slice() {
        [offer] => {
            if e.cash_out != (offer.kind == Kind::Collection) || e.needs_otp != offer.otp_required {
                out.push(format!("{}: direction or om_otp differ", s.code));
            }
            compare_offer(&s.code, offer, e.offer, out);
        }
        _ => out.push(format!("{}: one offer expected", s.code)),
    }
}

fn dexchange(s: &Service, out: &mut Vec<String>) {
    if s.native_id != dex::PAYMENT_LINK_CODE && dex::find(&s.native_id).is_none() {
        out.push(format!(
            "{}: the sandbox does not serve serviceCode {}",
            s.code, s.native_id
        ));
    }
    if s.currency.code() != "XOF" && s.currency.code() != "XAF" {
        out.push(format!("{}: DEXCHANGE works in FCFA", s.code));
    }
    let major = |m: &Option<Money>| m.as_ref().map(|m| hundredths(m) / 100);
    for offer in &s.offers {
        let (min, max) = dex::limits(&s.native_id);
        if (major(&offer.min), major(&offer.max)) != (min, max) {
            out.push(format!(
                "{} {:?}: limits {:?}..{:?} vs sandbox {min:?}..{max:?}",
                s.code,
                offer.kind,
                major(&offer.min),
                major(&offer.max)
            ));
        }
    }
}

/// Every difference between a catalog and the sandbox's rules.
fn differences(core: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    let rule = sb::otp_rule();
    if core.otp_digits() != (rule.min_digits..=rule.max_digits) {
        out.push(format!(
            "OTP length: catalog {:?}, sandbox {}",
            core.otp_digits(),
            rule.describe()
        ));
    }
    for s in core.services() {
        match s.provider {
            Provider::Unipesa => gateway(s, &mut out),
            Provider::Easytransfert => easytransfert(s, &mut out),
            Provider::Dexchange => dexchange(s, &mut out),
        }
    }
    // And nothing the sandbox serves is unknown to the catalog.
    for p in providers::providers() {
        if core.get(&format!("UNIPESA_{}", p.id)).is_none() {
            out.push(format!(
                "sandbox provider_id {} is not in the catalog",
                p.id
            ));
        }
    }
    for e in easytransfert::services() {
        if core.get(&format!("EASYTRANSFERT_{}", e.id)).is_none() {
            out.push(format!("sandbox service_id {} is not in the catalog", e.id));
        }
    }
    for d in dex::SERVICES {
        if core.get(d.code).is_none() {
            out.push(format!(
                "sandbox serviceCode {} is not in the catalog",
                d.code
            ));
        }
    }
    out
}

#[test]
fn the_sandbox_serves_every_catalog_service_with_the_catalogs_rules() {
    let catalog = Catalog::embedded();
    let gateway_ids = catalog.by_provider(Provider::Unipesa).count();
    assert_eq!(gateway_ids, 110, "the seed's gateway provider ids");
    assert_eq!(providers::providers().len(), gateway_ids);
    let diffs = differences(&catalog);
    assert!(
        diffs.is_empty(),
        "catalog and sandbox differ:\n{}",
        diffs.join("\n")
    );
}

/// The comparison sees a limit, a currency, an OTP requirement or the OTP length that differ.
#[test]
fn a_rule_that_differs_is_reported() {
    let changed = |from: &str, to: &str| {
        assert!(EMBEDDED_TOML.contains(from), "{from}");
        let src = EMBEDDED_TOML.replacen(from, to, 1);
        differences(&Catalog::from_toml(&src, "changed.toml").unwrap())
    };
    let d = changed(
        r#"{ kind = "prepaid", min = 1000,"#,
        r#"{ kind = "prepaid", min = 1500,"#,
    );
    assert!(d.iter().any(|x| x.starts_with("WOYOFAL_SN_BILL")), "{d:?}");
    let d = changed("max_digits = 8", "max_digits = 6");
    assert!(d.iter().any(|x| x.starts_with("OTP length")), "{d:?}");
    let d = changed(
        "code = \"UNIPESA_9227\"\nprovider = \"unipesa\"\nnative_id = \"9227\"",
        "code = \"UNIPESA_9227\"\nprovider = \"unipesa\"\nnative_id = \"9227\"\n# changed",
    );
    assert!(d.is_empty(), "{d:?}");
    let d = changed("currency = \"GMD\"", "currency = \"XOF\"");
    assert!(
        d.iter().any(|x| x.contains("UNIPESA_9227: currency")),
        "{d:?}"
    );
    let d = changed("multiple_of = 100, otp = true }", "multiple_of = 100 }");
    assert!(d.iter().any(|x| x.contains("EASYTRANSFERT_27")), "{d:?}");
    let d = changed(
        r#"{ kind = "collection", min = 100, max = 500_000 },"#,
        r#"{ kind = "collection", min = 100, max = 400_000 },"#,
    );
    assert!(
        d.iter()
            .any(|x| x.starts_with("UNIPESA_2354 Collection max")),
        "{d:?}"
    );
}
