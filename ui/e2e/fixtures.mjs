// Test data for the fake engine: a slice of the real catalog (crates/guichet-core/src/catalog/
// services.toml, with the OTP syntaxes of seed 003 attached as the core attaches them), bills as
// DEXCHANGE's /billing/inquiry describes them, and past operations for the history.

/** @typedef {{ fr: string, en: string }} Localized */
/** @typedef {{ minor: number, currency: string }} Money */

const XOF = 'XOF';
/** @param {number} minor @returns {Money} */
const xof = (minor) => ({ minor, currency: XOF });

const OTP_NOTE = {
  fr: 'Paiement par code OTP : le client compose ce code sur son téléphone et vous donne le code reçu.',
  en: 'Payment by OTP code: the customer dials this code on their phone and reads you the code received.',
};
const PUSH_NOTE = {
  fr: "Le client confirme avec son code secret après réception du SMS (push) de l'opérateur.",
  en: "The customer confirms with their secret code after the operator's push SMS arrives.",
};
const QR_NOTE = {
  fr: 'Confirmation par QR code : le client scanne le code ou ouvre le lien.',
  en: 'Confirmation by QR code: the customer scans the code or opens the link.',
};

/**
 * @param {string} country @param {string} operator @param {string | null} ussd @param {Localized} note
 */
const syntax = (country, operator, ussd, note) => ({ country, operator, currency: null, ussd, note });

/**
 * @param {string} kind
 * @param {{ min?: number, max?: number, multiple?: number, otp?: boolean, confirmation?: any,
 *           extras?: string[], commission?: number }} [o]
 */
function offer(kind, o = {}) {
  return {
    kind,
    min: o.min === undefined ? null : xof(o.min),
    max: o.max === undefined ? null : xof(o.max),
    multiple_of: o.multiple === undefined ? null : xof(o.multiple),
    otp_required: o.otp ?? false,
    confirmation: o.confirmation ?? null,
    extras: o.extras ?? [],
    commission_bp: o.commission ?? 0,
  };
}

/**
 * @param {string} code @param {string} provider @param {string} country @param {string} operator
 * @param {Localized} name @param {any[]} offers
 * @param {{ phone_format?: string | null, phone_required?: boolean, enabled?: boolean }} [o]
 */
function service(code, provider, country, operator, name, offers, o = {}) {
  const phone_format = o.phone_format === undefined ? 'national' : o.phone_format;
  return {
    code,
    provider,
    native_id: code.replace(/^(EASYTRANSFERT|UNIPESA)_/, ''),
    name,
    country,
    operator,
    currency: XOF,
    phone_format,
    phone_required: o.phone_required ?? phone_format !== null,
    enabled: o.enabled ?? true,
    note: null,
    offers,
  };
}

const DX = { min: 200, max: 1_000_000 };
const SN_ORANGE = syntax('SN', 'orange', '#144#391#', OTP_NOTE);
const SN_FREE = syntax('SN', 'free', null, PUSH_NOTE);
const SN_WAVE = syntax('SN', 'wave', null, QR_NOTE);

