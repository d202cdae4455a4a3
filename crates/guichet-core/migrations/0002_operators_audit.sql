-- Guichet ledger, schema 2: operators (PIN login) and the hash-chained audit trail.
--
-- PINs are never stored: only their argon2id PHC string. Secrets (API keys, PINs, OTPs) never
-- enter this file; the audit trail refuses details whose keys look like one (see src/audit.rs).
-- Timestamps are RFC 3339 UTC text with milliseconds and a `Z`, like schema 1.
--
-- Never edit this file once released: add a new `NNNN_name.sql` instead (sqlx checks checksums).

CREATE TABLE operators (
    id              INTEGER PRIMARY KEY,
    -- Shown on the login screen and printed on receipts. Unique whatever the case; never only
    -- digits, so that "name or id" at login is never ambiguous.
    name            TEXT    NOT NULL UNIQUE COLLATE NOCASE
                            CHECK (length(name) BETWEEN 1 AND 64 AND name = trim(name)
                                   AND name GLOB '*[^0-9]*'),
    role            TEXT    NOT NULL CHECK (role IN ('manager', 'cashier')),
    -- argon2id PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), never the PIN.
    pin_hash        TEXT    NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
    -- Wrong PINs since the last successful login (the lockout policy is in src/operators.rs).
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    -- Login refused until this instant, when locked.
    locked_until    TEXT    NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;

-- Operations and the audit trail name operators: an operator is never deleted.
CREATE TRIGGER operators_no_delete BEFORE DELETE ON operators
BEGIN
    SELECT RAISE(ABORT, 'operators are never deleted');
END;

CREATE TRIGGER operators_fixed_fields BEFORE UPDATE ON operators
WHEN NEW.id IS NOT OLD.id OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'operators: id and created_at are fixed');
END;

-- The audit trail: append-only, each entry chained to the previous one by its hash.
-- hash = SHA-256(prev_hash || '|' || canonical JSON [seq, at, actor, action, details]), in
-- lowercase hex; the first entry's prev_hash is 64 zeros. Editing or deleting a row breaks the
-- chain, which `Audit::verify` recomputes.
CREATE TABLE audit_log (
    -- 1, 2, 3… without gaps (enforced below).
    seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
    at        TEXT    NOT NULL,
    -- Operator name, or `system`.
    actor     TEXT    NOT NULL CHECK (actor <> ''),
    -- login, login_failed, locked, setting_changed, key_changed, mode_switched, reprint…
    action    TEXT    NOT NULL CHECK (action <> ''),
    -- Non-secret facts, as a canonical JSON object (keys sorted, no spaces).
    details   TEXT    NOT NULL DEFAULT '{}'
                      CHECK (json_valid(details) AND json_type(details) = 'object'),
    prev_hash TEXT    NOT NULL CHECK (length(prev_hash) = 64),
    hash      TEXT    NOT NULL UNIQUE CHECK (length(hash) = 64)
) STRICT;

CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;

-- Each entry follows the last one: next seq, and prev_hash equal to the last entry's hash.
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1
  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1),
                                   '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
    SELECT RAISE(ABORT, 'audit_log: seq or prev_hash does not follow the last entry');
END;
