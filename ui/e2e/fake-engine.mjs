// A small in-page stand-in for the Rust engine, for the Playwright tests. It runs inside the page
// (the harness injects its source before the app loads), answers the operation commands with the
// shapes of the command contract (src/lib/api.ts, src/lib/contract.ts), keeps a ledger in
// localStorage (so a reload, or a reprint "offline", finds it) and sends each change over the
// page's `follow_operations` channel (as `operation-updated` through the harness).
//
// Tests steer it through `window.__ENGINE__`:
//   script(steps)            the next submit follows these steps instead of the kind's default;
//                            a step is { status, delay?, patch? } (patch may set token, fee_minor,
//                            provider_ref, details…); delay is ms after the previous step
//   advance(id, status, patch?)  move an operation on now (id 'last' = the newest)
//   emit(operation)          send an operation change to the page as is
//   last()                   the newest operation
//   prints(id)               how many times print_receipt printed it
//
// It checks nothing the core checks: a submit or a code the core would refuse, a test scripts
// as the next answer of that command (harness.mjs `answerNext`, core-answers.mjs `refused`).

/**
 * @param {{ catalog: any[], bills: Record<string, any[]>, ledger: { operation: any, events: any[] }[],
 *           prints: Record<string, number>, token: string, stepDelay: number }} config
 * @param {{ emit: (event: string, payload: unknown) => void, appInfo: () => { operator_name: string,
 *           mode: string, shop_name: string } }} hooks
 */