export const CATALOG = [
  service('OM_SN_CASHIN', 'dexchange', 'SN', 'orange', { fr: 'Orange Money Sénégal : dépôt', en: 'Orange Money Senegal: cash-in' }, [offer('disbursement', DX)]),
  service('OM_SN_CASHOUT', 'dexchange', 'SN', 'orange', { fr: 'Orange Money Sénégal : retrait', en: 'Orange Money Senegal: cash-out' }, [offer('collection', { ...DX, confirmation: SN_ORANGE })]),
  service('WAVE_SN_CASHIN', 'dexchange', 'SN', 'wave', { fr: 'Wave Sénégal : dépôt', en: 'Wave Senegal: cash-in' }, [offer('disbursement', DX)]),
  service('WAVE_SN_CASHOUT', 'dexchange', 'SN', 'wave', { fr: 'Wave Sénégal : retrait', en: 'Wave Senegal: cash-out' }, [offer('collection', { ...DX, confirmation: SN_WAVE })]),
  service('FM_SN_CASHOUT', 'dexchange', 'SN', 'free', { fr: 'Free Money Sénégal : retrait', en: 'Free Money Senegal: cash-out' }, [offer('collection', { ...DX, confirmation: SN_FREE })]),
  service('WIZALL_SN_CASHOUT', 'dexchange', 'SN', 'wizall', { fr: 'Wizall Money Sénégal : retrait', en: 'Wizall Money Senegal: cash-out' }, [offer('collection', DX)]),
  service('EASYTRANSFERT_23', 'easytransfert', 'SN', 'orange', { fr: 'Orange Money Sénégal : retrait', en: 'Orange Money Senegal: cash-out' }, [offer('collection', { min: 500, max: 500_000, multiple: 100, otp: true, confirmation: SN_ORANGE })], { phone_format: 'national_trunk' }),
  service('EASYTRANSFERT_27', 'easytransfert', 'CI', 'orange', { fr: "Orange Money Côte d'Ivoire : retrait", en: "Orange Money Côte d'Ivoire: cash-out" }, [offer('collection', { min: 500, max: 500_000, multiple: 100, otp: true, confirmation: syntax('CI', 'orange', '#144*82#', OTP_NOTE) })], { phone_format: 'national_trunk' }),
  service('EASYTRANSFERT_26', 'easytransfert', 'CI', 'orange', { fr: "Orange Money Côte d'Ivoire : dépôt", en: "Orange Money Côte d'Ivoire: cash-in" }, [offer('disbursement', { min: 500, max: 500_000, multiple: 100 })], { phone_format: 'national_trunk' }),
  service('UNIPESA_2303', 'unipesa', 'CI', 'mtn', { fr: "MTN Mobile Money Côte d'Ivoire (passerelle 2303)", en: "MTN Mobile Money Côte d'Ivoire (gateway 2303)" }, [offer('collection', { ...DX, multiple: 5, confirmation: syntax('CI', 'mtn', '*133#', PUSH_NOTE) }), offer('disbursement', { ...DX, multiple: 5, extras: ['customer_name'] })], { phone_format: 'international' }),
  service('UNIPESA_9209', 'unipesa', 'BF', 'orange', { fr: 'Orange Money Burkina Faso (passerelle 9209)', en: 'Orange Money Burkina Faso (gateway 9209)' }, [offer('collection', { ...DX, multiple: 5, otp: true, confirmation: syntax('BF', 'orange', '*144*4*6*montant#', OTP_NOTE) }), offer('disbursement', { ...DX, multiple: 5 })], { phone_format: 'international' }),
  service('ORANGE_SN_AIRTIME', 'dexchange', 'SN', 'orange', { fr: 'Crédit Orange', en: 'Orange airtime' }, [offer('airtime', { ...DX, commission: 100 })]),
  service('FREE_SN_AIRTIME', 'dexchange', 'SN', 'free', { fr: 'Crédit Free', en: 'Free airtime' }, [offer('airtime', { ...DX, commission: 100 })]),
  service('EXPRESSO_SN_AIRTIME', 'dexchange', 'SN', 'expresso', { fr: 'Crédit Expresso', en: 'Expresso airtime' }, [offer('airtime', { ...DX, commission: 100 })]),
  service('PROMOBILE_SN_AIRTIME', 'dexchange', 'SN', 'promobile', { fr: 'Crédit Promobile', en: 'Promobile airtime' }, [offer('airtime', { ...DX, commission: 100 })]),
  service('SENEAU_SN_BILL', 'dexchange', 'SN', 'seneau', { fr: 'Facture SenEau', en: 'SenEau bill' }, [offer('bill', { extras: ['reference_client'] })], { phone_format: null }),
  service('SENELEC_SN_BILL', 'dexchange', 'SN', 'senelec', { fr: 'Facture Senelec', en: 'Senelec bill' }, [offer('bill', { extras: ['reference_client'] })], { phone_format: null }),
  service('WOYOFAL_SN_BILL', 'dexchange', 'SN', 'woyofal', { fr: 'Recharge Woyofal', en: 'Woyofal top-up' }, [offer('prepaid', { min: 1000, max: 1_000_000, extras: ['reference_client'] })], { phone_format: null }),
  service('DEXCHANGE_PAYMENT_LINK', 'dexchange', 'SN', 'dexchange', { fr: 'Lien de paiement', en: 'Payment link' }, [offer('payment_link', { min: 100 })], { phone_required: false }),
];

