//! A cash count: the total the cashier typed, or the number of each CFA note and the coins.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::DayError;

/// The CFA notes a drawer is counted in, largest first (francs).
pub const NOTES: [i64; 5] = [10_000, 5_000, 2_000, 1_000, 500];

/// The drawer counted note by note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CashCount {
    /// How many 10 000 F notes.
    #[serde(default)]
    pub notes_10000: u32,
    /// How many 5 000 F notes.
    #[serde(default)]
    pub notes_5000: u32,
    /// How many 2 000 F notes.
    #[serde(default)]
    pub notes_2000: u32,
    /// How many 1 000 F notes.
    #[serde(default)]
    pub notes_1000: u32,
    /// How many 500 F notes.
    #[serde(default)]
    pub notes_500: u32,
    /// The coins, counted as one amount (francs).
    #[serde(default)]
    #[ts(type = "number")]
    pub coins_minor: i64,
}

impl CashCount {
    /// The notes, paired with their value, largest first.
    pub fn notes(&self) -> [(i64, u32); 5] {
        [
            (NOTES[0], self.notes_10000),
            (NOTES[1], self.notes_5000),
            (NOTES[2], self.notes_2000),
            (NOTES[3], self.notes_1000),
            (NOTES[4], self.notes_500),
        ]
    }

    /// The counted total; refused when the coins are negative or the sum overflows.
    pub fn total_minor(&self) -> Result<i64, DayError> {
        if self.coins_minor < 0 {
            return Err(DayError::InvalidCount);
        }
        self.notes()
            .iter()
            .try_fold(self.coins_minor, |sum, (value, n)| {
                value.checked_mul(i64::from(*n))?.checked_add(sum)
            })
            .ok_or(DayError::InvalidCount)
    }
}

/// What the cashier counted: a total, or the drawer note by note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Counted {
    /// Only the total, in francs.
    Total {
        /// The total.
        #[ts(type = "number")]
        amount_minor: i64,
    },
    /// Note by note.
    Denominations(CashCount),
}

impl Counted {
    /// The total counted, checked (never negative).
    pub fn total_minor(&self) -> Result<i64, DayError> {
        match self {
            Counted::Total { amount_minor } if *amount_minor >= 0 => Ok(*amount_minor),
            Counted::Total { .. } => Err(DayError::InvalidCount),
            Counted::Denominations(c) => c.total_minor(),
        }
    }

    /// The count note by note, when it was counted so.
    pub fn detail(&self) -> Option<&CashCount> {
        match self {
            Counted::Total { .. } => None,
            Counted::Denominations(c) => Some(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_by_denomination_adds_up_and_refuses_nonsense() {
        let c = CashCount {
            notes_10000: 3,
            notes_5000: 2,
            notes_2000: 1,
            notes_1000: 4,
            notes_500: 3,
            coins_minor: 725,
        };
        assert_eq!(
            c.total_minor().unwrap(),
            30_000 + 10_000 + 2_000 + 4_000 + 1_500 + 725
        );
        let by = Counted::Denominations(c);
        assert_eq!(by.total_minor().unwrap(), 48_225);
        assert_eq!(Counted::Total { amount_minor: 5 }.total_minor().unwrap(), 5);
        assert!(Counted::Total { amount_minor: -1 }.total_minor().is_err());
        let negative = CashCount {
            coins_minor: -5,
            ..CashCount::default()
        };
        assert!(negative.total_minor().is_err());
        let huge = CashCount {
            notes_10000: u32::MAX,
            coins_minor: i64::MAX - 10,
            ..CashCount::default()
        };
        assert!(huge.total_minor().is_err());
        let json: Counted =
            serde_json::from_str(r#"{"by":"denominations","notes_5000":2,"coins_minor":50}"#)
                .unwrap();
        assert_eq!(json.total_minor().unwrap(), 10_050);
    }
}