export function installFakeEngine(config, hooks) {
  const KEY = 'guichet.e2e.ledger';
  /** @type {{ ops: any[], events: any[], prints: Record<string, number>, counter: number, lastAt: number }} */
  const ledger = JSON.parse(localStorage.getItem(KEY) ?? 'null') ?? {
    ops: config.ledger.map((l) => l.operation),
    events: config.ledger.flatMap((l) => l.events),
    prints: { ...config.prints },
    counter: 0,
    lastAt: 0,
  };
  const save = () => localStorage.setItem(KEY, JSON.stringify(ledger));
  save();
  /** @type {any[] | null} */
  let nextScript = null;

  /** @param {string} code @param {string} fr @param {string} en @param {Record<string, unknown>} [more] */
  const error = (code, fr, en, more = {}) => ({ code, message: { fr, en }, ...more });
  /** An increasing instant (the page clock may be frozen by the test). */
  const now = () => {
    ledger.lastAt = Math.max(Date.now(), ledger.lastAt + 1000);
    return new Date(ledger.lastAt).toISOString();
  };
  /** @param {number} n */
  const money = (n) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} FCFA`;
  /** @param {string} id */
  const find = (id) => (id === 'last' ? ledger.ops[ledger.ops.length - 1] : ledger.ops.find((o) => o.id === id));
  /** @param {any} op */
  const clone = (op) => JSON.parse(JSON.stringify(op));

  /**
   * @param {any} op @param {string} to @param {any} [patch] @param {string} [source] @param {string | null} [note]
   */
  function transition(op, to, patch = {}, source = 'provider', note = null) {
    const from = op.status;
    const { details, ...rest } = patch;
    Object.assign(op, rest);
    if (details) op.details = { ...op.details, ...details };
    op.status = to;
    op.updated_at = now();
    ledger.events.push({
      id: ledger.events.length + 1, operation_id: op.id,
      seq: ledger.events.filter((e) => e.operation_id === op.id).length + 1,
      at: op.updated_at, from_status: from,
      to_status: to, source, actor: source === 'cashier' ? op.operator_name : null, raw: null, note,
      provider_ref: rest.provider_ref ?? null, fee_minor: rest.fee_minor ?? null, token: rest.token ?? null, details: details ?? null,
    });
    save();
    hooks.emit('operation-updated', clone(op));
    return op;
  }

  /** The steps a kind follows by default after `sent`. @param {any} op @param {any} submit */
  function defaultScript(op, submit) {
    const ref = `DX-${String(ledger.counter).padStart(5, '0')}`;
    switch (op.kind) {
      case 'bill': {
        const bill = (config.bills[`${op.service_code}/${op.customer_ref}`] ?? []).find((b) => b.reference_facture === submit.invoice_ref);
        return [{ status: 'success', patch: { provider_ref: ref, fee_minor: bill?.fee_minor ?? 0 } }];
      }
      case 'prepaid':
        return [{ status: 'success', patch: { provider_ref: ref, fee_minor: 0, token: config.token } }];
      case 'airtime':
        return [{ status: 'success', patch: { provider_ref: ref, fee_minor: 0 } }];
      case 'collection':
        if (op.service_code.startsWith('WAVE_')) return [{ status: 'pending', patch: { provider_ref: ref, details: { customer_url: `https://pay.wave.com/c/cos-${ledger.counter}` } } }];
        if (op.service_code.startsWith('WIZALL_')) return [{ status: 'pending', patch: { provider_ref: ref, details: { awaits_otp: true } } }];
        return [{ status: 'pending', patch: { provider_ref: ref } }];
      case 'disbursement':
        return [{ status: 'pending', patch: { provider_ref: ref } }, { status: 'success', delay: config.stepDelay }];
      case 'payment_link':
        return [{ status: 'pending', patch: { provider_ref: ref, details: { customer_url: `https://pay.dexchange.sn/l/${ref}`, item_name: submit.item_name } } }];
      default:
        return [{ status: 'success' }];
    }
  }

  /** @param {any} op @param {any[]} steps */
  function run(op, steps) {
    let delay = 0;
    for (const step of steps) {
      delay += step.delay ?? config.stepDelay;
      setTimeout(() => {
        if (!['success', 'failed', 'cancelled', 'expired'].includes(op.status)) transition(op, step.status, step.patch ?? {}, step.source ?? 'provider', step.note ?? null);
      }, delay);
    }
  }

  /** @param {any} submit */
  function submit(submit) {
    const req = submit?.request;
    if (!req) throw error('invalid_request', 'Requête incomplète.', 'Incomplete request.');
    const service = config.catalog.find((s) => s.code === req.service_code);
    ledger.counter++;
    const at = now();
    const info = hooks.appInfo();
    const id = `0190ffff-${String(ledger.counter).padStart(4, '0')}-7000-8000-${String(Date.now() % 1e12).padStart(12, '0')}`;
    const op = {
      id, idempotency_key: `GCH-${String(ledger.counter).padStart(6, '0')}`, provider: service.provider,
      service_code: req.service_code, kind: req.kind, country: service.country, currency: service.currency,
      amount_minor: req.amount.minor, fee_minor: null,
      customer_ref: req.phone ?? req.extras?.reference_client ?? '',
      invoice_ref: submit.invoice_ref ?? null, status: 'prepared', provider_ref: null, token: null,
      operator_name: info.operator_name, training: info.mode === 'training',
      details: submit.item_name ? { item_name: submit.item_name } : {}, created_at: at, updated_at: at,
    };
    ledger.ops.push(op);
    ledger.events.push({
      id: ledger.events.length + 1, operation_id: id, seq: 1, at, from_status: null, to_status: 'prepared', source: 'cashier',
      actor: info.operator_name, raw: null, note: null, provider_ref: null, fee_minor: null, token: null, details: null,
    });
    save();
    transition(op, 'sent', {}, 'engine');
    const steps = nextScript ?? defaultScript(op, submit);
    nextScript = null;
    // The provider's immediate answer comes back with submit; the rest arrives as events.
    const [first, ...rest] = steps;
    if (first && !first.delay) transition(op, first.status, first.patch ?? {}, first.source ?? 'provider', first.note ?? null);
    run(op, first && !first.delay ? rest : steps);
    return clone(op);
  }

  /** @param {any} op @param {number} width @param {string} copy */
  function receipt(op, width, copy) {
    const info = hooks.appInfo();
    const service = config.catalog.find((s) => s.code === op.service_code);
    const line = '-'.repeat(width);
    /** @param {string} s */
    const center = (s) => ' '.repeat(Math.max(0, Math.floor((width - s.length) / 2))) + s;
    /** @param {string} l @param {string} r */
    const row = (l, r) => l + ' '.repeat(Math.max(1, width - l.length - r.length)) + r;
    const lines = [center(info.shop_name)];
    if (op.training) lines.push(center('*** FORMATION ***'));
    const printed = ledger.prints[op.id] ?? 0;
    if (printed > 0) lines.push(center(`DUPLICATA n° ${printed}`));
    lines.push(line, service?.name.fr ?? op.service_code);
    lines.push(row('Date', new Date(op.created_at).toLocaleString('fr-FR', { timeZone: 'Africa/Dakar', dateStyle: 'short', timeStyle: 'short' })));
    lines.push(row(op.kind === 'prepaid' ? 'Compteur' : op.kind === 'bill' ? 'Réf. client' : 'Client', op.customer_ref || '-'));
    if (op.invoice_ref) lines.push(row('Facture', op.invoice_ref));
    lines.push(row('Montant', money(op.amount_minor)));
    if (op.fee_minor !== null) lines.push(row('Frais', money(op.fee_minor)), row('TOTAL', money(op.amount_minor + op.fee_minor)));
    if (copy === 'merchant') {
      const bp = service?.offers.find((/** @type {any} */ o) => o.kind === op.kind)?.commission_bp ?? 0;
      if (bp > 0) lines.push(row('Commission', money(Math.floor((op.amount_minor * bp) / 10000))));
    }
    if (op.provider_ref) lines.push(row('Réf. opérateur', op.provider_ref));
    if (op.token) lines.push(line, center('CODE WOYOFAL'), center(op.token.replace(/(\d{4})(?=\d)/g, '$1 ')));
    const STATUS = /** @type {Record<string, string>} */ ({ success: 'RÉUSSIE', failed: 'ÉCHOUÉE', pending: 'EN ATTENTE', processing: 'EN COURS', unknown: 'À VÉRIFIER', needs_review: 'À VÉRIFIER', cancelled: 'ANNULÉE', expired: 'EXPIRÉE' });
    lines.push(line, row('Statut', STATUS[op.status] ?? op.status.toUpperCase()), row('Caissier', op.operator_name));
    lines.push(center(copy === 'merchant' ? 'Copie marchand' : 'Copie client'));
    return lines.join('\n');
  }

  /** A deterministic QR-looking SVG (the real one comes from the qrcode crate). @param {string} text */
  function qrSvg(text) {
    const n = 25;
    let h = 2166136261;
    const cells = [];
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const finder = (x < 7 && y < 7) || (x >= n - 7 && y < 7) || (x < 7 && y >= n - 7);
        let on;
        if (finder) {
          const fx = x >= n - 7 ? x - (n - 7) : x;
          const fy = y >= n - 7 ? y - (n - 7) : y;
          on = fx === 0 || fx === 6 || fy === 0 || fy === 6 || (fx >= 2 && fx <= 4 && fy >= 2 && fy <= 4);
        } else {
          h ^= text.charCodeAt((x * n + y) % text.length);
          h = Math.imul(h, 16777619) >>> 0;
          on = (h & 3) === 0;
        }
        if (on) cells.push(`M${x + 2} ${y + 2}h1v1h-1z`);
      }
    }
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n + 4} ${n + 4}" data-qr="${text.replace(/"/g, '&quot;')}"><rect width="100%" height="100%" fill="#fff"/><path d="${cells.join('')}" fill="#000"/></svg>`;
  }

  /** @param {any} q */
  function history(q) {
    const text = (q.text ?? '').trim();
    const digits = text.replace(/[\s.-]/g, '');
    return ledger.ops
      .filter((op) => {
        if (q.status && op.status !== q.status) return false;
        if (q.kind && op.kind !== q.kind) return false;
        if (q.from && op.created_at < q.from) return false;
        if (q.to && op.created_at >= q.to) return false;
        if (!text) return true;
        if (/^\d+$/.test(digits) && Number(digits) === op.amount_minor) return true;
        const hay = [op.customer_ref, op.invoice_ref, op.provider_ref, op.token, op.idempotency_key, op.id]
          .filter(Boolean)
          .map((s) => String(s).toLowerCase().replace(/[\s-]/g, ''));
        return hay.some((s) => s.includes(digits.toLowerCase()));
      })
      .sort((a, b) => (a.created_at < b.created_at ? 1 : -1))
      .filter((op, _, all) => !q.before || op.created_at < (all.find((o) => o.id === q.before)?.created_at ?? ''))
      .slice(0, q.limit ?? 100)
      .map(clone);
  }

  /** @param {string} cmd @param {any} args */
  function handle(cmd, args) {
    switch (cmd) {
      case 'services':
        return JSON.parse(JSON.stringify(config.catalog));
      case 'bill_inquiry': {
        const bills = config.bills[`${args.serviceCode}/${String(args.reference).trim()}`];
        if (!bills) throw error('bill_not_found', 'Aucun client trouvé pour cette référence : vérifiez-la avec le client.', 'No customer found for this reference: check it with the customer.');
        return JSON.parse(JSON.stringify(bills));
      }
      case 'submit':
        return submit(args.request);
      case 'confirm_otp': {
        const op = find(args.id);
        if (!op) throw error('not_found', 'Opération introuvable.', 'Operation not found.');
        transition(op, 'pending', { details: { awaits_otp: false } }, 'cashier', 'Code saisi');
        run(op, [{ status: 'success' }]);
        return clone(op);
      }
      case 'operation': {
        const op = find(args.id);
        if (!op) throw error('not_found', 'Opération introuvable.', 'Operation not found.');
        return { operation: clone(op), events: ledger.events.filter((e) => e.operation_id === op.id).map(clone) };
      }
      case 'history':
        return history(args.query ?? {});
      case 'receipt': {
        const op = find(args.id);
        if (!op) throw error('not_found', 'Opération introuvable.', 'Operation not found.');
        return { text: receipt(op, args.width === 48 ? 48 : 32, args.copy) };
      }
      case 'print_receipt': {
        const op = find(args.id);
        if (!op) throw error('not_found', 'Opération introuvable.', 'Operation not found.');
        const duplicate = ledger.prints[op.id] ?? 0;
        ledger.prints[op.id] = duplicate + 1;
        save();
        return { duplicate, system_dialog: false, text: '' };
      }
      case 'qr_svg':
        return qrSvg(String(args.text));
      case 'open_customer_display':
        return null;
      case 'in_progress':
        // Nothing in progress unless a test scripts it (the core decides which are).
        return [];
      default:
        return undefined;
    }
  }

  const w = /** @type {any} */ (window);
  w.__ENGINE__ = {
    /** @param {any[]} steps */
    script(steps) {
      nextScript = steps;
    },
    /** @param {string} id @param {string} status @param {any} [patch] @param {string} [source] */
    advance(id, status, patch = {}, source = 'reconciler') {
      const op = find(id);
      if (!op) throw new Error(`no operation ${id}`);
      return clone(transition(op, status, patch, source));
    },
    /** @param {any} op */
    emit(op) {
      hooks.emit('operation-updated', op);
    },
    last() {
      const op = ledger.ops[ledger.ops.length - 1];
      return op ? clone(op) : null;
    },
    /** @param {string} id */
    prints(id) {
      return ledger.prints[id] ?? 0;
    },
  };
  return { handle };
}
