//! Printing a [`Receipt`] on an ESC/POS thermal printer: over the network (raw TCP, port
//! 9100), through a device file (`/dev/usb/lp0`), or, for [`PrinterConnection::System`], by
//! the webview's own print dialog (the UI does that; the core only says so).
//!
//! [`escpos_bytes`] turns the receipt model into ESC/POS with the `escpos` crate's commands:
//! `ESC @` (init), `ESC t 19` (code page PC858, for French accents), `ESC a` (alignment),
//! `ESC E` (bold), `GS !` (double height / width) and, at the end, `GS V A 0` (feed and cut).
//! The text itself is encoded by [`pc858::encode`]. [`print`] sends those bytes with the
//! crate's network or file driver. Printing blocks (up to [`DEFAULT_TIMEOUT`] to connect):
//! call it off the async runtime (`spawn_blocking`).

pub mod pc858;

use std::cell::RefCell;
use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use escpos::driver::{Driver, FileDriver, NetworkDriver};
use escpos::printer::Printer;
use escpos::printer_options::PrinterOptions;
use escpos::utils::{JustifyMode, PageCode, Protocol};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::receipt::{Align, PaperWidth, Receipt, TextSize};
use crate::text::Localized;

/// The raw-printing TCP port of network receipt printers (JetDirect / AppSocket).
pub const DEFAULT_PORT: u16 = 9100;

/// How long to wait for a network printer to accept the connection and each write.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

fn default_port() -> u16 {
    DEFAULT_PORT
}

/// How the till reaches its printer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PrinterConnection {
    /// A network printer (Ethernet / Wi-Fi), raw TCP.
    Network {
        /// IP address or host name (`192.168.1.50`).
        host: String,
        /// TCP port, 9100 unless the printer says otherwise.
        #[serde(default = "default_port")]
        port: u16,
    },
    /// A printer seen as a device file (`/dev/usb/lp0`, a serial port set up beforehand).
    Device {
        /// The device's path.
        path: String,
    },
    /// The operating system's print dialog (any printer, or a PDF): done by the UI.
    System,
}

/// The till's printer: where it is and how wide its paper is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrinterConfig {
    /// Where the printer is.
    pub connection: PrinterConnection,
    /// Its paper roll (58 mm = 32 columns, 80 mm = 48).
    pub width: PaperWidth,
}

impl PrinterConfig {
    /// A network printer on port 9100.
    pub fn network(host: impl Into<String>, width: PaperWidth) -> Self {
        Self {
            connection: PrinterConnection::Network {
                host: host.into(),
                port: DEFAULT_PORT,
            },
            width,
        }
    }

    /// A printer behind a device file.
    pub fn device(path: impl Into<String>, width: PaperWidth) -> Self {
        Self {
            connection: PrinterConnection::Device { path: path.into() },
            width,
        }
    }

    /// True when the UI must print through the system dialog ([`print`] cannot).
    pub fn uses_system_dialog(&self) -> bool {
        self.connection == PrinterConnection::System
    }
}

/// Why a receipt did not print.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PrinterError {
    /// The configuration says the system dialog: the UI prints, not the core.
    #[error("this printer is driven by the system print dialog")]
    SystemDialog,
    /// The receipt was laid out for another paper width than the printer's.
    #[error("receipt laid out for {receipt} columns, printer has {printer}")]
    WidthMismatch {
        /// The receipt's columns.
        receipt: usize,
        /// The printer's columns.
        printer: usize,
    },
    /// No host configured, or a host name that does not resolve.
    #[error("printer host {host:?} not found: {detail}")]
    HostNotFound {
        /// The configured host.
        host: String,
        /// What the resolver said.
        detail: String,
    },
    /// Nothing answered at host:port (refused, timeout, no route).
    #[error("printer unreachable at {host}:{port}: {detail}")]
    Unreachable {
        /// The configured host.
        host: String,
        /// The port.
        port: u16,
        /// The system's error.
        detail: String,
    },
    /// The device file does not exist (printer unplugged or another name).
    #[error("printer device {path} does not exist")]
    DeviceNotFound {
        /// The device's path.
        path: String,
    },
    /// The device file exists but this user may not write to it.
    #[error("no permission to write to printer device {path}")]
    DevicePermission {
        /// The device's path.
        path: String,
    },
    /// The path is not a printer device (a regular file, a folder…): never written to.
    #[error("{path} is not a printer device")]
    NotADevice {
        /// The path given.
        path: String,
    },
    /// The device file could not be opened for another reason.
    #[error("cannot open printer device {path}: {detail}")]
    Device {
        /// The device's path.
        path: String,
        /// The system's error.
        detail: String,
    },
    /// The connection was made but sending failed: part of the receipt may have printed.
    #[error("printing to {target} failed: {detail}")]
    WriteFailed {
        /// `host:port` or the device path.
        target: String,
        /// The system's error.
        detail: String,
    },
    /// The receipt could not be turned into ESC/POS (should not happen).
    #[error("ESC/POS encoding failed: {0}")]
    Encoding(String),
}

