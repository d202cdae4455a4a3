// Generated from the Rust types by `cargo test -p guichet -- bindings` (ts-rs). Do not edit by hand:
// run `make bindings` after changing a Rust type; a test fails while this file is stale.

export type Language = "fr" | "en";

export type Localized = { 
/**
 * French text.
 */
fr: string, 
/**
 * English text.
 */
en: string, };

export type Mode = "training" | "live";

export type Role = "manager" | "cashier";

export type Session = { operator_id: number, name: string, role: Role, };

export type AppInfo = { 
/**
 * Shop name printed at the top of the screen and receipts.
 */
shop_name: string, 
/**
 * The operator signed in at the till.
 */
operator_name: string, 
/**
 * Training or live.
 */
mode: Mode, 
/**
 * The language the cashier chose.
 */
language: Language, 
/**
 * Guichet's version.
 */
version: string, 
/**
 * No manager yet: the first-run wizard comes first.
 */
needs_setup: boolean, 
/**
 * The operator signed in; none: the login screen.
 */
session: Session | null, 
/**
 * Seconds without activity before the screen locks; 0 = never.
 */
idle_timeout_secs: number, 
/**
 * Kiosk mode (fullscreen, closing needs a manager's PIN).
 */
kiosk: boolean, 
/**
 * Something the home screen must say (live keys missing at start…).
 */
notice: Localized | null, };

export type CommandError = { 
/**
 * Stable machine code (e.g. `ledger_corrupt`, `refused`), for tests and support.
 */
code: string, 
/**
 * What the cashier reads, in French and English.
 */
message: Localized, 
/**
 * For a refused request: every reason, each next to its field.
 */
refusals?: Array<Refusal>, 
/**
 * The operation already written for this request, when what followed failed: the screen
 * shows that operation's status and never a new Send.
 */
operation_id?: string, 
/**
 * For a provider address on an undocumented host: the host the manager must confirm.
 */
host?: string, };

export type Currency = "XOF" | "XAF" | "CDF" | "USD" | "EGP" | "GMD" | "GHS" | "GNF" | "KES" | "MWK" | "NGN" | "RWF" | "SLE" | "TZS" | "UGX" | "ZAR" | "ZMW";

export type Money = { 
/**
 * The amount in the currency's minor unit (FCFA for XOF, cents for KES).
 */
minor: number, 
/**
 * The currency.
 */
currency: Currency, };

export type Country = "SN" | "CI" | "ML" | "CM" | "BF" | "BJ" | "TG" | "GN" | "CD" | "NE" | "GW" | "KE" | "GM" | "MW" | "NG" | "RW" | "TZ" | "UG" | "ZM" | "EG" | "GH" | "ZA" | "SL";

export type PhoneFormat = "national" | "national_trunk" | "international";

export type SnOperator = "orange" | "free" | "expresso" | "promobile";

export type Provider = "dexchange" | "easytransfert" | "unipesa";

export type Kind = "bill" | "prepaid" | "airtime" | "collection" | "disbursement" | "payment_link";

export type ExtraField = "reference_client" | "customer_name" | "customer_email" | "return_url" | "bic" | "customer_doc_type" | "customer_doc_number" | "bank_code";

export type OtpSyntax = { 
/**
 * The country.
 */
country: Country, 
/**
 * The operator's slug (`orange`).
 */
operator: string, 
/**
 * When the row is for one currency only (DRC CDF and USD wallets).
 */
currency: Currency | null, 
/**
 * The USSD code the customer dials (`#144#391#`); `None` when there is nothing to dial.
 */
ussd: string | null, 
/**
 * What happens, for the cashier.
 */
note: Localized, };

export type Offer = { 
/**
 * What the operation does.
 */
kind: Kind, 
/**
 * Smallest amount accepted, `None` when the provider states none.
 */
min: Money | null, 
/**
 * Largest amount accepted, `None` when the provider states none.
 */
max: Money | null, 
/**
 * The amount must be a multiple of this.
 */
multiple_of: Money | null, 
/**
 * Whether the customer's OTP must be typed before the request is sent.
 */
otp_required: boolean, 
/**
 * How the customer confirms (USSD to dial and a note), when known.
 */
confirmation: OtpSyntax | null, 
/**
 * Extra fields the provider needs.
 */
extras: Array<ExtraField>, 
/**
 * The merchant's commission in basis points (100 = 1 %).
 */
commission_bp: number, };

