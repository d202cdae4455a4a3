// Harmless, well-formed arguments for every command of src-tauri/commands.json (what matters
// is who may call it, and from which window): roles.test.mjs and security.test.mjs call each one.
import { MANAGER } from './driver.mjs';

const NIL = '00000000-0000-0000-0000-000000000000';

/** A report with nothing in it (report_text, print_report, save_report_pdf take any report). */
const LINE = { key: 'total', label: { fr: 'Total', en: 'Total' }, count: 0, amount_minor: 0, fee_minor: 0, cash_minor: 0, commission_minor: 0, provider_commission_minor: 0 };
const EMPTY_REPORT = {
  kind: 'day', z_number: null, day: '2026-01-01', generated_at: '2026-01-01T00:00:00Z', currency: 'XOF', shifts: [],
  training_count: 0, by_kind: [], by_service: [], by_provider: [], totals: LINE, by_hour: Array(24).fill(0),
  failed: { count: 0, amount_minor: 0 }, refunded: { count: 0, amount_minor: 0 }, pending: [], to_review: [], movements: [],
  cash: { opening_float_minor: 0, sales_in_minor: 0, sales_out_minor: 0, movements_in_minor: 0, movements_out_minor: 0, expected_minor: 0, counted_minor: null, difference_minor: null },
};

/** Harmless, well-formed arguments for each command (what matters is who may call it). */
export const ARGS = {
  app_info: {},
  set_language: { language: 'fr' },
  first_run: { setup: { shop_name: 'X', shop_address: '', receipt_header: '', manager_name: 'Intrus', pin: '1111' } },
  login_names: {},
  login: { name: 'Personne', pin: '0000' },
  logout: { idle: false },
  kiosk_exit: { name: MANAGER.name, pin: '0000' },
  keep_alive: {},
  change_own_pin: { current: '0000', new: '1234' },
  services: {},
  bill_inquiry: { serviceCode: 'NOPE', reference: '1' },
  submit: {
    request: {
      request: { service_code: 'NOPE', kind: 'airtime', amount: { minor: 1000, currency: 'XOF' }, phone: '771234567', otp: null, extras: {} },
      invoice_ref: null,
      item_name: null,
    },
  },
  confirm_otp: { id: NIL, otp: '1234' },
  operation: { id: NIL },
  history: { query: {} },
  in_progress: {},
  // A channel no page listens to (the feed it starts replaces the calling window's own).
  follow_operations: { onUpdate: '__CHANNEL__:4000000000' },
  follow_customer_view: { onUpdate: '__CHANNEL__:4000000001' },
  receipt: { id: NIL, width: 48, copy: 'customer' },
  print_receipt: { id: NIL, copy: 'customer' },
  qr_svg: { text: 'https://pay.example/x' },
  open_customer_display: {},
  settings: {},
  save_settings: { patch: {} },
  save_printer: { printer: null },
  all_services: {},
  account_services: {},
  refresh_account_services: {},
  provider_keys: {},
  set_provider_key: { provider: 'nope', field: 'api_key', value: 'x' },
  delete_provider_key: { provider: 'nope', field: 'api_key' },
  check_connection: { provider: 'dexchange' },
  provider_status: {},
  operators: {},
  create_operator: { name: 'Binta', pin: '4321', role: 'cashier' },
  reset_pin: { id: 999, pin: '4321' },
  unlock_operator: { id: 999 },
  set_mode: { mode: 'live', pin: '0000' },
  audit_log: { query: {} },
  audit_verify: {},
  audit_export: {},
  review_list: {},
  review_count: {},
  settle_review: { id: NIL, outcome: 'success', note: 'vu', pin: '0000' },
  confirm_pin: { pin: '0000' },
  current_shift: {},
  open_shift: { float: { by: 'total', amount_minor: -1 } },
  cash_movement: { direction: 'in', amountMinor: 0, reason: 'x' },
  close_shift: { shiftId: 999, counted: { by: 'total', amount_minor: 0 }, approval: null },
  x_report: { id: 999 },
  z_report: { number: 999 },
  day_report: { day: '2026-01-01' },
  report_text: { report: EMPTY_REPORT, width: 32 },
  print_report: { report: EMPTY_REPORT },
  save_report_pdf: { report: EMPTY_REPORT },
  float_status: {},
  read_floats: {},
  day_settings: {},
  save_day_settings: { settings: { shift_required: false, float_thresholds: { nope: 1 } } },
};
