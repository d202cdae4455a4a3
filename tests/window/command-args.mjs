// Harmless, well-formed arguments for every command of src-tauri/commands.json (what matters
// is who may call it, and from which window): roles.test.mjs and security.test.mjs call each one.
import { MANAGER } from './driver.mjs';

const NIL = '00000000-0000-0000-0000-000000000000';

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
};
