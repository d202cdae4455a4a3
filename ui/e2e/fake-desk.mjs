// A small in-page stand-in for the core's Desk, for the Playwright tests. It holds no rule of the
// core: it keeps what the UI saved (operators, session, settings, keys, mode) in localStorage, as
// the Rust side keeps it in the ledger, so a reload finds it, and hands it back as the core's
// commands would. Every PIN is accepted, nothing is refused, nothing is audited: whatever the
// core would refuse or compute (a wrong PIN, a lockout, a role, a setting out of range, the
// audit chain) a test scripts as the next answer of that command (harness.mjs `answerNext`, with
// the core's words from core-answers.mjs), and asserts what the UI does with it. The operation
// commands go to the fake engine (fake-engine.mjs).
//
// Tests read it through `window.__DESK__`:
//   state()        a copy of the whole state (what was saved)
//   kioskExits()   the names kiosk_exit was called with and answered
//   setProviders(list)  what provider_status answers from now on (the providers went down…)
//   setReview(l)   what review_list answers from now on (and review_count, its length)
//   account_services / refresh_account_services answer the test's report (`desk.account_services`,
//   default: training, no list read); a test scripts what a refresh finds (`answerNext`)
//   setShift(s)    what current_shift answers from now on (the core opened or closed one)
//   setFloats(l)   what float_status answers from now on

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
  /** @type {string[]} */
  const kioskExits = [];
  const KNOWN_KEYS = [
    ['dexchange', 'api_key'],
    ['easytransfert', 'api_key'],
    ['unipesa', 'public_id'],
    ['unipesa', 'merchant_id'],
    ['unipesa', 'secret'],
  ];

  /** @param {any} v */
  const clone = (v) => JSON.parse(JSON.stringify(v));
  const nowIso = () => new Date().toISOString();

  function info() {
    const s = state.session;
    return {
      shop_name: state.shop_name, operator_name: s ? s.name : '', mode: state.mode, language: state.language,
      version: state.version, needs_setup: state.operators.length === 0,
      session: s ? { ...s } : null, idle_timeout_secs: state.idle_timeout_secs, kiosk: state.kiosk, notice: state.notice,
    };
  }
  /** @param {string} name */
  const byName = (name) => state.operators.find((/** @type {any} */ o) => o.name === name);
  /** @param {number} id */
  const byId = (id) => state.operators.find((/** @type {any} */ o) => o.id === id);
  /** @param {string} name */
  function signIn(name) {
    const o = byName(name);
    if (o) state.session = { operator_id: o.id, name: o.name, role: o.role };
    save();
    return info();
  }
  function settings() {
    return clone({
      shop_name: state.shop_name, shop_address: state.shop_address, receipt_header: state.receipt_header,
      printer: state.printer, idle_timeout_secs: state.idle_timeout_secs, kiosk: state.kiosk, language: state.language,
      provider_urls: state.provider_urls, disabled_services: state.disabled_services,
    });
  }
  /** The stored keys, each shown as the test stored its mask (never the value). */
  function keys() {
    return KNOWN_KEYS.map(([provider, field]) => {
      const key = `${provider}.${field}`;
      const present = key in state.keys;
      return { provider, field, present, masked: present ? (state.masks[key] ?? '••••') : null };
    });
  }
  const operators = () => state.operators.map((/** @type {any} */ o) => ({ id: o.id, name: o.name, role: o.role, failed_attempts: o.failed_attempts, locked_until: o.locked_until, created_at: o.created_at }));

  /**
   * @param {string} cmd
   * @param {any} args
   * @param {() => any} engine the operation command
   */
  function handle(cmd, args, engine) {
    switch (cmd) {
      case 'app_info':
        return info();
      case 'set_language':
        state.language = args.language;
        save();
        return info();
      case 'first_run': {
        const s = args.setup ?? {};
        Object.assign(state, { shop_name: s.shop_name, shop_address: s.shop_address, receipt_header: s.receipt_header });
        state.operators.push({ id: state.nextId++, name: s.manager_name, role: 'manager', failed_attempts: 0, locked_until: null, created_at: nowIso() });
        return signIn(s.manager_name);
      }
      case 'login_names':
        return state.operators.map((/** @type {any} */ o) => ({ id: o.id, name: o.name, role: o.role, locked_until: o.locked_until }));
      case 'login':
        return signIn(args.name);
      case 'logout':
        state.session = null;
        save();
        return info();
      case 'kiosk_exit':
        kioskExits.push(args.name);
        return null;
      case 'change_own_pin':
      case 'keep_alive':
      case 'confirm_pin':
        return null;
      case 'services':
        return engine().filter((/** @type {any} */ s) => !state.disabled_services.includes(s.code));
      case 'settings':
        return settings();
      case 'save_settings':
        Object.assign(state, clone(args.patch ?? {}));
        save();
        return settings();
      case 'save_printer':
        state.printer = args.printer ?? null;
        save();
        return settings();
      case 'all_services':
        return clone(config.catalog);
      case 'account_services':
      case 'refresh_account_services':
        // What the core read of the providers' services lists: only a test knows.
        return clone(state.account_services);
      case 'provider_keys':
        return keys();
      case 'set_provider_key':
        // Kept to say « stored », never handed back.
        state.keys[`${args.provider}.${args.field}`] = true;
        save();
        return keys();
      case 'delete_provider_key':
        state.keys = Object.fromEntries(Object.entries(state.keys).filter(([k]) => k !== `${args.provider}.${args.field}`));
        save();
        return keys();
      case 'operators':
        return operators();
      case 'create_operator':
        state.operators.push({ id: state.nextId++, name: args.name, role: args.role, failed_attempts: 0, locked_until: null, created_at: nowIso() });
        save();
        return operators();
      case 'reset_pin':
      case 'unlock_operator':
        Object.assign(byId(args.id) ?? {}, { failed_attempts: 0, locked_until: null });
        save();
        return operators();
      case 'set_mode':
        state.mode = args.mode;
        state.notice = null;
        save();
        return info();
      case 'audit_log':
        return clone(state.audit);
      case 'audit_export':
        return { path: '/home/guichet/.local/share/sn.guichet.pos/exports/audit-20261123-090000.json', entries: state.audit.length };
      case 'provider_status':
        // What the core saw of the providers: the test's (`desk.providers`, `__DESK__.setProviders`).
        return clone(state.providers);
      case 'review_count':
        return state.review.length;
      case 'review_list':
        return clone(state.review);
      case 'current_shift':
        // The shift the core holds: the test's (`desk.shift`, `__DESK__.setShift`).
        return clone(state.shift ?? null);
      case 'float_status':
        return clone(state.floats ?? []);
      case 'check_connection':
      case 'audit_verify':
      case 'settle_review':
      case 'open_shift':
      case 'cash_movement':
      case 'close_shift':
      case 'x_report':
      case 'z_report':
      case 'day_report':
      case 'report_text':
      case 'print_report':
      case 'save_report_pdf':
      case 'read_floats':
      case 'day_settings':
      case 'save_day_settings':
        // What the core finds out there: only a test knows (it scripts the answer).
        throw { code: 'unscripted', message: { fr: `Réponse non prévue par le test : ${cmd}`, en: `No answer scripted for ${cmd}` } };
      default:
        return engine();
    }
  }

  save();
  const w = /** @type {any} */ (window);
  w.__DESK__ = {
    state: () => clone(state),
    kioskExits: () => [...kioskExits],
    /** @param {any[]} list what provider_status answers from now on */
    setProviders: (list) => {
      state.providers = clone(list);
      save();
    },
    /** @param {any} shift what current_shift answers from now on */
    setShift: (shift) => {
      state.shift = clone(shift);
      save();
    },
    /** @param {any[]} list what float_status answers from now on */
    setFloats: (list) => {
      state.floats = clone(list);
      save();
    },
    /** @param {any[]} list what review_list answers from now on (the core's queue) */
    setReview: (list) => {
      state.review = clone(list);
      save();
    },
  };
  return { handle, info };
}
