//! Receipts reach a printer as ESC/POS: a fake network printer on 127.0.0.1 and a device file.

use std::io::Read;
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use guichet_core::catalog::Catalog;
use guichet_core::ledger::{Details, Operation, OperationStatus};
use guichet_core::printer::{self, escpos_bytes, PrinterConfig, PrinterConnection, PrinterError};
use guichet_core::receipt::{
    render_with_catalog, CopyKind, PaperWidth, Receipt, ReceiptOptions, ShopHeader,
};
use guichet_core::text::Language;
use uuid::Uuid;

const ESC: u8 = 0x1b;
const GS: u8 = 0x1d;
const SHOP: &str = "Boutique Ndèye Fatou";

fn woyofal_receipt(width: PaperWidth) -> Receipt {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 14, 5, 0).unwrap();
    let op = Operation {
        id: Uuid::nil(),
        idempotency_key: "gch-0192f3a4-7b6c-7d8e".into(),
        provider: "dexchange".into(),
        service_code: "WOYOFAL_SN_BILL".into(),
        kind: "prepaid".into(),
        country: "SN".into(),
        currency: "XOF".into(),
        amount_minor: 5_000,
        fee_minor: Some(0),
        customer_ref: "14234567890".into(),
        invoice_ref: None,
        status: OperationStatus::Success,
        provider_ref: Some("DX-TRX-000042".into()),
        token: Some("12345678901234567890".into()),
        operator_name: "Awa Diop".into(),
        training: true,
        details: Details::new(),
        created_at: at,
        updated_at: at,
    };
    let opts = ReceiptOptions {
        shop: ShopHeader {
            name: SHOP.into(),
            address: Some("Médina, Dakar".into()),
            lines: vec![],
        },
        language: Language::Fr,
        copy: CopyKind::Customer,
        duplicate: 0,
        width,
    };
    render_with_catalog(&op, &Catalog::embedded(), &opts)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Checks what every receipt's ESC/POS must hold.
fn assert_escpos(bytes: &[u8]) {
    // Init, then code page PC858 (ESC t 19).
    assert_eq!(&bytes[..2], &[ESC, b'@'], "starts with ESC @");
    assert_eq!(
        &bytes[2..5],
        &[ESC, b't', 19],
        "selects PC858 right after init"
    );
    // The shop name, è in PC858 (0x8A), é (0x82) — never as UTF-8 (0xC3 0xA8 / 0xC3 0xA9).
    assert!(
        find(bytes, b"Boutique Nd\x8Aye Fatou").is_some(),
        "shop name in PC858"
    );
    assert!(find(bytes, &[0xC3]).is_none(), "no UTF-8 left");
    assert!(find(bytes, b"M\x82dina").is_some());
    // À (0xB7) and « — » falls back to '-'.
    assert!(find(bytes, b"FORMATION - aucun argent r\x82el").is_some());
    assert!(find(bytes, b"CODE \xB7 SAISIR").is_some());
    // The token, bold and double size around it: ESC E 1, GS ! 0x11, digits, GS ! 0, ESC E 0.
    let first = find(bytes, b"1234 5678 9012").expect("token, first line");
    assert_eq!(&bytes[first - 6..first], &[ESC, b'E', 1, GS, b'!', 0x11]);
    let after = first + b"1234 5678 9012".len();
    assert_eq!(&bytes[after..after + 6], &[GS, b'!', 0x00, ESC, b'E', 0]);
    assert!(find(bytes, b"3456 7890").is_some(), "token, second line");
    // The total in bold double height.
    let total = find(bytes, b"TOTAL").unwrap();
    assert_eq!(&bytes[total - 6..total], &[ESC, b'E', 1, GS, b'!', 0x01]);
    // Ends with a cut (GS V A 0: feed to the cutter and cut).
    assert!(bytes.ends_with(&[GS, b'V', b'A', 0]), "ends with a cut");
    // No stray control characters inside text runs: every ESC/GS is a command we sent.
    assert!(!bytes.contains(&0xF0), "no soft hyphen for '-'");
}

#[test]
fn escpos_bytes_of_a_receipt() {
    for width in [PaperWidth::Mm58, PaperWidth::Mm80] {
        let bytes = escpos_bytes(&woyofal_receipt(width)).unwrap();
        if width == PaperWidth::Mm58 {
            assert_escpos(&bytes);
        }
        assert!(bytes.ends_with(&[GS, b'V', b'A', 0]));
    }
    // At 80 mm the whole token is on one large line.
    let bytes = escpos_bytes(&woyofal_receipt(PaperWidth::Mm80)).unwrap();
    assert!(find(&bytes, b"1234 5678 9012 3456 7890").is_some());
}

#[test]
fn fake_network_printer_receives_the_receipt() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    let server = thread::spawn(move || {
        let (mut sock, _) = listener.accept().unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut got = Vec::new();
        sock.read_to_end(&mut got).unwrap();
        tx.send(got).unwrap();
    });
    let config = PrinterConfig {
        connection: PrinterConnection::Network {
            host: "127.0.0.1".into(),
            port,
        },
        width: PaperWidth::Mm58,
    };
    let receipt = woyofal_receipt(PaperWidth::Mm58);
    printer::print(&receipt, &config).unwrap();
    let got = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    server.join().unwrap();
    assert_escpos(&got);
    assert_eq!(
        got,
        escpos_bytes(&receipt).unwrap(),
        "exactly the rendered bytes"
    );
}

