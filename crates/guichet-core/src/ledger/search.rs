//! The history's reads that must not grow with the ledger: the search box (an FTS5 trigram
//! index, `operations_search`, kept by triggers in the write transaction) and a period's totals
//! (a covering index, `operations_totals`). Schema: `migrations/0003_history_search.sql`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{QueryBuilder, Row, Sqlite};

use super::{operation_from_row, ts, HistoryQuery, Ledger, Operation, OperationStatus, Result};

/// History searches return at most this many rows.
const MAX_SEARCH_LIMIT: u32 = 1000;
/// History searches return this many rows when the query says nothing.
const DEFAULT_SEARCH_LIMIT: u32 = 100;
/// The trigram index answers phrases of at least this many characters; shorter text is matched
/// by a scan that stops at the first page (short text matches many rows, newest first).
const TRIGRAM: usize = 3;
/// Longer text is looked up in the index by its last this many characters (see [`trigrams`]).
const TAIL: usize = 12;

/// One line of a period's totals: the operations of one kind, status and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayTotal {
    /// Operation kind (`airtime`, `bill`…).
    pub kind: String,
    /// Their status.
    pub status: OperationStatus,
    /// Their currency (amounts of different currencies are never added up).
    pub currency: String,
    /// How many operations.
    pub count: i64,
    /// Sum of their amounts, in minor units.
    pub amount_minor: i64,
    /// Sum of their known fees, in minor units.
    pub fee_minor: i64,
}

impl Ledger {
    /// History search, newest first (the most recently written first: the rowid's order, which
    /// every index below keeps), one page at a time (`before`). See [`HistoryQuery`].
    pub async fn search(&self, query: &HistoryQuery) -> Result<Vec<Operation>> {
        let limit = query
            .limit
            .unwrap_or(DEFAULT_SEARCH_LIMIT)
            .min(MAX_SEARCH_LIMIT) as usize;
        let text = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let Some(text) = text else {
            return Ok(strip(self.page(query, Match::All, limit).await?));
        };
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let amount = compact
            .chars()
            .all(|c| c.is_ascii_digit())
            .then(|| compact.parse::<i64>().ok())
            .flatten();
        let mut phrases = vec![text.to_lowercase()];
        if compact != text {
            phrases.push(compact.to_lowercase());
        }
        phrases.retain(|p| p.chars().count() >= TRIGRAM);
        let mut ops = if phrases.is_empty() {
            self.page(query, Match::Scan(text), limit).await?
        } else {
            self.page(query, Match::Index(&phrases), limit).await?
        };
        if let Some(amount) = amount {
            // The exact amount has its own index: its newest page, merged with the text's.
            ops.extend(self.page(query, Match::Amount(amount), limit).await?);
            ops.sort_by_key(|(rowid, _)| std::cmp::Reverse(*rowid));
            ops.dedup_by_key(|(rowid, _)| *rowid);
            ops.truncate(limit);
        }
        Ok(strip(ops))
    }