/**
 * @param {Partial<Record<string, unknown>>} b
 */
function bill(b) {
  const amount = /** @type {number} */ (b.amount_minor ?? 0);
  const fee = /** @type {number} */ (b.fee_minor ?? 0);
  return {
    reference_client: '',
    reference_facture: null,
    payment_transaction_number: null,
    customer_name: '',
    address: null,
    amount_minor: amount,
    fee_minor: fee,
    total_minor: amount + fee,
    due_date: null,
    paid: false,
    meter_status: null,
    ...b,
  };
}

/** Inquiry answers, by `serviceCode/reference`. */
export const BILLS = {
  'SENEAU_SN_BILL/1234567': [
    bill({ reference_client: '1234567', reference_facture: 'SE-2026-09-1187', customer_name: 'Awa Ndiaye', address: 'Cité Keur Gorgui, villa 12, Dakar', amount_minor: 8_450, fee_minor: 150, due_date: '2026-09-30' }),
    bill({ reference_client: '1234567', reference_facture: 'SE-2026-10-1187', customer_name: 'Awa Ndiaye', address: 'Cité Keur Gorgui, villa 12, Dakar', amount_minor: 12_500, fee_minor: 250, due_date: '2026-10-31' }),
    bill({ reference_client: '1234567', reference_facture: 'SE-2026-08-1187', customer_name: 'Awa Ndiaye', address: 'Cité Keur Gorgui, villa 12, Dakar', amount_minor: 9_900, fee_minor: 150, due_date: '2026-08-31', paid: true }),
  ],
  'SENELEC_SN_BILL/20145678901': [
    bill({ reference_client: '20145678901', reference_facture: 'SL-556677', customer_name: 'Ibrahima Sarr', address: 'Médina, rue 22 x 17, Dakar', amount_minor: 27_310, fee_minor: 300, due_date: '15/11/2026' }),
  ],
  'SENELEC_SN_BILL/20100000000': [
    bill({ reference_client: '20100000000', reference_facture: 'SL-000001', customer_name: 'Mariama Ba', address: 'Thiès', amount_minor: 5_000, fee_minor: 100, due_date: '2026-10-01', paid: true }),
  ],
  'WOYOFAL_SN_BILL/14123456789': [
    bill({ reference_client: '14123456789', customer_name: 'Moussa Fall', address: 'Parcelles Assainies, unité 15, Dakar', meter_status: 'ACTIF' }),
  ],
};

/** The token the fake Woyofal gives. */
export const TOKEN = '58231940672215839047';

/**
 * Yesterday's and earlier operations, for the history.
 * @param {string} operator
 */