export type Service = { 
/**
 * Our stable code (`OM_SN_CASHIN`, `EASYTRANSFERT_27`, `UNIPESA_2354`).
 */
code: string, 
/**
 * Who runs it.
 */
provider: Provider, 
/**
 * What the provider's API takes: DEXCHANGE serviceCode, EASYTRANSFERT service_id,
 * gateway provider_id.
 */
native_id: string, 
/**
 * The name shown to the cashier.
 */
name: Localized, 
/**
 * The customer's country.
 */
country: Country, 
/**
 * The operator's slug (`orange`, `wave`, `free`…).
 */
operator: string, 
/**
 * The currency of every amount.
 */
currency: Currency, 
/**
 * How the provider wants the customer's phone; `None` when it takes none (bills).
 */
phone_format: PhoneFormat | null, 
/**
 * Whether a phone must be given (false for bills and payment links).
 */
phone_required: boolean, 
/**
 * Whether the till may sell it.
 */
enabled: boolean, 
/**
 * A remark shown with the service.
 */
note: Localized | null, 
/**
 * What it offers, one entry per kind.
 */
offers: Array<Offer>, };

export type RefusalCode = "unknown_service" | "service_disabled" | "kind_not_offered" | "currency_mismatch" | "amount_not_positive" | "below_minimum" | "above_maximum" | "not_a_multiple" | "phone_missing" | "phone_invalid" | "phone_wrong_country" | "phone_not_mobile" | "operator_mismatch" | "operator_unknown" | "otp_missing" | "otp_invalid" | "extra_missing" | "extra_invalid";

export type RefusalField = "service" | "kind" | "amount" | "phone" | "otp" | "extra";

export type Refusal = { 
/**
 * Stable machine code.
 */
code: RefusalCode, 
/**
 * The input concerned.
 */
field: RefusalField, 
/**
 * The extra field concerned, for [`RefusalField::Extra`].
 */
extra: ExtraField | null, 
/**
 * What to fix, in French and English.
 */
message: Localized, };

export type OperationStatus = "prepared" | "sent" | "pending" | "processing" | "success" | "failed" | "cancelled" | "expired" | "unknown" | "needs_review";

export type Operation = { 
/**
 * UUIDv7 (sorts by creation time).
 */
id: string, 
/**
 * Our externalTransactionId / order_id, fixed once.
 */
idempotency_key: string, 
/**
 * Provider id.
 */
provider: string, 
/**
 * The provider's service code.
 */
service_code: string, 
/**
 * Kind of operation (catalog name).
 */
kind: string, 
/**
 * ISO 3166 alpha-2 country.
 */
country: string, 
/**
 * ISO 4217 currency.
 */
currency: string, 
/**
 * Amount in minor units.
 */
amount_minor: number, 
/**
 * Fee in minor units, once known.
 */
fee_minor: number | null, 
/**
 * Phone number, meter number or bill reference.
 */
customer_ref: string, 
/**
 * The bill's own reference, for bills.
 */
invoice_ref: string | null, 
/**
 * Current status (the last event's `to_status`).
 */
status: OperationStatus, 
/**
 * The provider's transaction id, once known.
 */
provider_ref: string | null, 
/**
 * Woyofal token or voucher code, once known.
 */
token: string | null, 
/**
 * The operator who started it.
 */
operator_name: string, 
/**
 * True in training mode.
 */
training: boolean, 
/**
 * Extra non-secret facts, as a JSON object.
 */
details: Record<string, unknown>, 
/**
 * When the intent was written.
 */
created_at: string, 
/**
 * When the last event was written.
 */
updated_at: string, };

