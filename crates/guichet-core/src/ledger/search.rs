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
/// The index is asked for this many trigrams of a phrase: its rarest (see [`rarest`]).
const ASKED: usize = 3;
/// At most this many trigrams of a phrase are sampled for their rarity.
const PROBED: usize = 6;
/// A trigram's rarity is sampled in this many stretches of rowids spread over the ledger...
const WINDOWS: i64 = 3;
/// ...each this many rowids long...
const WINDOW: i64 = 2000;
/// ...and each read stopping at this many rows.
const SAMPLE: i64 = 60;

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
        // ASCII case only, as SQLite's lower() on the stored text: both sides fold alike.
        let mut phrases = vec![text.to_ascii_lowercase()];
        if compact != text {
            phrases.push(compact.to_ascii_lowercase());
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
                // (a common text never reads all its matches). The rarest trigrams of each
                // phrase find the candidates; the whole phrase is checked on each of them.
                let asked = self.rarest_trigrams(phrases).await?;
                qb.push(
                    "FROM operations_search JOIN operations \
                     ON operations.rowid = operations_search.rowid \
                     WHERE operations_search MATCH ",
                )
                .push_bind(fts_query(&asked))
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

    /// Per phrase, the trigrams the index is asked for: the rarest of its [`trigrams`]. A
    /// trigram every row holds (a phone's "+221", a key's time prefix) would hand over every row
    /// to be checked. Rarity is sampled, in one statement, in [`WINDOWS`] stretches of rowids
    /// spread over the ledger (a key's time prefix is common in its months only), each read
    /// stopping at [`SAMPLE`] rows: a bounded read however common the trigram.
    pub(super) async fn rarest_trigrams(&self, phrases: &[String]) -> Result<Vec<Vec<String>>> {
        let per_phrase: Vec<Vec<String>> = phrases.iter().map(|p| trigrams(p)).collect();
        if per_phrase.iter().all(|ts| ts.len() <= ASKED) {
            // Short text: every trigram is asked for anyway, nothing to sample.
            return Ok(per_phrase);
        }
        let mut all: Vec<&String> = per_phrase.iter().flatten().collect();
        all.sort();
        all.dedup();
        // Two subqueries: each is one step down the table's b-tree (together they scan).
        let (lo, hi): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT MIN(rowid) FROM operations), (SELECT MAX(rowid) FROM operations)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Ok(per_phrase);
        };
        let windows = sample_windows(lo, hi);
        let mut qb = QueryBuilder::<Sqlite>::new("SELECT ");
        for (i, t) in all.iter().enumerate() {
            qb.push(if i == 0 { "(" } else { ", (" });
            for (j, (from, to)) in windows.iter().enumerate() {
                qb.push(if j == 0 { "" } else { " + " })
                    .push(
                        "(SELECT COUNT(*) FROM (SELECT 1 FROM operations_search \
                         WHERE operations_search MATCH ",
                    )
                    .push_bind(fts_term(t))
                    // Bounds bound, not written in: one statement per shape, cached.
                    .push(" AND rowid BETWEEN ")
                    .push_bind(*from)
                    .push(" AND ")
                    .push_bind(*to)
                    .push(format!(" LIMIT {SAMPLE}))"));
            }
            qb.push(")");
        }
        let row = qb
            .build()
            .fetch_one(&self.pool)
            .await
            .map_err(|e| self.err(e))?;
        let seen: std::collections::HashMap<&String, i64> = all
            .iter()
            .enumerate()
            .map(|(i, t)| (*t, row.get::<i64, _>(i)))
            .collect();
        Ok(per_phrase
            .iter()
            .map(|ts| {
                let counts: Vec<i64> = ts.iter().map(|t| seen[t]).collect();
                rarest(ts, &counts)
            })
            .collect())
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

/// The distinct trigrams of `phrase`'s last [`TAIL`] characters that may be asked for (a long
/// reference's start is what thousands of rows share: a UUIDv7's time prefix): at most
/// [`PROBED`], spread from its end.
fn trigrams(phrase: &str) -> Vec<String> {
    let chars: Vec<char> = phrase.chars().collect();
    let tail = &chars[chars.len().saturating_sub(TAIL)..];
    let mut all: Vec<String> = Vec::new();
    for window in tail.windows(TRIGRAM).rev() {
        let t: String = window.iter().collect();
        if !all.contains(&t) {
            all.push(t);
        }
    }
    if all.len() <= PROBED {
        return all;
    }
    // Evenly spread from the end: the phrase's start is left out first.
    (0..PROBED)
        .map(|i| all[i * all.len() / PROBED].clone())
        .collect()
}