#[test]
fn host_names_resolve() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        let (mut sock, _) = listener.accept().unwrap();
        let mut got = Vec::new();
        sock.read_to_end(&mut got).unwrap();
        got
    });
    let config = PrinterConfig {
        connection: PrinterConnection::Network {
            host: "localhost".into(),
            port,
        },
        width: PaperWidth::Mm58,
    };
    // localhost may resolve to ::1 first: the printer falls through to 127.0.0.1.
    printer::print(&woyofal_receipt(PaperWidth::Mm58), &config).unwrap();
    assert_escpos(&server.join().unwrap());
}

#[test]
fn unreachable_printer_is_a_typed_error() {
    // A port nobody listens on: bind, note it, close.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let config = PrinterConfig {
        connection: PrinterConnection::Network {
            host: "127.0.0.1".into(),
            port,
        },
        width: PaperWidth::Mm58,
    };
    let e = printer::print(&woyofal_receipt(PaperWidth::Mm58), &config).unwrap_err();
    assert_eq!(e.code(), "printer_unreachable", "{e:?}");
    assert_eq!(
        e.message().fr,
        format!("Imprimante injoignable à 127.0.0.1:{port} — vérifiez qu'elle est allumée et branchée au réseau.")
    );
    let empty = PrinterConfig::network("  ", PaperWidth::Mm58);
    let e = printer::print(&woyofal_receipt(PaperWidth::Mm58), &empty).unwrap_err();
    assert_eq!(e.code(), "printer_host_not_found");
}

/// A pseudo-terminal in raw mode: its slave side is a character device, as `/dev/usb/lp0` is, and
/// what is written there comes back byte for byte from the master side.
#[cfg(unix)]
fn raw_pty() -> (std::fs::File, std::fs::File, String) {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    use rustix::termios::{tcgetattr, tcsetattr, OptionalActions};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let path = ptsname(&master, Vec::new()).unwrap().into_string().unwrap();
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .unwrap();
    let mut termios = tcgetattr(&slave).unwrap();
    termios.make_raw();
    tcsetattr(&slave, OptionalActions::Now, &termios).unwrap();
    (std::fs::File::from(master), slave, path)
}

#[cfg(unix)]
#[test]
fn device_file_receives_the_receipt() {
    use std::io::Read;
    let (mut master, _slave, path) = raw_pty();
    let config = PrinterConfig::device(&path, PaperWidth::Mm58);
    let receipt = woyofal_receipt(PaperWidth::Mm58);
    let expected = escpos_bytes(&receipt).unwrap();
    let len = expected.len();
    // Read while the printer writes: a pty holds only a few kilobytes.
    let reader = std::thread::spawn(move || {
        let mut got = vec![0; len];
        master.read_exact(&mut got).unwrap();
        got
    });
    printer::print(&receipt, &config).unwrap();
    let got = reader.join().unwrap();
    assert_escpos(&got);
    assert_eq!(got, expected);
}

#[test]
fn missing_device_and_other_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("lp9");
    let receipt = woyofal_receipt(PaperWidth::Mm58);
    let e = printer::print(
        &receipt,
        &PrinterConfig::device(missing.to_str().unwrap(), PaperWidth::Mm58),
    )
    .unwrap_err();
    assert!(matches!(e, PrinterError::DeviceNotFound { .. }), "{e:?}");
    assert!(
        !missing.exists(),
        "never creates a file where a device was expected"
    );
    assert!(e.message().fr.contains("USB"));

    let system = PrinterConfig {
        connection: PrinterConnection::System,
        width: PaperWidth::Mm58,
    };
    assert_eq!(
        printer::print(&receipt, &system),
        Err(PrinterError::SystemDialog)
    );

    // A 48-column receipt on a 58 mm printer would wrap badly: refused.
    let wide = woyofal_receipt(PaperWidth::Mm80);
    let path = dir.path().join("lp0");
    std::fs::write(&path, b"").unwrap();
    let e = printer::print(
        &wide,
        &PrinterConfig::device(path.to_str().unwrap(), PaperWidth::Mm58),
    )
    .unwrap_err();
    assert_eq!(
        e,
        PrinterError::WidthMismatch {
            receipt: 48,
            printer: 32
        }
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"", "nothing sent");
}

#[test]
fn a_regular_file_is_never_printed_to() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("guichet.db");
    std::fs::write(&ledger, b"SQLite format 3\0 the ledger").unwrap();
    let receipt = woyofal_receipt(PaperWidth::Mm58);
    let e = printer::print(
        &receipt,
        &PrinterConfig::device(ledger.to_str().unwrap(), PaperWidth::Mm58),
    )
    .unwrap_err();
    assert!(matches!(e, PrinterError::NotADevice { .. }), "{e:?}");
    assert_eq!(e.code(), "printer_not_a_device");
    assert_eq!(
        std::fs::read(&ledger).unwrap(),
        b"SQLite format 3\0 the ledger",
        "the ledger is untouched"
    );
}