export type OperationEvent = { 
/**
 * Row id, increasing over the whole ledger.
 */
id: number, 
/**
 * The operation it belongs to.
 */
operation_id: string, 
/**
 * 1, 2, 3… within the operation.
 */
seq: number, 
/**
 * When it was written.
 */
at: string, 
/**
 * Status before; `None` only for the creation event.
 */
from_status: OperationStatus | null, 
/**
 * Status after (equal to `from_status` for an event that changes no status).
 */
to_status: OperationStatus, 
/**
 * Who or what produced it.
 */
source: EventSource, 
/**
 * The acting operator, for cashier and manager events.
 */
actor: string | null, 
/**
 * The provider's answer (redacted).
 */
raw: unknown, 
/**
 * Free note.
 */
note: string | null, 
/**
 * Provider transaction id this event brought.
 */
provider_ref: string | null, 
/**
 * Fee this event brought.
 */
fee_minor: number | null, 
/**
 * Token this event brought.
 */
token: string | null, 
/**
 * Details this event merged.
 */
details: Record<string, unknown> | null, };

export type EventSource = "engine" | "provider" | "reconciler" | "cashier" | "manager" | "system";

export type HistoryQuery = { 
/**
 * Free text: part of the phone / meter / bill reference, provider id, token, our key or
 * operation id (spaces and dashes ignored for phone numbers and tokens), or an exact amount.
 */
text: string | null, 
/**
 * Only this status.
 */
status: OperationStatus | null, 
/**
 * Only this kind.
 */
kind: string | null, 
/**
 * Created at or after this instant.
 */
from: string | null, 
/**
 * Created strictly before this instant.
 */
to: string | null, 
/**
 * Only training (true) or only live (false) operations.
 */
training: boolean | null, 
/**
 * At most this many (default 100, capped at 1000), newest first.
 */
limit: number | null, 
/**
 * The next page: only operations older than this one (the last of the previous page).
 */
before?: string, };

export type OperationRequest = { 
/**
 * The catalog code of the service.
 */
service_code: string, 
/**
 * Which of the service's offers.
 */
kind: Kind, 
/**
 * The amount (for a bill: the amount the bill imposes).
 */
amount: Money, 
/**
 * The customer's phone as typed.
 */
phone: string | null, 
/**
 * The customer's OTP as typed.
 */
otp: string | null, 
/**
 * Extra fields as typed.
 */
extras: { [key in ExtraField]?: string }, };

export type Bill = { 
/**
 * The biller's reference of the customer (meter / police number).
 */
reference_client: string, 
/**
 * The bill's own reference (`referenceFacture`), to pay a chosen bill.
 */
reference_facture: string | null, 
/**
 * The provider's payment number for this bill, if given.
 */
payment_transaction_number: string | null, 
/**
 * Customer's name as the biller knows it (`prenom nom`).
 */
customer_name: string, 
/**
 * Address, when given.
 */
address: string | null, 
/**
 * Amount of the bill in minor units (0 for a Woyofal meter).
 */
amount_minor: number, 
/**
 * Fee in minor units.
 */
fee_minor: number, 
/**
 * Amount + fee in minor units.
 */
total_minor: number, 
/**
 * Due date as the biller writes it.
 */
due_date: string | null, 
/**
 * Already paid.
 */
paid: boolean, 
/**
 * Woyofal meter status, when given.
 */
meter_status: string | null, };

export type Balance = { 
/**
 * Amount in the currency's minor unit.
 */
amount_minor: number, 
/**
 * ISO 4217 code as the provider gives it.
 */
currency: string, };

export type SubmitRequest = { 
/**
 * Service, kind, amount, phone, OTP, extras.
 */
request: OperationRequest, 
/**
 * Bills: the bill chosen (`reference_facture`); none pays the oldest unpaid one.
 */
invoice_ref: string | null, 
/**
 * Payment links: what the customer pays for.
 */
item_name: string | null, };

export type OperationUpdate = { 
/**
 * The operation as it is after the change.
 */
operation: Operation, 
/**
 * The event that made the change (the latest event of the operation).
 */
event: OperationEvent | null, };

