-- Guichet ledger, schema 1.
--
-- Operation history is append-only: `operation_events` rows are never updated or deleted, and
-- `operations` rows are never deleted. `operations` is the current-state projection of the events:
-- every change of its mutable columns (status, fee, provider reference, token, details) is written
-- together with the event that carries it, in one transaction (see src/ledger.rs).
--
-- Money is an INTEGER count of the currency's minor unit (XOF has none: 1 = 1 FCFA).
-- Timestamps are RFC 3339 UTC text with milliseconds and a `Z` (`2025-01-31T09:15:00.000Z`), so
-- they sort as text.
-- Secrets (API keys, OTPs, signatures) never enter this file: the caller redacts provider answers.
--
-- Never edit this file once released: add a new `NNNN_name.sql` instead (sqlx checks checksums).

CREATE TABLE operations (
    -- UUIDv7, text form.
    id              TEXT    PRIMARY KEY NOT NULL,
    -- Our externalTransactionId / order_id. Fixed once: a retry of the same cashier intent reuses it.
    idempotency_key TEXT    NOT NULL UNIQUE
                            CHECK (length(idempotency_key) BETWEEN 1 AND 128),
    provider        TEXT    NOT NULL CHECK (provider <> ''),
    service_code    TEXT    NOT NULL CHECK (service_code <> ''),
    kind            TEXT    NOT NULL CHECK (kind <> ''),
    country         TEXT    NOT NULL,
    currency        TEXT    NOT NULL,
    amount_minor    INTEGER NOT NULL CHECK (amount_minor >= 0),
    fee_minor       INTEGER NULL     CHECK (fee_minor IS NULL OR fee_minor >= 0),
    -- Phone number, meter number or bill reference, as the cashier's search will type it.
    customer_ref    TEXT    NOT NULL,
    invoice_ref     TEXT    NULL,
    status          TEXT    NOT NULL CHECK (status IN ('prepared', 'sent', 'pending', 'processing',
                            'success', 'failed', 'cancelled', 'expired', 'unknown', 'needs_review')),
    -- The provider's own transaction id, once known. Write-once.
    provider_ref    TEXT    NULL,
    -- Woyofal token (or any voucher code) for the receipt. Write-once.
    token           TEXT    NULL,
    operator_name   TEXT    NOT NULL,
    training        INTEGER NOT NULL CHECK (training IN (0, 1)),
    -- Extra non-secret facts as a JSON object (payment URL, commission, bill holder name…).
    details         TEXT    NOT NULL DEFAULT '{}'
                            CHECK (json_valid(details) AND json_type(details) = 'object'),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;

CREATE INDEX operations_customer_ref ON operations (customer_ref);
CREATE INDEX operations_provider_ref ON operations (provider, provider_ref) WHERE provider_ref IS NOT NULL;
CREATE INDEX operations_token ON operations (token) WHERE token IS NOT NULL;
CREATE INDEX operations_created_at ON operations (created_at);
CREATE INDEX operations_status ON operations (status, created_at);

CREATE TABLE operation_events (
    id           INTEGER PRIMARY KEY,
    operation_id TEXT    NOT NULL REFERENCES operations (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
    -- 1, 2, 3… per operation, no gaps (enforced by a trigger below).
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    at           TEXT    NOT NULL,
    -- NULL only for the first event (the operation's creation).
    from_status  TEXT    NULL CHECK (from_status IS NULL OR from_status IN ('prepared', 'sent',
                         'pending', 'processing', 'success', 'failed', 'cancelled', 'expired',
                         'unknown', 'needs_review')),
    -- Equal to from_status for an event that records something without changing the status.
    to_status    TEXT    NOT NULL CHECK (to_status IN ('prepared', 'sent', 'pending', 'processing',
                         'success', 'failed', 'cancelled', 'expired', 'unknown', 'needs_review')),
    source       TEXT    NOT NULL CHECK (source IN ('engine', 'provider', 'reconciler', 'cashier',
                         'manager', 'system')),
    -- Who acted, for cashier/manager events (operator name).
    actor        TEXT    NULL,
    -- The provider's answer as JSON, redacted by the caller.
    raw          TEXT    NULL CHECK (raw IS NULL OR json_valid(raw)),
    note         TEXT    NULL,
    -- What this event set on the projection (NULL = unchanged), so the projection can be rebuilt.
    provider_ref TEXT    NULL,
    fee_minor    INTEGER NULL CHECK (fee_minor IS NULL OR fee_minor >= 0),
    token        TEXT    NULL,
    details      TEXT    NULL CHECK (details IS NULL OR (json_valid(details)
                                                         AND json_type(details) = 'object')),
    UNIQUE (operation_id, seq),
    CHECK ((seq = 1) = (from_status IS NULL))
) STRICT;

CREATE INDEX operation_events_at ON operation_events (at);

-- Append-only, enforced by the database itself.
CREATE TRIGGER operation_events_no_update BEFORE UPDATE ON operation_events
BEGIN
    SELECT RAISE(ABORT, 'operation_events is append-only: UPDATE refused');
END;

CREATE TRIGGER operation_events_no_delete BEFORE DELETE ON operation_events
BEGIN
    SELECT RAISE(ABORT, 'operation_events is append-only: DELETE refused');
END;

CREATE TRIGGER operations_no_delete BEFORE DELETE ON operations
BEGIN
    SELECT RAISE(ABORT, 'operations are never deleted');
END;

-- Events are numbered 1, 2, 3… per operation and chain on the operation's current status.
CREATE TRIGGER operation_events_chain BEFORE INSERT ON operation_events
WHEN NEW.seq <> COALESCE((SELECT MAX(seq) FROM operation_events
                          WHERE operation_id = NEW.operation_id), 0) + 1
  OR (NEW.seq > 1 AND NEW.from_status IS NOT (SELECT status FROM operations
                                              WHERE id = NEW.operation_id))
BEGIN
    SELECT RAISE(ABORT, 'operation_events: seq or from_status does not follow the operation');
END;

-- The cashier's intent is fixed once written.
CREATE TRIGGER operations_intent_immutable BEFORE UPDATE ON operations
WHEN NEW.id IS NOT OLD.id
  OR NEW.idempotency_key IS NOT OLD.idempotency_key
  OR NEW.provider IS NOT OLD.provider
  OR NEW.service_code IS NOT OLD.service_code
  OR NEW.kind IS NOT OLD.kind
  OR NEW.country IS NOT OLD.country
  OR NEW.currency IS NOT OLD.currency
  OR NEW.amount_minor IS NOT OLD.amount_minor
  OR NEW.customer_ref IS NOT OLD.customer_ref
  OR NEW.invoice_ref IS NOT OLD.invoice_ref
  OR NEW.operator_name IS NOT OLD.operator_name
  OR NEW.training IS NOT OLD.training
  OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.provider_ref IS NOT NULL AND NEW.provider_ref IS NOT OLD.provider_ref)
  OR (OLD.token IS NOT NULL AND NEW.token IS NOT OLD.token)
BEGIN
    SELECT RAISE(ABORT, 'operations: the intent, provider_ref and token are write-once');
END;

-- The projection's status always equals the last event's to_status: a status change without its
-- event is refused.
CREATE TRIGGER operations_status_follows_events BEFORE UPDATE OF status ON operations
WHEN NEW.status IS NOT (SELECT to_status FROM operation_events
                        WHERE operation_id = NEW.id ORDER BY seq DESC LIMIT 1)
BEGIN
    SELECT RAISE(ABORT, 'operations: status changed without an event');
END;

CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
