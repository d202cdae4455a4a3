-- Guichet ledger, schema 4: the business day — shifts, cash movements, frozen Z reports and the
-- providers' float readings.
--
-- Money is an INTEGER count of the currency's minor unit, timestamps RFC 3339 UTC text with
-- milliseconds and a `Z`, like schema 1. See src/day.rs for the rules these tables hold.
--
-- Never edit this file once released: add a new `NNNN_name.sql` instead (sqlx checks checksums).

CREATE TABLE shifts (
    id                  INTEGER PRIMARY KEY,
    -- The till the shift is at. One ledger is one till today; the column makes "one open shift
    -- per till" a rule of the database (index below) rather than of the code.
    till                TEXT    NOT NULL DEFAULT 'main' CHECK (till <> ''),
    opened_by           TEXT    NOT NULL CHECK (opened_by <> ''),
    opened_at           TEXT    NOT NULL,
    currency            TEXT    NOT NULL DEFAULT 'XOF',
    -- The counted opening float, and how it was counted (JSON of the denominations, or NULL when
    -- only the total was typed).
    opening_float_minor INTEGER NOT NULL CHECK (opening_float_minor >= 0),
    opening_count       TEXT    NULL CHECK (opening_count IS NULL OR json_valid(opening_count)),
    closed_by           TEXT    NULL,
    closed_at           TEXT    NULL,
    -- At close: what the drawer should hold, what was counted (and how), the difference's
    -- approval by a manager with a note when it is not zero.
    expected_minor      INTEGER NULL,
    counted_minor       INTEGER NULL CHECK (counted_minor IS NULL OR counted_minor >= 0),
    closing_count       TEXT    NULL CHECK (closing_count IS NULL OR json_valid(closing_count)),
    approved_by         TEXT    NULL,
    approval_note       TEXT    NULL,
    -- All the closing columns are set together, once.
    CHECK ((closed_at IS NULL) = (closed_by IS NULL)
       AND (closed_at IS NULL) = (counted_minor IS NULL)
       AND (closed_at IS NULL) = (expected_minor IS NULL)),
    -- A difference is never closed without a manager and a note.
    CHECK (closed_at IS NULL OR counted_minor = expected_minor
           OR (approved_by IS NOT NULL AND length(trim(approval_note)) > 0))
) STRICT;

-- Two processes cannot both open a shift on one till: the second insert fails.
CREATE UNIQUE INDEX shifts_one_open_per_till ON shifts (till) WHERE closed_at IS NULL;
CREATE INDEX shifts_opened_at ON shifts (opened_at);

CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
BEGIN
    SELECT RAISE(ABORT, 'shifts are never deleted');
END;

-- A shift is opened once and closed once: after that nothing of it changes.
CREATE TRIGGER shifts_closed_is_final BEFORE UPDATE ON shifts
WHEN OLD.closed_at IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.till IS NOT OLD.till OR NEW.opened_by IS NOT OLD.opened_by
  OR NEW.opened_at IS NOT OLD.opened_at OR NEW.currency IS NOT OLD.currency
  OR NEW.opening_float_minor IS NOT OLD.opening_float_minor
  OR NEW.opening_count IS NOT OLD.opening_count
BEGIN
    SELECT RAISE(ABORT, 'shifts: a closed shift, and the opening of any shift, never change');
END;

-- Every operation belongs to the shift open when its intent was written: set by the database in
-- the intent's own transaction, so no operation slips between a check and a close.
ALTER TABLE operations ADD COLUMN shift_id INTEGER NULL REFERENCES shifts (id);
CREATE INDEX operations_shift ON operations (shift_id) WHERE shift_id IS NOT NULL;

-- When the manager requires a shift to sell (`shift_required` = 'true'), an intent without an
-- open shift is refused here too (the desk refuses it first, with a message for the cashier).
CREATE TRIGGER operations_join_open_shift AFTER INSERT ON operations
BEGIN
    SELECT RAISE(ABORT, 'shift_required: no open shift')
    WHERE COALESCE((SELECT value FROM settings WHERE key = 'shift_required'), 'false') = 'true'
      AND NOT EXISTS (SELECT 1 FROM shifts WHERE closed_at IS NULL);
    UPDATE operations
       SET shift_id = (SELECT id FROM shifts WHERE closed_at IS NULL ORDER BY id LIMIT 1)
     WHERE id = NEW.id;