export type CustomerView = { 
/**
 * The operation (the display keeps the newest state of each).
 */
id: string, 
/**
 * Kind of operation (catalog name), for the screen's title.
 */
kind: string, 
/**
 * Current status.
 */
status: OperationStatus, 
/**
 * Amount in minor units.
 */
amount_minor: number, 
/**
 * Fee in minor units, once known.
 */
fee_minor: number | null, 
/**
 * ISO 4217 currency.
 */
currency: string, 
/**
 * The number the customer gave (phone as written, meter, bill); empty for a payment link.
 */
customer_ref: string, 
/**
 * The Woyofal token or voucher the customer copies, once known.
 */
token: string | null, 
/**
 * True in training mode (the display says so).
 */
training: boolean, 
/**
 * When the operation last changed (newest state wins).
 */
updated_at: string, 
/**
 * The URL the customer scans (payment link, Wave), while it is open.
 */
customer_url: string | null, 
/**
 * A payment link's item.
 */
item_name: string | null, 
/**
 * True when a failed operation's money went back (the display says "refunded").
 */
refunded: boolean, };

export type OperationDetail = { 
/**
 * The operation as it stands.
 */
operation: Operation, 
/**
 * Its events, oldest first.
 */
events: Array<OperationEvent>, };

export type CopyKind = "customer" | "merchant";

export type ReceiptText = { 
/**
 * The receipt, one printed line per text line.
 */
text: string, };

export type PrintOutcome = { 
/**
 * 0 for the original; N for « DUPLICATA n° N ».
 */
duplicate: number, 
/**
 * No printer is configured: the UI prints `text` through the system dialog.
 */
system_dialog: boolean, 
/**
 * The receipt as plain text (for the system dialog and the screen).
 */
text: string, };

export type FirstRun = { 
/**
 * Shop name (receipts, screen header).
 */
shop_name: string, 
/**
 * Shop address (receipts); may be empty.
 */
shop_address: string, 
/**
 * Extra receipt header lines (NINEA, phone…), one per line; may be empty.
 */
receipt_header: string, 
/**
 * The manager's name.
 */
manager_name: string, 
/**
 * The manager's PIN (4 to 8 digits).
 */
pin: string, };

export type LoginName = { 
/**
 * Stable id.
 */
id: number, 
/**
 * Name to pick.
 */
name: string, 
/**
 * Manager or cashier.
 */
role: Role, 
/**
 * Login refused until then, when locked now.
 */
locked_until: string | null, };

export type Operator = { 
/**
 * Stable id.
 */
id: number, 
/**
 * Name shown at login and on receipts.
 */
name: string, 
/**
 * Manager or cashier.
 */
role: Role, 
/**
 * Wrong PINs in a row since the last successful login.
 */
failed_attempts: number, 
/**
 * Login refused until then, when locked (it may be in the past: the lock has ended).
 */
locked_until: string | null, 
/**
 * When the account was created.
 */
created_at: string, };

export type PaperWidth = "58mm" | "80mm";

export type PrinterConnection = { "type": "network", 
/**
 * IP address or host name (`192.168.1.50`).
 */
host: string, 
/**
 * TCP port, 9100 unless the printer says otherwise.
 */
port: number, } | { "type": "device", 
/**
 * The device's path.
 */
path: string, } | { "type": "system" };

export type PrinterConfig = { 
/**
 * Where the printer is.
 */
connection: PrinterConnection, 
/**
 * Its paper roll (58 mm = 32 columns, 80 mm = 48).
 */
width: PaperWidth, };

export type ProviderUrls = { 
/**
 * DEXCHANGE base (`…/api/v1`).
 */
dexchange: string, 
/**
 * EASYTRANSFERT base (`…/api_v1/transaction`).
 */
easytransfert: string, 
/**
 * EASYTRANSFERT wallet endpoint (full URL).
 */
easytransfert_wallet: string, 
/**
 * Gateway base (`…` before `/{public_id}/{method}`).
 */
unipesa: string, };

export type Settings = { 
/**
 * Shop name.
 */
shop_name: string, 
/**
 * Shop address (may be empty).
 */
shop_address: string, 
/**
 * Extra receipt header lines, one per line (may be empty).
 */
receipt_header: string, 
/**
 * The receipt printer; `None`: the system print dialog.
 */
printer: PrinterConfig | null, 
/**
 * Seconds without a call before the screen locks; 0 = never.
 */
idle_timeout_secs: number, 
/**
 * Kiosk mode: fullscreen, on top, closing needs a manager's PIN.
 */
kiosk: boolean, 
/**
 * The till's language.
 */
language: Language, 
/**
 * Where the live providers are.
 */
provider_urls: ProviderUrls, 
/**
 * Service codes the till does not offer.
 */
disabled_services: Array<string>, };

