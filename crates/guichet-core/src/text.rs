//! Text shown to people, in French first and English second.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language the UI and receipts can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// French, the default at the counter.
    #[default]
    Fr,
    /// English.
    En,
}

impl Language {
    /// The two-letter code stored in settings (`fr`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }

    /// Parses a two-letter code; anything unknown is `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "fr" => Some(Language::Fr),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// One message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Localized {
    /// French text.
    pub fr: String,
    /// English text.
    pub en: String,
}

impl Localized {
    /// Builds a message from its French and English texts.
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            fr: fr.into(),
            en: en.into(),
        }
    }

    /// The text in the given language.
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::Fr => &self.fr,
            Language::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_round_trip() {
        for l in [Language::Fr, Language::En] {
            assert_eq!(Language::from_code(l.code()), Some(l));
        }
        assert_eq!(Language::from_code("wo"), None);
        assert_eq!(Language::default(), Language::Fr);
    }

    #[test]
    fn localized_picks_language() {
        let m = Localized::new("Montant trop faible", "Amount too low");
        assert_eq!(m.get(Language::Fr), "Montant trop faible");
        assert_eq!(m.get(Language::En), "Amount too low");
    }
}
