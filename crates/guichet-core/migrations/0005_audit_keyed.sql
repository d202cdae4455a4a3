-- Guichet ledger, schema 5: the keyed audit chain.
--
-- Each entry keeps its unkeyed SHA-256 link (`prev_hash`, `hash`, schema 2) and gains a MAC:
-- HMAC-SHA256 with a key kept in the OS keyring, never in this file (see src/audit/seal.rs and
-- docs/audit.md). Whoever holds the file can recompute the hashes but not the MACs.
--
-- Entries are grouped in keyed segments: a segment starts with an `audit_segment_started`
-- entry naming its key's id (details `{"segment": n, "seal_id": <key id>, "reason": …}`); every entry of
-- the segment carries that `segment` number and its `mac`. Entries written before this schema
-- (and by a till that never had a key) have neither: they stay verifiable by the unkeyed chain.
--
-- Never edit this file once released: add a new `NNNN_name.sql` instead (sqlx checks checksums).

ALTER TABLE audit_log ADD COLUMN segment INTEGER NULL CHECK (segment IS NULL OR segment >= 1);
ALTER TABLE audit_log ADD COLUMN mac TEXT NULL
    CHECK (mac IS NULL OR (length(mac) = 64 AND mac NOT GLOB '*[^0-9a-f]*'));

CREATE INDEX audit_log_segment_starts ON audit_log (action) WHERE action = 'audit_segment_started';