export type SettingsPatch = { 
/**
 * New shop name.
 */
shop_name?: string, 
/**
 * New address.
 */
shop_address?: string, 
/**
 * New receipt header lines.
 */
receipt_header?: string, 
/**
 * New idle lock, in seconds (0 = never, else 30 to 7200).
 */
idle_timeout_secs?: number, 
/**
 * Kiosk mode on or off.
 */
kiosk?: boolean, 
/**
 * New live provider URLs.
 */
provider_urls?: ProviderUrls, 
/**
 * Service codes not offered.
 */
disabled_services?: Array<string>, 
/**
 * Provider hosts outside the documented ones that the manager confirmed after a warning
 * naming them (a new URL on any other undocumented host is refused).
 */
confirmed_hosts?: Array<string>, };

export type ProviderKey = { 
/**
 * `dexchange`, `easytransfert`, `unipesa`.
 */
provider: string, 
/**
 * `api_key`, `public_id`, `merchant_id`, `secret`.
 */
field: string, 
/**
 * True when the keyring holds it.
 */
present: boolean, 
/**
 * `••••` and the last four characters (when long enough); never the value.
 */
masked: string | null, };

export type ConnectionCheck = { 
/**
 * The provider checked.
 */
provider: Provider, 
/**
 * The merchant's balance, when the provider has a balance call (not the gateway).
 */
balance: Balance | null, };

export type ProviderStatus = { 
/**
 * The provider.
 */
provider: Provider, 
/**
 * Whether its latest call got an answer; `None` before any call or probe.
 */
reachable: boolean | null, 
/**
 * When that call was made.
 */
checked_at: string | null, 
/**
 * « DEXCHANGE injoignable », « DEXCHANGE joignable », or that it is being checked.
 */
message: Localized, };

export type ListState = "reading" | "listed" | "unreachable" | "failed" | "not_documented";

export type MissingService = { 
/**
 * Our code (`WAVE_SN_CASHOUT`).
 */
code: string, 
/**
 * The name the cashier would have seen.
 */
name: Localized, 
/**
 * The customer's country.
 */
country: Country, };

export type ProviderServices = { 
/**
 * The provider.
 */
provider: Provider, 
/**
 * Where its reading stands.
 */
state: ListState, 
/**
 * When the latest reading ended; `None` while the first one runs, or when there is no list.
 */
read_at: string | null, 
/**
 * The catalog services its list does not name (hidden from cashiers); empty unless
 * `state` is `listed`.
 */
missing: Array<MissingService>, 
/**
 * What the manager reads about it.
 */
message: Localized, };

export type AccountServices = { 
/**
 * Whether the lists are read at all: only in live mode (the training sandbox offers every
 * service of the catalog).
 */
live: boolean, 
/**
 * One entry per provider with keys, in [`Provider::ALL`] order.
 */
providers: Array<ProviderServices>, };

export type AuditQuery = { 
/**
 * Only entries at or after this instant.
 */
from: string | null, 
/**
 * Only entries strictly before this instant.
 */
to: string | null, 
/**
 * Only entries after this sequence number (for paging).
 */
after_seq: number | null, 
/**
 * Only this actor.
 */
actor: string | null, 
/**
 * Only this action (snake_case name).
 */
action: string | null, 
/**
 * At most this many entries (default and maximum 10 000).
 */
limit: number | null, };