export function pastOperations(operator = 'Awa Diop') {
  /** @type {{ operation: any, events: any[] }[]} */
  const out = [];
  let eventId = 1;
  /**
   * @param {string} id @param {string} created @param {any} fields @param {[string, string, string?][]} steps
   */
  const add = (id, created, fields, steps) => {
    const events = [];
    let from = null;
    let at = new Date(created).getTime();
    let seq = 1;
    for (const [to, source, note] of steps) {
      events.push({
        id: eventId++, operation_id: id, seq: seq++, at: new Date(at).toISOString(), from_status: from, to_status: to,
        source, actor: source === 'cashier' ? operator : null, raw: null, note: note ?? null,
        provider_ref: null, fee_minor: null, token: null, details: null,
      });
      from = to;
      at += 4000;
    }
    const last = events[events.length - 1];
    out.push({
      operation: {
        id, idempotency_key: `GCH-${id.slice(-6).toUpperCase()}`, provider: 'dexchange', fee_minor: null, invoice_ref: null,
        provider_ref: null, token: null, operator_name: operator, training: true, details: {}, country: 'SN', currency: XOF,
        created_at: new Date(created).toISOString(), updated_at: last?.at ?? new Date(created).toISOString(),
        status: last?.to_status ?? 'prepared', ...fields,
      },
      events,
    });
  };
  add('0190a1b2-0001-7000-8000-00000000a001', '2026-11-22T10:15:00Z',
    { service_code: 'WOYOFAL_SN_BILL', kind: 'prepaid', amount_minor: 5000, fee_minor: 0, customer_ref: '14123456789', provider_ref: 'DXW-88120', token: '11112222333344445555', details: { customer_name: 'Moussa Fall' } },
    [['prepared', 'cashier'], ['sent', 'engine'], ['processing', 'provider'], ['success', 'reconciler', 'Code reçu après 2 minutes']]);
  add('0190a1b2-0002-7000-8000-00000000a002', '2026-11-22T11:40:00Z',
    { service_code: 'ORANGE_SN_AIRTIME', kind: 'airtime', amount_minor: 2000, fee_minor: 0, customer_ref: '771234567', provider_ref: 'DXA-45002' },
    [['prepared', 'cashier'], ['sent', 'engine'], ['success', 'provider']]);
  add('0190a1b2-0003-7000-8000-00000000a003', '2026-11-22T16:05:00Z',
    { service_code: 'OM_SN_CASHOUT', kind: 'collection', amount_minor: 15000, customer_ref: '781112233', provider_ref: 'DXC-77310' },
    [['prepared', 'cashier'], ['sent', 'engine'], ['pending', 'provider'], ['failed', 'reconciler', 'Le client n’a pas validé']]);
  add('0190a1b2-0004-7000-8000-00000000a004', '2026-11-23T08:30:00Z',
    { service_code: 'SENEAU_SN_BILL', kind: 'bill', amount_minor: 12500, fee_minor: 250, customer_ref: '7654321', invoice_ref: 'SE-2026-10-0042', provider_ref: 'DXB-10021', details: { customer_name: 'Fatou Sow' } },
    [['prepared', 'cashier'], ['sent', 'engine'], ['success', 'provider']]);
  add('0190a1b2-0005-7000-8000-00000000a005', '2026-11-23T08:50:00Z',
    { service_code: 'WAVE_SN_CASHIN', kind: 'disbursement', amount_minor: 30000, customer_ref: '761234500' },
    [['prepared', 'cashier'], ['sent', 'engine'], ['unknown', 'engine', 'Pas de réponse du fournisseur (délai dépassé)']]);
  return out;
}

/**
 * The audit trail as the core answers audit_log for a till set up before the test: its two
 * operators created, then Awa's sign-in (oldest first; the hashes are the core's business).
 */
export function auditTrail() {
  /** @param {number} seq @param {string} at @param {string} actor @param {string} action @param {Record<string, unknown>} details */
  const entry = (seq, at, actor, action, details) => ({
    seq, at, actor, action, details, prev_hash: String(seq - 1).padStart(64, '0'), hash: String(seq).padStart(64, '0'),
  });
  return [
    entry(1, '2026-11-01T08:00:00.000Z', 'system', 'operator_created', { operator_id: 1, name: 'Awa Diop', role: 'manager' }),
    entry(2, '2026-11-01T08:00:01.000Z', 'system', 'operator_created', { operator_id: 2, name: 'Moussa Fall', role: 'cashier' }),
    entry(3, '2026-11-23T08:55:00.000Z', 'Awa Diop', 'login', { operator_id: 1, role: 'manager' }),
  ];
}

const PROVIDER_NAMES = { dexchange: 'DEXCHANGE', easytransfert: 'EASYTRANSFERT', unipesa: 'Unipesa' };

/**
 * What the core's provider_status answers, in its words: every provider reachable unless `down`
 * names it (`{ dexchange: false }`: unreachable; `null`: not checked yet).
 * @param {Record<string, boolean | null>} down
 */
export function providerStatus(down) {
  return Object.entries(PROVIDER_NAMES).map(([provider, name]) => {
    const reachable = provider in down ? down[provider] : true;
    const [fr, en] = reachable === null
      ? [`${name} : vérification en cours`, `${name}: checking`]
      : reachable ? [`${name} joignable`, `${name} reachable`] : [`${name} injoignable`, `${name} unreachable`];
    return { provider, reachable, checked_at: reachable === null ? null : '2026-11-23T09:04:58Z', message: { fr, en } };
  });
}