impl PrinterError {
    /// A stable machine code (`printer_unreachable`).
    pub fn code(&self) -> &'static str {
        match self {
            PrinterError::SystemDialog => "printer_system_dialog",
            PrinterError::WidthMismatch { .. } => "printer_width_mismatch",
            PrinterError::HostNotFound { .. } => "printer_host_not_found",
            PrinterError::Unreachable { .. } => "printer_unreachable",
            PrinterError::DeviceNotFound { .. } => "printer_device_not_found",
            PrinterError::DevicePermission { .. } => "printer_device_permission",
            PrinterError::Device { .. } => "printer_device_error",
            PrinterError::NotADevice { .. } => "printer_not_a_device",
            PrinterError::WriteFailed { .. } => "printer_write_failed",
            PrinterError::Encoding(_) => "printer_encoding",
        }
    }

    /// What the cashier reads and what to do, in French and English.
    pub fn message(&self) -> Localized {
        match self {
            PrinterError::SystemDialog => Localized::new(
                "Cette imprimante passe par la fenêtre d'impression du système.",
                "This printer goes through the system print dialog.",
            ),
            PrinterError::WidthMismatch { receipt, printer } => Localized::new(
                format!("Ticket préparé pour {receipt} colonnes, l'imprimante en a {printer} : réglez la largeur du papier dans les paramètres."),
                format!("Receipt laid out for {receipt} columns, the printer has {printer}: set the paper width in the settings."),
            ),
            PrinterError::HostNotFound { host, .. } if host.trim().is_empty() => Localized::new(
                "Aucune adresse d'imprimante réseau : saisissez-la dans les paramètres.",
                "No network printer address: enter it in the settings.",
            ),
            PrinterError::HostNotFound { host, .. } => Localized::new(
                format!("Imprimante « {host} » introuvable sur le réseau — vérifiez son adresse dans les paramètres."),
                format!("Printer \"{host}\" not found on the network — check its address in the settings."),
            ),
            PrinterError::Unreachable { host, port, .. } => Localized::new(
                format!("Imprimante injoignable à {host}:{port} — vérifiez qu'elle est allumée et branchée au réseau."),
                format!("Printer unreachable at {host}:{port} — check that it is switched on and connected to the network."),
            ),
            PrinterError::DeviceNotFound { path } => Localized::new(
                format!("Imprimante introuvable ({path}) — vérifiez qu'elle est allumée et que le câble USB est branché."),
                format!("Printer not found ({path}) — check that it is switched on and the USB cable is plugged in."),
            ),
            PrinterError::DevicePermission { path } => Localized::new(
                format!("Accès refusé à l'imprimante ({path}) — l'utilisateur doit faire partie du groupe « lp » : appelez le support."),
                format!("Access denied to the printer ({path}) — the user must be in the \"lp\" group: call support."),
            ),
            PrinterError::NotADevice { path } => Localized::new(
                format!("« {path} » n'est pas une imprimante : choisissez un périphérique comme /dev/usb/lp0 ou /dev/ttyUSB0."),
                format!("\"{path}\" is not a printer: choose a device such as /dev/usb/lp0 or /dev/ttyUSB0."),
            ),
            PrinterError::Device { path, detail } => Localized::new(
                format!("Impossible d'ouvrir l'imprimante ({path}) : {detail}."),
                format!("Cannot open the printer ({path}): {detail}."),
            ),
            PrinterError::WriteFailed { target, .. } => Localized::new(
                format!("L'impression sur {target} s'est interrompue — le ticket est peut-être incomplet : vérifiez le papier et réimprimez."),
                format!("Printing to {target} was interrupted — the receipt may be incomplete: check the paper and reprint."),
            ),
            PrinterError::Encoding(detail) => Localized::new(
                format!("Ticket impossible à préparer pour l'imprimante ({detail})."),
                format!("Cannot prepare the receipt for the printer ({detail})."),
            ),
        }
    }
}

