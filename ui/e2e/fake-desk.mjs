// A small in-page stand-in for the core's Desk, for the Playwright tests: operators and PINs
// (with the core's lockout), the session and its idle end, the manager's settings, provider keys
// (a fake keyring: values never leave it, only masked), the mode switch and a hash-chained audit
// trail. Its state is kept in localStorage, as the Rust side keeps it in the ledger, so a reload
// finds it. Every command is checked against who is signed in, as commands.json says; the
// operation commands then go to the fake engine (fake-engine.mjs).
//
// Tests steer it through `window.__DESK__`:
//   state()               a copy of the whole state (operators with their PINs, keys, audit…)
//   expire()              the core's idle timer ends the session: the next operator call is
//                         refused with `session_locked`
//   tamper(seq)           change an audit entry behind the chain's back (audit_verify finds it)
//   pending(on)           pretend an operation is unfinished (set_mode refuses)
//   kioskExits()          the names kiosk_exit accepted

/**
 * @param {{ state: any, catalog: any[] }} config the first state (unless one is saved) and the
 *   whole catalog
 */
export function installFakeDesk(config) {
  const KEY = 'guichet.e2e.ipc-state';
  const saved = localStorage.getItem(KEY);
  /** @type {any} */
  const state = saved ? JSON.parse(saved) : structuredClone(config.state);
  const save = () => localStorage.setItem(KEY, JSON.stringify(state));
  /** The core's `last_activity`: in memory, as in the core. */
  let lastActivity = Date.now();
  /** Set by expire(): the next operator call answers session_locked. */
  let expired = false;
  let pendingOperations = false;
  /** @type {string[]} */
  const kioskExits = [];

  const KNOWN_KEYS = [
    ['dexchange', 'api_key'],
    ['easytransfert', 'api_key'],
    ['unipesa', 'public_id'],
    ['unipesa', 'merchant_id'],
    ['unipesa', 'secret'],
  ];
  const PROVIDER_NAMES = /** @type {Record<string, string>} */ ({ dexchange: 'DEXCHANGE', easytransfert: 'EASYTRANSFERT', unipesa: 'Unipesa' });
  const ANYONE = ['app_info', 'set_language', 'first_run', 'login_names', 'login', 'logout', 'kiosk_exit'];
  const OPERATOR = ['keep_alive', 'change_own_pin', 'services', 'bill_inquiry', 'submit', 'confirm_otp', 'operation', 'history', 'receipt', 'print_receipt', 'qr_svg', 'open_customer_display'];

  /** @param {string} code @param {string} fr @param {string} en */
  const error = (code, fr, en) => ({ code, message: { fr, en } });
  /** @param {any} v */
  const clone = (v) => JSON.parse(JSON.stringify(v));
  const nowIso = () => new Date().toISOString();
  /** @param {Date} d */
  const hms = (d) => d.toISOString().slice(11, 19);

  // ── Audit trail: append-only, each entry's hash covers the previous one ─────────────────────
  /** A 64-hex digest (FNV-1a, eight lanes): not SHA-256, but a chain all the same. @param {string} text */
  function digest(text) {
    let out = '';
    for (let lane = 0; lane < 8; lane++) {
      let h = (2166136261 ^ lane * 16777619) >>> 0;
      for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 16777619) >>> 0;
      }
      out += h.toString(16).padStart(8, '0');
    }
    return out;
  }
  /** @param {any} e */
  const entryHash = (e) => digest(`${e.prev_hash}|${e.seq}|${e.at}|${e.actor}|${e.action}|${JSON.stringify(e.details)}`);
  /** @param {string} actor @param {string} action @param {Record<string, unknown>} details */
  function audit(actor, action, details) {
    const prev = state.audit[state.audit.length - 1];
    const entry = { seq: state.audit.length + 1, at: nowIso(), actor, action, details, prev_hash: prev ? prev.hash : '0'.repeat(64), hash: '' };
    entry.hash = entryHash(entry);
    state.audit.push(entry);
  }
  function verify() {
    let prev = '0'.repeat(64);
    for (const e of state.audit) {
      if (e.prev_hash !== prev || entryHash(e) !== e.hash) {
        return {
          ok: false, entries: state.audit.length, broken_at: e.seq,
          message: {
            fr: `Le journal d'audit a été altéré : l'entrée n° ${e.seq} a été modifiée. Exportez le journal et contactez le support.`,
            en: `The audit trail has been tampered with: entry #${e.seq} was edited. Export the trail and contact support.`,
          },
        };
      }
      prev = e.hash;
    }
    const n = state.audit.length;
    return { ok: true, entries: n, broken_at: null, message: { fr: `Journal intact : ${n} entrées vérifiées.`, en: `Trail intact: ${n} entries checked.` } };
  }

  // ── Who is signed in ─────────────────────────────────────────────────────────────────────────
  function info() {
    const s = state.session;
    return {
      shop_name: state.shop_name, operator_name: s ? s.name : '', mode: state.mode, language: state.language,
      version: state.version, needs_setup: !state.operators.some((/** @type {any} */ o) => o.role === 'manager'),
      session: s ? { ...s } : null, idle_timeout_secs: state.idle_timeout_secs, kiosk: state.kiosk, notice: state.notice,
    };
  }
  /** Ends the session when it was idle too long (as Desk::current does). */
  function idleCheck() {
    const idleMs = Date.now() - lastActivity;
    if (state.session && (expired || (state.idle_timeout_secs > 0 && idleMs > state.idle_timeout_secs * 1000))) {
      audit(state.session.name, 'logout', { operator_id: state.session.operator_id, reason: 'idle' });
      state.session = null;
      expired = false;
      save();
      return true;
    }
    return false;
  }
  /** @param {'operator' | 'manager'} level */
  function requireRole(level) {
    if (idleCheck()) throw error('session_locked', "L'écran s'est verrouillé après un moment sans activité : reconnectez-vous.", 'The screen locked after a while without activity: sign in again.');
    const s = state.session;
    if (!s) throw error('not_signed_in', 'Aucun opérateur connecté : connectez-vous avec votre code PIN.', 'No operator is signed in: sign in with your PIN.');
    if (level === 'manager' && s.role !== 'manager') throw error('operator_forbidden', 'Seul un responsable peut faire cela.', 'Only a manager may do this.');
    lastActivity = Date.now();
    return s;
  }

  /** @param {string} name */
  const byName = (name) => state.operators.find((/** @type {any} */ o) => o.name.toLowerCase() === String(name).trim().toLowerCase());
  /** @param {number} id */
  const byId = (id) => state.operators.find((/** @type {any} */ o) => o.id === id);
  /** @param {string} pin */
  function checkPinFormat(pin) {
    if (!/^[0-9]{4,8}$/.test(String(pin))) throw error('operator_invalid_pin', 'Le code PIN doit comporter de 4 à 8 chiffres (0 à 9), sans lettres ni espaces.', 'The PIN must be 4 to 8 digits (0 to 9), with no letters or spaces.');
  }
  /** @param {string} name */
  function checkName(name) {
    const n = String(name ?? '').trim();
    if (n === '' || /^[0-9]+$/.test(n) || n.length > 64) {
      throw error('operator_invalid_name', "Nom d'opérateur refusé : vide ou fait de chiffres. Utilisez de 1 à 64 caractères, pas uniquement des chiffres.", 'Operator name refused: empty or digits only. Use 1 to 64 characters, not only digits.');
    }
    return n;
  }
  /** @param {any} o @param {string} until */
  const lockedError = (o, until) => error('operator_locked', `Compte verrouillé après trop de codes PIN incorrects. Réessayez après ${hms(new Date(until))} (heure UTC/GMT) ou demandez au responsable de le déverrouiller.`, `Account locked after too many wrong PINs. Try again after ${hms(new Date(until))} (UTC/GMT) or ask the manager to unlock it.`);
  /** The core's PIN check with its lockout (5 wrong → 30 s, doubling, 15 min at most). @param {string} name @param {string} pin */
  function checkPin(name, pin) {
    const o = byName(name);
    if (!o) {
      audit('unknown', 'login_failed', { reason: 'unknown_name' });
      save();
      throw error('operator_unknown', 'Opérateur inconnu. Vérifiez le nom.', 'Unknown operator. Check the name.');
    }
    checkPinFormat(pin);
    if (o.locked_until && new Date(o.locked_until).getTime() > Date.now()) {
      audit(o.name, 'login_failed', { operator_id: o.id, reason: 'locked' });
      save();
      throw lockedError(o, o.locked_until);
    }
    if (o.pin === pin) {
      o.failed_attempts = 0;
      o.locked_until = null;
      return o;
    }
    o.failed_attempts++;
    const remaining = Math.max(0, 5 - o.failed_attempts);
    audit(o.name, 'login_failed', { operator_id: o.id, reason: 'wrong_pin', failed_attempts: o.failed_attempts, remaining });
    if (o.failed_attempts >= 5) {
      const secs = Math.min(30 * 2 ** (o.failed_attempts - 5), 900);
      o.locked_until = new Date(Date.now() + secs * 1000).toISOString();
      audit(o.name, 'locked', { operator_id: o.id, failed_attempts: o.failed_attempts, until: o.locked_until, seconds: secs });
      save();
      throw lockedError(o, o.locked_until);
    }
    save();
    throw error('operator_wrong_pin', `Code PIN incorrect. Encore ${remaining} essai(s) avant le verrouillage du compte.`, `Wrong PIN. ${remaining} attempt(s) left before the account locks.`);
  }
  /** @param {string} name @param {string} pin */
  function login(name, pin) {
    const o = checkPin(name, pin);
    state.session = { operator_id: o.id, name: o.name, role: o.role };
    lastActivity = Date.now();
    expired = false;
    audit(o.name, 'login', { operator_id: o.id, role: o.role });
    save();
    return info();
  }

  // ── Settings ─────────────────────────────────────────────────────────────────────────────────
  const invalid = (/** @type {string} */ fr, /** @type {string} */ en) => error('invalid_setting', fr, en);
  function settings() {
    return clone({
      shop_name: state.shop_name, shop_address: state.shop_address, receipt_header: state.receipt_header,
      printer: state.printer, idle_timeout_secs: state.idle_timeout_secs, kiosk: state.kiosk, language: state.language,
      provider_urls: state.provider_urls, disabled_services: state.disabled_services,
    });
  }
  /** @param {string} name @param {string} address @param {string} header */
  function checkShop(name, address, header) {
    const n = String(name).trim();
    if (n === '') throw invalid('Saisissez le nom de la boutique.', "Enter the shop's name.");
    if ([...n].length > 48) throw invalid('Le nom de la boutique tient sur une ligne de 48 caractères au plus.', "The shop's name fits on one line of at most 48 characters.");
    const a = String(address).trim();
    if ([...a].length > 120 || /[\r\n]/.test(a)) throw invalid("L'adresse tient sur une ligne de 120 caractères au plus.", 'The address fits on one line of at most 120 characters.');
    const lines = String(header).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    if (lines.length > 4 || lines.some((l) => [...l].length > 48)) throw invalid("L'en-tête du reçu : 4 lignes de 48 caractères au plus.", 'The receipt header: at most 4 lines of 48 characters.');
    return { shop_name: n, shop_address: a, receipt_header: lines.join('\n') };
  }
  /** @param {string} actor @param {string} key @param {any} value */
  function set(actor, key, value) {
    const old = state[key];
    if (JSON.stringify(old) === JSON.stringify(value)) return;
    state[key] = value;
    audit(actor, 'setting_changed', { setting: key, old: typeof old === 'string' || old === null ? old : JSON.stringify(old), new: typeof value === 'string' || value === null ? value : JSON.stringify(value) });
  }
  /** @param {any} patch @param {string} actor */
  function saveSettings(patch, actor) {
    const shop = checkShop(patch.shop_name ?? state.shop_name, patch.shop_address ?? state.shop_address, patch.receipt_header ?? state.receipt_header);
    if (patch.idle_timeout_secs !== undefined) {
      const s = patch.idle_timeout_secs;
      if (!Number.isInteger(s) || (s !== 0 && (s < 30 || s > 7200))) throw invalid('Verrouillage automatique : entre 30 secondes et 2 heures, ou jamais (0).', 'Automatic lock: between 30 seconds and 2 hours, or never (0).');
    }
    if (patch.provider_urls) {
      for (const url of Object.values(patch.provider_urls)) {
        if (!/^https?:\/\/[^/\s]+/.test(String(url).trim())) throw invalid(`Adresse invalide : ${url}. Elle commence par https:// (ou http://).`, `Invalid address: ${url}. It starts with https:// (or http://).`);
      }
    }
    if (patch.disabled_services) {
      for (const code of patch.disabled_services) {
        if (!config.catalog.some((s) => s.code === code)) throw invalid(`Service inconnu : ${code}.`, `Unknown service: ${code}.`);
      }
    }
    for (const [k, v] of Object.entries(shop)) set(actor, k, v);
    if (patch.idle_timeout_secs !== undefined) set(actor, 'idle_timeout_secs', patch.idle_timeout_secs);
    if (patch.kiosk !== undefined) set(actor, 'kiosk', Boolean(patch.kiosk));
    if (patch.provider_urls) set(actor, 'provider_urls', Object.fromEntries(Object.entries(patch.provider_urls).map(([k, v]) => [k, String(v).trim().replace(/\/+$/, '')])));
    if (patch.disabled_services) set(actor, 'disabled_services', [...new Set(patch.disabled_services)].sort());
    save();
    return settings();
  }
  /** @param {any} printer @param {string} actor */
  function savePrinter(printer, actor) {
    const c = printer?.connection;
    if (c?.type === 'network' && (!String(c.host).trim() || /\s/.test(c.host))) throw invalid("Saisissez l'adresse IP de l'imprimante (par exemple 192.168.1.50).", "Enter the printer's IP address (for example 192.168.1.50).");
    if (c?.type === 'network' && !(c.port >= 1 && c.port <= 65535)) throw invalid("Le port de l'imprimante va de 1 à 65535 (souvent 9100).", "The printer's port goes from 1 to 65535 (often 9100).");
    if (c?.type === 'device' && !String(c.path).startsWith('/') && !/^COM/i.test(c.path)) throw invalid('Saisissez le chemin du périphérique (par exemple /dev/usb/lp0).', 'Enter the device path (for example /dev/usb/lp0).');
    set(actor, 'printer', printer ?? null);
    save();
    return settings();
  }

  // ── Provider keys (a fake keyring) ───────────────────────────────────────────────────────────
  function keys() {
    return KNOWN_KEYS.map(([provider, field]) => {
      const value = state.keys[`${provider}.${field}`];
      const chars = value ? [...value] : [];
      return { provider, field, present: value !== undefined, masked: value === undefined ? null : `••••${chars.length >= 8 ? chars.slice(-4).join('') : ''}` };
    });
  }
  /** @param {string} provider @param {string} field */
  function knownKey(provider, field) {
    if (!KNOWN_KEYS.some(([p, f]) => p === provider && f === field)) throw error('secrets_unknown_key', `Clé inconnue : ${provider}.${field}.`, `Unknown key: ${provider}.${field}.`);
  }
  /** @param {string} provider */
  const providerKeys = (provider) => KNOWN_KEYS.filter(([p]) => p === provider).map(([p, f]) => state.keys[`${p}.${f}`]);
  /** @param {string} provider */
  function checkConnection(provider) {
    const values = providerKeys(provider);
    if (values.length === 0) throw error('invalid_request', 'Fournisseur inconnu.', 'Unknown provider.');
    if (values.some((v) => v === undefined)) throw error('keys_missing', `Clés manquantes pour ${PROVIDER_NAMES[provider]} : saisissez-les dans Réglages › Clés fournisseurs.`, `Keys missing for ${PROVIDER_NAMES[provider]}: enter them in Settings › Provider keys.`);
    if (values.some((v) => String(v).includes('bad'))) throw error('provider_unauthorized', `${PROVIDER_NAMES[provider]} refuse les clés : vérifiez-les.`, `${PROVIDER_NAMES[provider]} refuses the keys: check them.`);
    const balance = provider === 'dexchange' ? { amount_minor: 125000, currency: 'XOF' } : provider === 'easytransfert' ? { amount_minor: 48500, currency: 'XOF' } : null;
    return { provider, balance };
  }

  const operators = () => state.operators.map((/** @type {any} */ o) => ({ id: o.id, name: o.name, role: o.role, failed_attempts: o.failed_attempts, locked_until: o.locked_until, created_at: o.created_at }));
  const offered = (/** @type {string} */ code) => !state.disabled_services.includes(code);
  /** @param {string} code */
  function checkOffered(code) {
    if (offered(code)) return;
    const name = config.catalog.find((s) => s.code === code)?.name.fr ?? code;
    throw error('service_disabled', `Le service ${name} n'est pas proposé par cette caisse.`, `The service ${name} is not offered by this till.`);
  }

  /**
   * @param {string} cmd
   * @param {any} args
   * @param {() => any} engine the operation command, once allowed
   */
  function handle(cmd, args, engine) {
    if (!ANYONE.includes(cmd)) requireRole(OPERATOR.includes(cmd) ? 'operator' : 'manager');
    /** The signed-in operator's name. */
    const me = () => state.session?.name ?? '';
    switch (cmd) {
      case 'app_info':
        idleCheck();
        return info();
      case 'set_language':
        if (args.language !== 'fr' && args.language !== 'en') throw error('invalid_language', 'Langue inconnue.', 'Unknown language.');
        state.language = args.language;
        save();
        return info();
      case 'first_run': {
        if (info().needs_setup === false) throw error('setup_done', 'La caisse est déjà configurée : connectez-vous.', 'The till is already set up: sign in.');
        const s = args.setup ?? {};
        const shop = checkShop(s.shop_name ?? '', s.shop_address ?? '', s.receipt_header ?? '');
        const name = checkName(s.manager_name);
        checkPinFormat(s.pin);
        const manager = { id: state.nextId++, name, role: 'manager', pin: s.pin, failed_attempts: 0, locked_until: null, created_at: nowIso() };
        state.operators.push(manager);
        audit('system', 'operator_created', { operator_id: manager.id, name, role: 'manager' });
        for (const [k, v] of Object.entries(shop)) set(name, k, v);
        return login(name, s.pin);
      }
      case 'login_names':
        return state.operators.map((/** @type {any} */ o) => ({
          id: o.id, name: o.name, role: o.role,
          locked_until: o.locked_until && new Date(o.locked_until).getTime() > Date.now() ? o.locked_until : null,
        }));
      case 'login':
        return login(args.name, args.pin);
      case 'logout':
        if (state.session) audit(state.session.name, 'logout', { operator_id: state.session.operator_id, reason: args.idle ? 'idle' : 'manual' });
        state.session = null;
        save();
        return info();
      case 'kiosk_exit': {
        const o = checkPin(args.name, args.pin);
        save();
        if (o.role !== 'manager') throw error('operator_forbidden', 'Seul un responsable peut faire cela.', 'Only a manager may do this.');
        audit(o.name, 'kiosk_exit', { operator_id: o.id });
        save();
        kioskExits.push(o.name);
        return null;
      }
      case 'change_own_pin': {
        const o = checkPin(me(), args.current);
        checkPinFormat(args.new);
        o.pin = args.new;
        audit(o.name, 'pin_changed', { operator_id: o.id });
        save();
        return null;
      }
      case 'keep_alive':
        return null;
      case 'services':
        return engine().filter((/** @type {any} */ s) => offered(s.code));
      case 'bill_inquiry':
        checkOffered(args.serviceCode);
        return engine();
      case 'submit':
        checkOffered(args.request?.request?.service_code);
        return engine();
      case 'settings':
        return settings();
      case 'save_settings':
        return saveSettings(args.patch ?? {}, me());
      case 'save_printer':
        return savePrinter(args.printer, me());
      case 'all_services':
        return clone(config.catalog);
      case 'provider_keys':
        return keys();
      case 'set_provider_key': {
        knownKey(args.provider, args.field);
        if (String(args.value ?? '') === '') throw error('secrets_invalid', 'La clé est vide.', 'The key is empty.');
        state.keys[`${args.provider}.${args.field}`] = String(args.value);
        audit(me(), 'key_changed', { provider: args.provider, field: args.field, backend: 'fake' });
        save();
        return keys();
      }
      case 'delete_provider_key': {
        knownKey(args.provider, args.field);
        const k = `${args.provider}.${args.field}`;
        if (k in state.keys) {
          state.keys = Object.fromEntries(Object.entries(state.keys).filter(([name]) => name !== k));
          audit(me(), 'key_deleted', { provider: args.provider, field: args.field, backend: 'fake' });
          save();
        }
        return keys();
      }
      case 'check_connection':
        return checkConnection(args.provider);
      case 'operators':
        return operators();
      case 'create_operator': {
        const name = checkName(args.name);
        checkPinFormat(args.pin);
        if (byName(name)) throw error('operator_name_taken', `Un opérateur nommé « ${name} » existe déjà. Choisissez un autre nom.`, `An operator named "${name}" already exists. Choose another name.`);
        const o = { id: state.nextId++, name, role: args.role === 'manager' ? 'manager' : 'cashier', pin: args.pin, failed_attempts: 0, locked_until: null, created_at: nowIso() };
        state.operators.push(o);
        audit(me(), 'operator_created', { operator_id: o.id, name, role: o.role });
        save();
        return operators();
      }
      case 'reset_pin': {
        const o = byId(args.id);
        if (!o) throw error('operator_unknown', 'Opérateur inconnu. Vérifiez le nom.', 'Unknown operator. Check the name.');
        checkPinFormat(args.pin);
        Object.assign(o, { pin: args.pin, failed_attempts: 0, locked_until: null });
        audit(me(), 'pin_reset', { operator_id: o.id, name: o.name });
        save();
        return operators();
      }
      case 'unlock_operator': {
        const o = byId(args.id);
        if (!o) throw error('operator_unknown', 'Opérateur inconnu. Vérifiez le nom.', 'Unknown operator. Check the name.');
        Object.assign(o, { failed_attempts: 0, locked_until: null });
        audit(me(), 'unlocked', { operator_id: o.id, name: o.name });
        save();
        return operators();
      }
      case 'set_mode': {
        checkPin(me(), args.pin);
        save();
        if (args.mode === state.mode) return info();
        if (args.mode === 'live' && !['dexchange', 'easytransfert', 'unipesa'].some((p) => providerKeys(p).every((v) => v !== undefined))) {
          throw error('live_without_keys', "Le mode réel demande les clés d'au moins un fournisseur : saisissez-les dans Réglages › Clés fournisseurs.", "Live mode needs at least one provider's keys: enter them in Settings › Provider keys.");
        }
        if (pendingOperations) throw error('operations_pending', 'Une opération est en cours : attendez qu\'elle se termine avant de changer de mode.', 'An operation is under way: wait until it ends before switching modes.');
        audit(me(), 'mode_switched', { from: state.mode, to: args.mode });
        state.mode = args.mode;
        state.notice = null;
        save();
        return info();
      }
      case 'audit_log': {
        const q = args.query ?? {};
        return clone(state.audit.filter((/** @type {any} */ e) =>
          (!q.action || e.action === q.action) && (!q.actor || e.actor === q.actor) && (q.after_seq === null || q.after_seq === undefined || e.seq > q.after_seq) &&
          (!q.from || e.at >= q.from) && (!q.to || e.at < q.to)).slice(0, q.limit ?? 10000));
      }
      case 'audit_verify':
        return verify();
      case 'audit_export': {
        const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
        return { path: `/home/guichet/.local/share/sn.guichet.pos/exports/audit-${stamp}.json`, entries: state.audit.length };
      }
      default:
        return engine();
    }
  }

  if (!saved) {
    // A till that was set up before the test: its trail starts with its operators.
    for (const o of state.operators) audit('system', 'operator_created', { operator_id: o.id, name: o.name, role: o.role });
    if (state.session) audit(state.session.name, 'login', { operator_id: state.session.operator_id, role: state.session.role });
  }
  save();
  const w = /** @type {any} */ (window);
  w.__DESK__ = {
    state: () => clone(state),
    expire() {
      expired = true;
    },
    /** @param {number} seq */
    tamper(seq) {
      const e = state.audit.find((/** @type {any} */ x) => x.seq === seq);
      if (e) e.details = { ...e.details, tampered: true };
      save();
    },
    /** @param {boolean} on */
    pending(on) {
      pendingOperations = on;
    },
    kioskExits: () => [...kioskExits],
  };
  return { handle, info };
}
