//! QR codes as SVG, for the payment link (`PaymentUrl`) and Wave's `cashout_url`, shown on the
//! cashier screen and on the customer display.
//!
//! The SVG has a 4-module quiet zone, black modules on a white background, a `viewBox` (it
//! scales crisply to any CSS size) and `shape-rendering="crispEdges"`. Error correction is
//! level M (15 %): enough for a screen, keeps the code small.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use thiserror::Error;

use crate::text::Localized;

/// Pixels per module in the SVG's default size (the `viewBox` lets the UI scale it anyway).
const MODULE_PX: u32 = 8;

/// Why a QR code could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QrError {
    /// Nothing to encode.
    #[error("nothing to encode in the QR code")]
    Empty,
    /// The text does not fit in the largest QR code at level M.
    #[error("text too long for a QR code ({len} bytes)")]
    TooLong {
        /// Length of the text, in bytes.
        len: usize,
    },
    /// Any other refusal of the encoder.
    #[error("QR encoder: {0}")]
    Encoder(String),
}

impl QrError {
    /// A stable machine code (`qr_too_long`).
    pub fn code(&self) -> &'static str {
        match self {
            QrError::Empty => "qr_empty",
            QrError::TooLong { .. } => "qr_too_long",
            QrError::Encoder(_) => "qr_encoder",
        }
    }

    /// What the cashier reads, in French and English.
    pub fn message(&self) -> Localized {
        match self {
            QrError::Empty => Localized::new(
                "Aucun lien à afficher en QR code.",
                "No link to show as a QR code.",
            ),
            QrError::TooLong { len } => Localized::new(
                format!("Lien trop long pour un QR code ({len} caractères) : donnez-le au client autrement."),
                format!("Link too long for a QR code ({len} characters): give it to the customer another way."),
            ),
            QrError::Encoder(detail) => Localized::new(
                format!("Impossible de dessiner le QR code ({detail})."),
                format!("Cannot draw the QR code ({detail})."),
            ),
        }
    }
}

/// The QR code of `text` (a URL, usually) as a standalone SVG document.
pub fn svg(text: &str) -> Result<String, QrError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(QrError::Empty);
    }
    let code =
        QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| match e {
            qrcode::types::QrError::DataTooLong => QrError::TooLong { len: text.len() },
            other => QrError::Encoder(other.to_string()),
        })?;
    Ok(code
        .render::<svg::Color>()
        .quiet_zone(true)
        .module_dimensions(MODULE_PX, MODULE_PX)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://pay.dexchange.sn/checkout/3f9c1d2e-7a41-4bb0-9d1e-8c2a6f0e5b17";

    #[test]
    fn svg_is_well_formed_and_scalable() {
        let s = svg(LINK).unwrap();
        assert!(s.starts_with("<?xml") || s.starts_with("<svg"), "{s:.80}");
        assert!(s.contains("<svg"), "{s:.200}");
        assert!(s.contains("viewBox=\"0 0 "), "{s:.200}");
        assert!(s.trim_end().ends_with("</svg>"));
        assert!(s.contains("fill=\"#000000\""));
        assert!(s.contains("fill=\"#ffffff\""));
        assert!(s.contains("crispEdges"));
        // Square, with the quiet zone: (modules + 8) × 8 px.
        let vb = s.split("viewBox=\"").nth(1).unwrap();
        let nums: Vec<u32> = vb
            .split('"')
            .next()
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(nums[0..2], [0, 0]);
        assert_eq!(nums[2], nums[3]);
        assert_eq!(nums[2] % MODULE_PX, 0);
        let modules = nums[2] / MODULE_PX - 8;
        assert!(
            modules >= 21 && (modules - 21).is_multiple_of(4),
            "{modules}"
        );
    }

    #[test]
    fn different_texts_give_different_svgs() {
        let a = svg(LINK).unwrap();
        let b = svg("https://pay.wave.com/c/cos-1a2b3c4d5e").unwrap();
        assert_ne!(a, b);
        assert_eq!(a, svg(LINK).unwrap(), "deterministic");
    }

    #[test]
    fn refusals_are_typed() {
        assert_eq!(svg("   "), Err(QrError::Empty));
        let long = "x".repeat(5000);
        let e = svg(&long).unwrap_err();
        assert_eq!(e, QrError::TooLong { len: 5000 });
        assert_eq!(e.code(), "qr_too_long");
        assert!(e.message().fr.contains("trop long"));
        for e in [QrError::Empty, e, QrError::Encoder("x".into())] {
            assert!(!e.message().fr.is_empty() && !e.message().en.is_empty());
        }
    }
}