/// An escpos driver that keeps what it is given, to get the bytes without any I/O.
#[derive(Default)]
struct Capture(RefCell<Vec<u8>>);

impl Driver for Capture {
    fn name(&self) -> String {
        "capture".to_string()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }

    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }

    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// The ESC/POS bytes of a receipt: init, PC858, each line with its alignment, weight and size,
/// then feed and a full cut.
pub fn escpos_bytes(receipt: &Receipt) -> Result<Vec<u8>, PrinterError> {
    build(receipt).map_err(|e| PrinterError::Encoding(e.to_string()))
}

fn build(receipt: &Receipt) -> escpos::errors::Result<Vec<u8>> {
    let cols = u8::try_from(receipt.width.columns()).unwrap_or(u8::MAX);
    let options = PrinterOptions::new(Some(PageCode::PC858), None, cols);
    let mut p = Printer::new(Capture::default(), Protocol::default(), Some(options));
    // init() sends ESC @ then ESC t 19 (the page code of the options).
    p.init()?;
    let mut align = Align::Left;
    for line in &receipt.lines {
        if line.align != align {
            p.justify(match line.align {
                Align::Left => JustifyMode::LEFT,
                Align::Center => JustifyMode::CENTER,
                Align::Right => JustifyMode::RIGHT,
            })?;
            align = line.align;
        }
        if line.bold {
            p.bold(true)?;
        }
        match line.size {
            TextSize::Normal => {}
            TextSize::Tall => {
                p.size(1, 2)?;
            }
            TextSize::Large => {
                p.size(2, 2)?;
            }
        }
        p.custom(&pc858::encode(&line.text))?;
        if line.size != TextSize::Normal {
            p.reset_size()?;
        }
        if line.bold {
            p.bold(false)?;
        }
        p.feed()?;
    }
    if align != Align::Left {
        p.justify(JustifyMode::LEFT)?;
    }
    p.feed()?.cut()?.print()?;
    Ok(p.driver().0.into_inner())
}

/// Prints a receipt on the configured printer, blocking (see the module's note).
pub fn print(receipt: &Receipt, config: &PrinterConfig) -> Result<(), PrinterError> {
    print_with_timeout(receipt, config, DEFAULT_TIMEOUT)
}

/// [`print`] with another network timeout.
pub fn print_with_timeout(
    receipt: &Receipt,
    config: &PrinterConfig,
    timeout: Duration,
) -> Result<(), PrinterError> {
    if config.uses_system_dialog() {
        return Err(PrinterError::SystemDialog);
    }
    if receipt.width != config.width {
        return Err(PrinterError::WidthMismatch {
            receipt: receipt.width.columns(),
            printer: config.width.columns(),
        });
    }
    let bytes = escpos_bytes(receipt)?;
    match &config.connection {
        PrinterConnection::Network { host, port } => send_network(host, *port, &bytes, timeout),
        PrinterConnection::Device { path } => send_device(path, &bytes),
        PrinterConnection::System => Err(PrinterError::SystemDialog),
    }
}

fn send_network(
    host: &str,
    port: u16,
    bytes: &[u8],
    timeout: Duration,
) -> Result<(), PrinterError> {
    let host = host.trim();
    if host.is_empty() {
        return Err(PrinterError::HostNotFound {
            host: String::new(),
            detail: "empty".into(),
        });
    }
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| PrinterError::HostNotFound {
            host: host.to_string(),
            detail: e.to_string(),
        })?
        .collect();
    let mut last = String::from("no address");
    for addr in addrs {
        // The driver connects with a timeout only to an IP address: give it the resolved one.
        match NetworkDriver::open(&addr.ip().to_string(), addr.port(), Some(timeout)) {
            Ok(driver) => {
                let target = format!("{host}:{port}");
                return driver
                    .write(bytes)
                    .and_then(|()| driver.flush())
                    .map_err(|e| PrinterError::WriteFailed {
                        target,
                        detail: e.to_string(),
                    });
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(PrinterError::Unreachable {
        host: host.to_string(),
        port,
        detail: last,
    })
}

/// A device printer is a character device (`/dev/usb/lp0`, `/dev/ttyUSB0`): a regular file (the
/// ledger, say) or a folder is refused before anything is opened. Missing: `DeviceNotFound`.
pub fn check_device(path: &str) -> Result<(), PrinterError> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(PrinterError::DeviceNotFound { path: path.into() })
        }
        // Unreadable metadata: opening it says why.
        Err(_) => return Ok(()),
    };
    #[cfg(unix)]
    let device = std::os::unix::fs::FileTypeExt::is_char_device(&meta.file_type());
    // Windows: COM ports and printer shares are not files; a regular file is still refused.
    #[cfg(not(unix))]
    let device = !meta.is_file() && !meta.is_dir();
    if device {
        Ok(())
    } else {
        Err(PrinterError::NotADevice { path: path.into() })
    }
}