/**
 * An operation waiting for a manager's review, as review_list answers it (desk/review.rs
 * `ReviewItem`): an EASYTRANSFERT cash-in whose answer never came.
 * @param {string} id @param {number} amount @param {string} phone
 */
export function reviewItem(id, amount, phone) {
  /** @param {number} s */
  const at = (s) => `2026-11-23T09:0${s}:00.000Z`;
  const operation = {
    id, idempotency_key: `GCH-${id.slice(0, 8)}`, provider: 'easytransfert', service_code: 'EASYTRANSFERT_20',
    kind: 'disbursement', country: 'SN', currency: XOF, amount_minor: amount, fee_minor: null, customer_ref: phone,
    invoice_ref: null, status: 'needs_review', provider_ref: null, token: null, operator_name: 'Moussa Fall', training: true,
    details: { review_reason: 'no_lookup_no_resend' }, created_at: at(0), updated_at: at(3),
  };
  /** @param {number} seq @param {string | null} from @param {string} to @param {string} source @param {string | null} note @param {unknown} [raw] */
  const ev = (seq, from, to, source, note, raw = null) => ({
    id: seq, operation_id: id, seq, at: at(seq), from_status: from, to_status: to, source, actor: null, raw, note,
    provider_ref: null, fee_minor: null, token: null, details: null,
  });
  return {
    operation,
    events: [
      ev(0, null, 'prepared', 'engine', 'intent recorded'),
      ev(1, 'prepared', 'sent', 'engine', 'sent to easytransfert'),
      ev(2, 'sent', 'unknown', 'engine', 'no answer within 30 s', { error: 'timeout' }),
      ev(3, 'unknown', 'needs_review', 'reconciler', 'EASYTRANSFERT gives no way to look this operation up'),
    ],
    reason_code: 'no_lookup_no_resend',
    reason: {
      fr: "Le fournisseur n'a pas répondu et ne permet ni de retrouver l'opération sans son identifiant, ni de la renvoyer sans risque de payer deux fois.",
      en: 'The provider did not answer, and offers no way to look the operation up without its id, nor to resend it without risking a double payment.',
    },
  };
}

/** A shift as the core answers it (open unless `closed` is given). @param {number} id @param {any} [closed] */
export function shiftOf(id, closed = {}) {
  return {
    id, opened_by: 'Moussa Fall', opened_at: '2026-11-23T08:00:00.000Z', currency: 'XOF',
    opening_float_minor: 23000, opening_count: null, closed_by: null, closed_at: null, expected_minor: null,
    counted_minor: null, closing_count: null, approved_by: null, approval_note: null, z_number: null, ...closed,
  };
}

/** A shift report as the core answers it, with `count` airtime sales of 1 000 F. @param {'x' | 'z' | 'day'} kind @param {number} count @param {any} [cash] */
export function shiftReport(kind, count, cash = {}) {
  const line = { key: 'airtime', label: { fr: 'Crédit téléphonique', en: 'Airtime' }, count, amount_minor: 1000 * count, fee_minor: 0, cash_minor: 1000 * count, commission_minor: 10 * count, provider_commission_minor: 0 };
  return {
    kind, z_number: kind === 'z' ? 1 : null, day: null, generated_at: '2026-11-23T12:00:00.000Z', currency: 'XOF',
    shifts: [], training_count: count, by_kind: [line], by_service: [], by_provider: [], totals: { ...line, key: 'total' },
    by_hour: Array(24).fill(0), failed: { count: 0, amount_minor: 0 }, refunded: { count: 0, amount_minor: 0 },
    pending: [], to_review: [], settled_since: [], movements: [],
    cash: { opening_float_minor: 23000, sales_in_minor: 1000 * count, sales_out_minor: 0, movements_in_minor: 0, movements_out_minor: 0, settled_since_minor: 0, expected_minor: 23000 + 1000 * count, counted_minor: null, difference_minor: null, ...cash },
    floats: [], events_through: kind === 'z' ? 42 : null,
  };
}