export type AuditEntry = { 
/**
 * 1, 2, 3… in the order written.
 */
seq: number, 
/**
 * When it happened (UTC, milliseconds).
 */
at: string, 
/**
 * Operator name, or `system`.
 */
actor: string, 
/**
 * The action's snake_case name ([`AuditAction::as_str`]).
 */
action: string, 
/**
 * Non-secret facts.
 */
details: Record<string, unknown>, 
/**
 * The previous entry's hash (64 zeros for the first).
 */
prev_hash: string, 
/**
 * SHA-256 of `prev_hash` and this entry's fields, lowercase hex ([`entry_hash`]).
 */
hash: string, 
/**
 * The keyed segment it belongs to (`None` before the trail had a key).
 */
segment: number | null, 
/**
 * HMAC-SHA256 of the segment and `hash` with the segment's key ([`AuditKey::mac`]).
 */
mac: string | null, };

export type AuditStatus = "intact" | "unverifiable" | "broken";

export type KeyState = "not_sealed" | "present" | "renewed" | "unavailable";

export type UnverifiableSpan = { 
/**
 * The keyed segment.
 */
segment: number, 
/**
 * Its first entry (the `audit_segment_started` entry).
 */
first_seq: number, 
/**
 * Its last entry.
 */
last_seq: number, 
/**
 * The id of the key it needs (`audit.key.<id>` in the keyring).
 */
key_id: string, };

export type AuditCheck = { 
/**
 * True when every entry checks out (status `intact`).
 */
ok: boolean, 
/**
 * The verdict.
 */
status: AuditStatus, 
/**
 * Entries checked.
 */
entries: number, 
/**
 * The first entry that does not check out.
 */
broken_at: number | null, 
/**
 * The audit key's state in the keyring.
 */
key: KeyState, 
/**
 * Entries from before the trail had a key (checked by the unkeyed chain only).
 */
legacy: number, 
/**
 * Keyed segments that cannot be verified without their key.
 */
unverifiable: Array<UnverifiableSpan>, 
/**
 * What the manager reads.
 */
message: Localized, };

export type AuditExport = { 
/**
 * The JSON file's full path.
 */
path: string, 
/**
 * Entries written.
 */
entries: number, };

export type ReviewOutcome = "success" | "failed";

export type ReviewItem = { 
/**
 * The operation as it stands (amount, fee, references, details).
 */
operation: Operation, 
/**
 * Its events, oldest first; the providers' answers are in their `raw`.
 */
events: Array<OperationEvent>, 
/**
 * Why it waits (`details.review_reason`, a stable code), when recorded.
 */
reason_code: string | null, 
/**
 * Why it waits, in words the manager reads.
 */
reason: Localized, };

export type CashCount = { 
/**
 * How many 10 000 F notes.
 */
notes_10000: number, 
/**
 * How many 5 000 F notes.
 */
notes_5000: number, 
/**
 * How many 2 000 F notes.
 */
notes_2000: number, 
/**
 * How many 1 000 F notes.
 */
notes_1000: number, 
/**
 * How many 500 F notes.
 */
notes_500: number, 
/**
 * The coins, counted as one amount (francs).
 */
coins_minor: number, };

export type Counted = { "by": "total", 
/**
 * The total.
 */
amount_minor: number, } | { "by": "denominations" } & CashCount;

export type Shift = { 
/**
 * Its number.
 */
id: number, 
/**
 * The operator who opened it.
 */
opened_by: string, 
/**
 * When.
 */
opened_at: string, 
/**
 * ISO 4217 currency of the drawer.
 */
currency: string, 
/**
 * The counted opening float.
 */
opening_float_minor: number, 
/**
 * How it was counted, when note by note.
 */
opening_count: CashCount | null, 
/**
 * Who closed it.
 */
closed_by: string | null, 
/**
 * When.
 */
closed_at: string | null, 
/**
 * What the drawer should have held at close.
 */
expected_minor: number | null, 
/**
 * What was counted at close.
 */
counted_minor: number | null, 
/**
 * How it was counted, when note by note.
 */
closing_count: CashCount | null, 
/**
 * The manager who approved a difference.
 */
approved_by: string | null, 
/**
 * Their note.
 */
approval_note: string | null, 
/**
 * The Z report's number, once closed.
 */
z_number: number | null, };

export type Direction = "in" | "out";