fn send_device(path: &str, bytes: &[u8]) -> Result<(), PrinterError> {
    check_device(path)?;
    let p = Path::new(path);
    let mut options = OpenOptions::new();
    // Write only: never create a plain file where a device was expected.
    options.write(true);
    let driver = FileDriver::open_with_options(p, &options).map_err(|e| {
        // The driver's error has lost the kind: ask the system again to say which it is.
        let kind = std::fs::OpenOptions::new()
            .write(true)
            .open(p)
            .err()
            .map(|e| e.kind());
        match kind {
            Some(ErrorKind::NotFound) => PrinterError::DeviceNotFound { path: path.into() },
            Some(ErrorKind::PermissionDenied) => {
                PrinterError::DevicePermission { path: path.into() }
            }
            _ => PrinterError::Device {
                path: path.into(),
                detail: e.to_string(),
            },
        }
    })?;
    driver
        .write(bytes)
        .and_then(|()| driver.flush())
        .map_err(|e| PrinterError::WriteFailed {
            target: path.to_string(),
            detail: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_serializes_for_the_ui() {
        let c = PrinterConfig::network("192.168.1.50", PaperWidth::Mm58);
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "connection": {"type": "network", "host": "192.168.1.50", "port": 9100},
                "width": "58mm"
            })
        );
        let back: PrinterConfig = serde_json::from_value(serde_json::json!({
            "connection": {"type": "network", "host": "imprimante.local"},
            "width": "80mm"
        }))
        .unwrap();
        assert_eq!(
            back,
            PrinterConfig::network("imprimante.local", PaperWidth::Mm80)
        );
        let sys: PrinterConfig = serde_json::from_value(serde_json::json!({
            "connection": {"type": "system"}, "width": "80mm"
        }))
        .unwrap();
        assert!(sys.uses_system_dialog());
        let decl = <PrinterConfig as TS>::decl(&ts_rs::Config::default());
        assert!(decl.contains("connection: PrinterConnection"), "{decl}");
        let decl = <PrinterConnection as TS>::decl(&ts_rs::Config::default());
        assert!(decl.contains("\"type\": \"network\""), "{decl}");
        let decl = <PaperWidth as TS>::decl(&ts_rs::Config::default());
        assert!(decl.contains("\"58mm\""), "{decl}");
    }

    #[test]
    fn every_error_has_a_code_and_two_messages() {
        let errors = [
            PrinterError::SystemDialog,
            PrinterError::WidthMismatch {
                receipt: 48,
                printer: 32,
            },
            PrinterError::HostNotFound {
                host: String::new(),
                detail: "x".into(),
            },
            PrinterError::HostNotFound {
                host: "imprimante".into(),
                detail: "x".into(),
            },
            PrinterError::Unreachable {
                host: "192.168.1.50".into(),
                port: 9100,
                detail: "x".into(),
            },
            PrinterError::DeviceNotFound {
                path: "/dev/usb/lp0".into(),
            },
            PrinterError::DevicePermission {
                path: "/dev/usb/lp0".into(),
            },
            PrinterError::NotADevice {
                path: "/tmp/guichet.db".into(),
            },
            PrinterError::Device {
                path: "/dev/usb/lp0".into(),
                detail: "x".into(),
            },
            PrinterError::WriteFailed {
                target: "/dev/usb/lp0".into(),
                detail: "x".into(),
            },
            PrinterError::Encoding("x".into()),
        ];
        for e in errors {
            let m = e.message();
            assert!(
                !m.fr.is_empty() && !m.en.is_empty() && m.fr != m.en,
                "{e:?}"
            );
            assert!(e.code().starts_with("printer_"));
        }
        let e = PrinterError::Unreachable {
            host: "192.168.1.50".into(),
            port: 9100,
            detail: "x".into(),
        };
        assert_eq!(
            e.message().fr,
            "Imprimante injoignable à 192.168.1.50:9100 — vérifiez qu'elle est allumée et branchée au réseau."
        );
    }
}