/// Of `trigrams`, the [`ASKED`] rarest by how many rows of the sample hold each (`counts`, in
/// the same order; ties keep the phrase's order). Every row that holds the phrase holds them
/// all; the phrase itself is checked afterwards.
fn rarest(trigrams: &[String], counts: &[i64]) -> Vec<String> {
    let mut ranked: Vec<(i64, &String)> = counts.iter().copied().zip(trigrams).collect();
    ranked.sort_by_key(|(n, _)| *n);
    ranked
        .into_iter()
        .take(ASKED)
        .map(|(_, t)| t.clone())
        .collect()
}

/// The stretches of rowids `[from, to]` a trigram's rarity is sampled in: [`WINDOWS`] of
/// [`WINDOW`] rowids spread evenly over `lo..=hi`, the oldest and the newest (what a newest-first
/// search reads first) included, or the whole of it when it is short.
fn sample_windows(lo: i64, hi: i64) -> Vec<(i64, i64)> {
    let span = hi - lo;
    if span < WINDOWS * WINDOW {
        return vec![(lo, hi)];
    }
    let step = (span - (WINDOW - 1)) / (WINDOWS - 1);
    (0..WINDOWS)
        .map(|k| {
            let from = if k == WINDOWS - 1 {
                hi - (WINDOW - 1)
            } else {
                lo + k * step
            };
            (from, from + WINDOW - 1)
        })
        .collect()
}

/// An FTS5 string for one trigram: quoted (the cashier's text is never read as FTS5 syntax).
fn fts_term(trigram: &str) -> String {
    format!("\"{}\"", trigram.replace('"', "\"\""))
}

/// An FTS5 query for rows that may hold any of the phrases, each given by the trigrams asked
/// for it (all of them).
fn fts_query(asked: &[Vec<String>]) -> String {
    asked
        .iter()
        .map(|terms| {
            let all = terms
                .iter()
                .map(|t| fts_term(t))
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
    fn trigrams_are_the_distinct_ones_of_the_last_characters() {
        assert_eq!(trigrams("7712345"), ["345", "234", "123", "712", "771"]);
        assert_eq!(trigrams("770000000"), ["000", "700", "770"]);
        assert_eq!(trigrams("abc"), ["abc"]);
        // Nine digits: six of their seven trigrams, from the end (the start, "77", is what
        // thousands of numbers share).
        assert_eq!(
            trigrams("771234567"),
            ["567", "456", "345", "234", "123", "712"]
        );
        // Long text: from its last 12 characters only.
        let long = trigrams("g0190a1b2c3d4e5f6a7b8");
        assert_eq!(long.len(), 6);
        assert_eq!(long[0], "7b8");
        assert!(long.iter().all(|t| "c3d4e5f6a7b8".contains(t.as_str())));
        for phrase in ["771234567", "dx-88120", "1111 2222 3333", "é-ü ßx"] {
            for t in trigrams(phrase) {
                assert!(phrase.contains(&t), "{t} not in {phrase}");
            }
        }
    }

    #[test]
    fn rarity_is_sampled_over_the_whole_ledger() {
        assert_eq!(sample_windows(1, 5000), [(1, 5000)]);
        assert_eq!(
            sample_windows(1, 1_000_000),
            [(1, 2000), (499_001, 501_000), (998_001, 1_000_000)]
        );
        // Just long enough: three stretches side by side, none past the newest row.
        assert_eq!(
            sample_windows(1, 6001),
            [(1, 2000), (2001, 4000), (4002, 6001)]
        );
    }

    #[test]
    fn the_rarest_trigrams_are_asked_for() {
        let ts: Vec<String> = ["770", "702", "022", "221", "732"]
            .map(String::from)
            .to_vec();
        // "221" is in every phone (+221), as "770" in these numbers: their sample is full
        // (3 stretches of at most 60 rows).
        let counts = [180, 75, 12, 180, 40];
        assert_eq!(rarest(&ts, &counts), ["022", "732", "702"]);
        assert_eq!(
            fts_query(&[rarest(&ts, &counts), vec!["a\"b".into()]]),
            "(\"022\" AND \"732\" AND \"702\") OR (\"a\"\"b\")"
        );
    }
}