END;

CREATE TRIGGER operations_shift_write_once BEFORE UPDATE OF shift_id ON operations
WHEN OLD.shift_id IS NOT NULL AND NEW.shift_id IS NOT OLD.shift_id
BEGIN
    SELECT RAISE(ABORT, 'operations: shift_id is write-once');
END;

-- Cash paid in or out of the drawer for another reason than a sale (float top-up, expense, bank
-- deposit), always with its reason, always in an open shift. Append-only.
CREATE TABLE cash_movements (
    id           INTEGER PRIMARY KEY,
    shift_id     INTEGER NOT NULL REFERENCES shifts (id),
    at           TEXT    NOT NULL,
    operator     TEXT    NOT NULL CHECK (operator <> ''),
    direction    TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    reason       TEXT    NOT NULL CHECK (length(trim(reason)) > 0)
) STRICT;

CREATE INDEX cash_movements_shift ON cash_movements (shift_id);

CREATE TRIGGER cash_movements_open_shift_only BEFORE INSERT ON cash_movements
WHEN (SELECT closed_at FROM shifts WHERE id = NEW.shift_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'cash_movements: the shift is closed');
END;

CREATE TRIGGER cash_movements_no_update BEFORE UPDATE ON cash_movements
BEGIN
    SELECT RAISE(ABORT, 'cash_movements is append-only: UPDATE refused');
END;

CREATE TRIGGER cash_movements_no_delete BEFORE DELETE ON cash_movements
BEGIN
    SELECT RAISE(ABORT, 'cash_movements is append-only: DELETE refused');
END;

-- Z reports: numbered 1, 2, 3… per till, written in the shift's closing transaction, frozen.
CREATE TABLE z_reports (
    number     INTEGER PRIMARY KEY CHECK (number >= 1),
    shift_id   INTEGER NOT NULL UNIQUE REFERENCES shifts (id),
    created_at TEXT    NOT NULL,
    -- The report as JSON (src/day/report.rs `ShiftReport`).
    body       TEXT    NOT NULL CHECK (json_valid(body) AND json_type(body) = 'object')
) STRICT;

CREATE TRIGGER z_reports_numbered BEFORE INSERT ON z_reports
WHEN NEW.number IS NOT COALESCE((SELECT MAX(number) FROM z_reports), 0) + 1
BEGIN
    SELECT RAISE(ABORT, 'z_reports: numbers follow each other without a gap');
END;

CREATE TRIGGER z_reports_no_update BEFORE UPDATE ON z_reports
BEGIN
    SELECT RAISE(ABORT, 'z_reports are frozen: UPDATE refused');
END;

CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
BEGIN
    SELECT RAISE(ABORT, 'z_reports are frozen: DELETE refused');
END;

-- Each provider's e-money balance as read (at shift open, close, or on demand). A failed read
-- is kept with its error: a reading is evidence, never made up.
CREATE TABLE float_readings (
    id           INTEGER PRIMARY KEY,
    provider     TEXT    NOT NULL CHECK (provider <> ''),
    at           TEXT    NOT NULL,
    shift_id     INTEGER NULL REFERENCES shifts (id),
    moment       TEXT    NOT NULL CHECK (moment IN ('open', 'close', 'on_demand')),
    amount_minor INTEGER NULL,
    currency     TEXT    NULL,
    error        TEXT    NULL,
    CHECK ((amount_minor IS NULL) <> (error IS NULL))
) STRICT;

CREATE INDEX float_readings_provider ON float_readings (provider, at);

CREATE TRIGGER float_readings_no_update BEFORE UPDATE ON float_readings
BEGIN
    SELECT RAISE(ABORT, 'float_readings is append-only: UPDATE refused');
END;