    /// One page of operations matching `how` and the query's filters, newest first, each with
    /// its rowid (the order, and what merges two pages).
    async fn page(
        &self,
        query: &HistoryQuery,
        how: Match<'_>,
        limit: usize,
    ) -> Result<Vec<(i64, Operation)>> {
        let columns = super::OPERATION_COLUMNS
            .split(", ")
            .map(|c| format!("operations.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut qb = QueryBuilder::<Sqlite>::new(format!("SELECT operations.rowid, {columns} "));
        match how {
            Match::Index(phrases) => {
                // The index leads: it yields rowids newest first and the page stops at `limit`
                // (a common text never reads all its matches). A few trigrams of each phrase
                // find the candidates; the whole phrase is checked on each of them.
                qb.push(
                    "FROM operations_search JOIN operations \
                     ON operations.rowid = operations_search.rowid \
                     WHERE operations_search MATCH ",
                )
                .push_bind(fts_query(phrases))
                .push(" AND (");
                let mut whole = qb.separated(" OR ");
                for phrase in phrases {
                    whole
                        .push("instr(lower(operations_search.refs), ")
                        .push_bind_unseparated(phrase.clone())
                        .push_unseparated(") > 0");
                }
                qb.push(")");
                push_filters(&mut qb, query);
                qb.push(" ORDER BY operations_search.rowid DESC");
            }
            Match::All => {
                qb.push("FROM operations WHERE 1 = 1");
                push_filters(&mut qb, query);
                qb.push(" ORDER BY operations.rowid DESC");
            }
            Match::Amount(amount) => {
                qb.push("FROM operations WHERE amount_minor = ")
                    .push_bind(amount);
                push_filters(&mut qb, query);
                qb.push(" ORDER BY operations.rowid DESC");
            }
            Match::Scan(text) => {
                let pattern = format!("%{}%", like_escape(text));
                qb.push("FROM operations WHERE (");
                let mut cols = qb.separated(" OR ");
                for col in [
                    "customer_ref",
                    "provider_ref",
                    "token",
                    "idempotency_key",
                    "id",
                    "invoice_ref",
                ] {
                    cols.push(format!("{col} LIKE "))
                        .push_bind_unseparated(pattern.clone())
                        .push_unseparated(" ESCAPE '\\'");
                }
                qb.push(")");
                push_filters(&mut qb, query);
                qb.push(" ORDER BY operations.rowid DESC");
            }
        }
        qb.push(" LIMIT ").push_bind(limit as i64);
        let rows = qb
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(|row| Ok((row.get::<i64, _>(0), operation_from_row(row)?)))
            .collect()
    }

    /// Count, amounts and fees of the operations created in `[from, to)`, per kind, status and
    /// currency (training ones only, live ones only, or both), read from a covering index.
    pub async fn totals(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        training: Option<bool>,
    ) -> Result<Vec<DayTotal>> {
        let mut qb = QueryBuilder::<Sqlite>::new(
            "SELECT kind, status, currency, COUNT(*), SUM(amount_minor), \
             COALESCE(SUM(fee_minor), 0) FROM operations INDEXED BY operations_totals \
             WHERE created_at >= ",
        );
        qb.push_bind(ts(from))
            .push(" AND created_at < ")
            .push_bind(ts(to));
        if let Some(training) = training {
            qb.push(" AND training = ").push_bind(training);
        }
        qb.push(" GROUP BY kind, status, currency ORDER BY kind, status, currency");
        let rows = qb
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(|row| {
                let status: String = row.get(1);
                Ok(DayTotal {
                    kind: row.get(0),
                    status: super::parse_status(&status)?,
                    currency: row.get(2),
                    count: row.get(3),
                    amount_minor: row.get(4),
                    fee_minor: row.get(5),
                })
            })
            .collect()
    }
}

/// How a page is matched.
enum Match<'a> {
    /// No text.
    All,
    /// Lower-case phrases looked up in the trigram index (any of them, anywhere).
    Index(&'a [String]),
    /// An exact amount.
    Amount(i64),
    /// Text too short for the index: `LIKE` over the references.
    Scan(&'a str),
}

/// The query's filters (status, kind, dates, training, the page's start) as SQL conditions.
fn push_filters(qb: &mut QueryBuilder<'_, Sqlite>, query: &HistoryQuery) {
    if let Some(status) = query.status {
        qb.push(" AND operations.status = ")
            .push_bind(status.as_str());
    }
    if let Some(kind) = &query.kind {
        qb.push(" AND operations.kind = ").push_bind(kind.clone());
    }
    if let Some(from) = query.from {
        qb.push(" AND operations.created_at >= ")
            .push_bind(ts(from));
    }
    if let Some(to) = query.to {
        qb.push(" AND operations.created_at < ").push_bind(ts(to));
    }
    if let Some(training) = query.training {
        qb.push(" AND operations.training = ").push_bind(training);
    }
    if let Some(before) = query.before {
        // Older than the last operation of the previous page, in the page's own order.
        qb.push(" AND operations.rowid < (SELECT rowid FROM operations WHERE id = ")
            .push_bind(before.to_string())
            .push(")");
    }
}

/// The operations of a page, without their rowids.
fn strip(page: Vec<(i64, Operation)>) -> Vec<Operation> {
    page.into_iter().map(|(_, op)| op).collect()
}

/// The trigrams of `phrase` the index is asked for: three, as far apart as they fit, taken from
/// the end of its last [`TAIL`] characters and skipping its first character when it can (the
/// start of a reference is what thousands share: "77", "G019", "DX-"). Every row that holds the
/// phrase holds them; the phrase itself is checked afterwards.
fn trigrams(phrase: &str) -> Vec<String> {
    let chars: Vec<char> = phrase.chars().collect();
    let tail = &chars[chars.len().saturating_sub(TAIL)..];
    // Short text: every trigram (few, and each one narrows). Longer: three apart, from the end.
    let starts: Vec<usize> = if tail.len() < 2 * TRIGRAM + 1 {
        (0..=tail.len() - TRIGRAM).collect()
    } else {
        let first = usize::from(tail.len() == chars.len());
        let mut starts: Vec<usize> = (first..=tail.len() - TRIGRAM)
            .rev()
            .step_by(TRIGRAM)
            .take(3)
            .collect();
        if let [a, b] = starts[..] {
            // Two apart leave a gap: a third, overlapping both, narrows the candidates further.
            starts.push(a.midpoint(b));
        }
        starts
    };
    starts
        .into_iter()
        .map(|i| tail[i..i + TRIGRAM].iter().collect())
        .collect()
}

/// An FTS5 query for rows that may hold any of `phrases`: per phrase, all of its
/// [`trigrams`], each a quoted string (the cashier's text is never read as FTS5 syntax).
fn fts_query(phrases: &[String]) -> String {
    phrases
        .iter()
        .map(|p| {
            let all = trigrams(p)
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" AND ");
            format!("({all})")
        })
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// `s` with LIKE's wildcards escaped (`\` is the escape character).
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigrams_skip_the_shared_start_and_stay_inside_the_phrase() {
        assert_eq!(trigrams("771234567"), ["567", "234", "345"]);
        assert_eq!(trigrams("12345678"), ["678", "345", "456"]);
        assert_eq!(trigrams("5000"), ["500", "000"]);
        assert_eq!(trigrams("abc"), ["abc"]);
        // Long text: the last 12 characters, from its very first one.
        assert_eq!(trigrams("g0190a1b2c3d4e5f6a7b8"), ["7b8", "f6a", "4e5"]);
        for phrase in [
            "771234567",
            "DX-88120",
            "g0190a1b2c3d4e5f6a7b8",
            "1111 2222 3333",
        ] {
            for t in trigrams(phrase) {
                assert!(phrase.contains(&t), "{t} not in {phrase}");
            }
        }
    }
}