export type CashMovement = { 
/**
 * Row id.
 */
id: number, 
/**
 * The shift it belongs to.
 */
shift_id: number, 
/**
 * When.
 */
at: string, 
/**
 * Who recorded it.
 */
operator: string, 
/**
 * In or out.
 */
direction: Direction, 
/**
 * How much, always above zero.
 */
amount_minor: number, 
/**
 * Why.
 */
reason: string, };

export type Approval = { 
/**
 * The manager's name.
 */
manager: string, 
/**
 * Their PIN.
 */
pin: string, 
/**
 * Why the difference is accepted.
 */
note: string, };

export type ReportKind = "x" | "z" | "day";

export type Line = { 
/**
 * What it groups by: the kind's, service's or provider's code.
 */
key: string, 
/**
 * Its name for people.
 */
label: Localized, 
/**
 * How many operations.
 */
count: number, 
/**
 * Their amounts.
 */
amount_minor: number, 
/**
 * Their fees.
 */
fee_minor: number, 
/**
 * What they did to the drawer (in > 0, out < 0).
 */
cash_minor: number, 
/**
 * The shop's commission by the catalog's rates.
 */
commission_minor: number, 
/**
 * The commission the provider reported.
 */
provider_commission_minor: number, };

export type Tally = { 
/**
 * How many.
 */
count: number, 
/**
 * How much.
 */
amount_minor: number, };

export type OpLine = { 
/**
 * The operation.
 */
id: string, 
/**
 * When its intent was written.
 */
created_at: string, 
/**
 * Its kind (stored name).
 */
kind: string, 
/**
 * Its service's code.
 */
service_code: string, 
/**
 * The provider.
 */
provider: string, 
/**
 * Its amount.
 */
amount_minor: number, 
/**
 * Where it stands.
 */
status: OperationStatus, 
/**
 * Who made it.
 */
operator_name: string, };

export type CashSummary = { 
/**
 * The counted opening float(s).
 */
opening_float_minor: number, 
/**
 * Cash the customers handed for settled sales.
 */
sales_in_minor: number, 
/**
 * Cash handed to customers for settled cash-outs.
 */
sales_out_minor: number, 
/**
 * Cash paid in (float top-ups).
 */
movements_in_minor: number, 
/**
 * Cash taken out (expenses, bank deposits).
 */
movements_out_minor: number, 
/**
 * The cash effect of earlier shifts' operations settled since the last Z (« Réglées
 * depuis le dernier Z »): counted here, where their outcome became known.
 */
settled_since_minor: number, 
/**
 * opening + sales in − sales out + settled since + paid in − taken out.
 */
expected_minor: number, 
/**
 * What was counted at close (all shifts closed).
 */
counted_minor: number | null, 
/**
 * counted − expected.
 */
difference_minor: number | null, };

export type ShiftLine = { 
/**
 * Its number.
 */
id: number, 
/**
 * Its Z report's number, once closed.
 */
z_number: number | null, 
/**
 * Who opened it.
 */
opened_by: string, 
/**
 * When.
 */
opened_at: string, 
/**
 * Who closed it.
 */
closed_by: string | null, 
/**
 * When.
 */
closed_at: string | null, 
/**
 * The manager who approved a difference, and their note.
 */
approved_by: string | null, 
/**
 * Their note.
 */
approval_note: string | null, };

export type SettledLine = { 
/**
 * The operation as it stands (its final status).
 */
operation: OpLine, 
/**
 * The shift it was made in.
 */
shift_id: number, 
/**
 * When its outcome was written.
 */
settled_at: string, 
/**
 * Its cash effect by the cash table (in > 0, out < 0; none for a failure).
 */
cash_minor: number, };

export type FloatLine = { 
/**
 * The provider's slug.
 */
provider: string, 
/**
 * Its name for people.
 */
name: string, 
/**
 * False when the provider documents no balance endpoint (the gateway: « non communiqué »).
 */
balance_api: boolean, 
/**
 * The balance read at the opening.
 */
opening_minor: number | null, 
/**
 * Why the opening balance could not be read (a stable code), when it was tried.
 */
opening_error: string | null, 
/**
 * The balance read at the close (an X report: the last one read since the opening).
 */
closing_minor: number | null, 
/**
 * Why the closing balance could not be read, when it was tried.
 */
closing_error: string | null, 
/**
 * The e-money the successful operations moved: + credited (collections, payment links),
 * − debited (sales: amount + the provider's fee, less the commission it reported).
 */
moved_minor: number, 
/**
 * Operations at this provider whose outcome is not known yet (they may have moved some).
 */
pending_count: number, 
/**
 * closing − (opening + moved): what the operations do not explain (both balances read).
 */
difference_minor: number | null, };

