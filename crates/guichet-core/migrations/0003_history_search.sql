-- Guichet ledger, schema 3: the history's search does not grow with the ledger.
--
-- `operations_search` is an FTS5 index with the trigram tokenizer over what a cashier types in
-- the history's search box: the phone / meter / bill reference, the provider's reference, the
-- token, our reference (idempotency key), the operation id and the invoice reference, plus the
-- reference and token without spaces and dashes. A trigram index answers "contains" (a phrase of
-- three characters or more) from the index instead of a `LIKE '%…%'` scan of every row.
-- Its rowid is the operation's rowid. It is written by the triggers below, inside the transaction
-- that writes the operation, so it cannot fall behind the ledger.
--
-- Never edit this file once released: add a new `NNNN_name.sql` instead (sqlx checks checksums).

CREATE VIRTUAL TABLE operations_search USING fts5(refs, tokenize = 'trigram');

-- The text indexed for one operation: its references, one per line (the line break never comes
-- from a cashier's search), then the reference and token with spaces and dashes taken out.
INSERT INTO operations_search (rowid, refs)
SELECT rowid,
       customer_ref || char(10) || COALESCE(provider_ref, '') || char(10) || COALESCE(token, '')
       || char(10) || idempotency_key || char(10) || id || char(10) || COALESCE(invoice_ref, '')
       || char(10) || replace(replace(customer_ref, ' ', ''), '-', '')
       || char(10) || replace(replace(COALESCE(token, ''), ' ', ''), '-', '')
FROM operations;

CREATE TRIGGER operations_search_insert AFTER INSERT ON operations
BEGIN
    INSERT INTO operations_search (rowid, refs) VALUES (NEW.rowid,
       NEW.customer_ref || char(10) || COALESCE(NEW.provider_ref, '') || char(10)
       || COALESCE(NEW.token, '') || char(10) || NEW.idempotency_key || char(10) || NEW.id
       || char(10) || COALESCE(NEW.invoice_ref, '')
       || char(10) || replace(replace(NEW.customer_ref, ' ', ''), '-', '')
       || char(10) || replace(replace(COALESCE(NEW.token, ''), ' ', ''), '-', ''));
END;

-- provider_ref and token are written once, after the intent: index them when they arrive.
CREATE TRIGGER operations_search_update AFTER UPDATE OF provider_ref, token ON operations
WHEN NEW.provider_ref IS NOT OLD.provider_ref OR NEW.token IS NOT OLD.token
BEGIN
    UPDATE operations_search SET refs =
       NEW.customer_ref || char(10) || COALESCE(NEW.provider_ref, '') || char(10)
       || COALESCE(NEW.token, '') || char(10) || NEW.idempotency_key || char(10) || NEW.id
       || char(10) || COALESCE(NEW.invoice_ref, '')
       || char(10) || replace(replace(NEW.customer_ref, ' ', ''), '-', '')
       || char(10) || replace(replace(COALESCE(NEW.token, ''), ' ', ''), '-', '')
    WHERE rowid = NEW.rowid;
END;

-- An exact amount typed in the search box, newest first (the index holds the rowid in order),
-- without a scan or a sort.
CREATE INDEX operations_amount ON operations (amount_minor);

-- A day's or a shift's totals read from the index alone (a covering index: no table row is
-- visited): per kind, status and currency, count and sums of amounts and fees.
CREATE INDEX operations_totals
    ON operations (created_at, training, kind, status, currency, amount_minor, fee_minor);

-- The covering index above starts with created_at: it answers every date range the old one did.
DROP INDEX operations_created_at;