export type ShiftReport = { 
/**
 * X, Z or day.
 */
kind: ReportKind, 
/**
 * The Z report's number.
 */
z_number: number | null, 
/**
 * The day, for a day report.
 */
day: string | null, 
/**
 * When it was made.
 */
generated_at: string, 
/**
 * The drawer's currency.
 */
currency: string, 
/**
 * The shift(s) it covers.
 */
shifts: Array<ShiftLine>, 
/**
 * How many of its operations were made in training (no real money).
 */
training_count: number, 
/**
 * Successful operations per kind.
 */
by_kind: Array<Line>, 
/**
 * Successful operations per service.
 */
by_service: Array<Line>, 
/**
 * Successful operations per provider (the e-money each one moved).
 */
by_provider: Array<Line>, 
/**
 * Every successful operation.
 */
totals: Line, 
/**
 * Successful operations per hour of the day (0 to 23, Dakar = UTC): the day screen's chart.
 */
by_hour: number[], 
/**
 * Failed, cancelled or expired.
 */
failed: Tally, 
/**
 * Failed after the provider took the money, refunded (Woyofal).
 */
refunded: Tally, 
/**
 * Outcome not known yet (« en attente »): never counted in the cash.
 */
pending: Array<OpLine>, 
/**
 * Waiting for a manager (« à vérifier »): never counted in the cash.
 */
to_review: Array<OpLine>, 
/**
 * Operations of earlier shifts, pending at their Z, settled since the last Z: their
 * successes are in this report's lines and totals, their cash in the drawer's expected.
 */
settled_since: Array<SettledLine>, 
/**
 * Cash paid in or out for another reason than a sale.
 */
movements: Array<CashMovement>, 
/**
 * The drawer.
 */
cash: CashSummary, 
/**
 * Each provider's float: balances at the opening and the close, the e-money moved.
 */
floats: Array<FloatLine>, 
/**
 * A Z: the last ledger event it saw (where the next report's « réglées depuis » starts).
 */
events_through: number | null, };

export type ShiftClosed = { 
/**
 * The shift as closed.
 */
shift: Shift, 
/**
 * Its Z report, as stored.
 */
report: ShiftReport, };

export type ReportPrint = { 
/**
 * No printer is configured: the UI prints `text` through the system dialog.
 */
system_dialog: boolean, 
/**
 * The report as plain text.
 */
text: string, };

export type SavedReport = { 
/**
 * Its full path (the till's data folder, `rapports/`).
 */
path: string, };

export type Moment = "open" | "close" | "on_demand";

export type FloatReading = { 
/**
 * The provider's slug (`dexchange`).
 */
provider: string, 
/**
 * When.
 */
at: string, 
/**
 * The shift open then, if any.
 */
shift_id: number | null, 
/**
 * At open, close or on demand.
 */
moment: Moment, 
/**
 * The balance, when the read worked.
 */
amount_minor: number | null, 
/**
 * Its currency.
 */
currency: string | null, 
/**
 * Why the read failed (a stable code), when it did.
 */
error: string | null, };

export type FloatStatus = { 
/**
 * The provider's slug.
 */
provider: string, 
/**
 * Its name for people.
 */
name: string, 
/**
 * False when the provider documents no balance endpoint (the gateway).
 */
balance_api: boolean, 
/**
 * The last reading.
 */
last: FloatReading | null, 
/**
 * The manager's low-float threshold.
 */
threshold_minor: number | null, 
/**
 * The last successful reading is under the threshold.
 */
low: boolean, };

export type DaySettings = { 
/**
 * Selling needs an open shift.
 */
shift_required: boolean, 
/**
 * Low-float threshold per provider slug, minor units.
 */
float_thresholds: Record<string, number>, };
