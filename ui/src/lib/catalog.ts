// The service catalog (the core's `services`), loaded once and shared by every screen: which
// services sell what, with their limits, multiples and OTP syntax.
import { derived, get, writable, type Readable } from 'svelte/store';
import { api } from './api';
import type { Country, Kind, Offer, Service, SnOperator } from './bindings';
import type { ApiError } from './contract';
import { PLANS } from './phone';

export type CatalogState =
  | { state: 'loading' }
  | { state: 'ready'; services: Service[] }
  | { state: 'error'; error: ApiError };

const store = writable<CatalogState>({ state: 'loading' });
let inflight: Promise<void> | null = null;

export const catalog: Readable<CatalogState> = { subscribe: store.subscribe };

/** The services once loaded (none before): what a screen picks its service from. */
export const services: Readable<Service[]> = derived(store, (s) => (s.state === 'ready' ? s.services : []));

/** Load the catalog if it is not loaded (or failed: `force` retries). */
export function loadCatalog(force = false): Promise<void> {
  const current = get(store);
  if (!force && current.state === 'ready') return Promise.resolve();
  if (inflight) return inflight;
  store.set({ state: 'loading' });
  inflight = api.services().then((result) => {
    inflight = null;
    store.set(result.ok ? { state: 'ready', services: result.value } : { state: 'error', error: result.error });
  });
  return inflight;
}

/** For tests: forget what was loaded. */
export function resetCatalog(services?: Service[]): void {
  inflight = null;
  store.set(services ? { state: 'ready', services } : { state: 'loading' });
}

export function offerOf(service: Service | undefined, kind: Kind): Offer | null {
  return service?.offers.find((o) => o.kind === kind) ?? null;
}

/** Enabled services offering `kind`, in catalog order. */
export function servicesFor(services: readonly Service[], kind: Kind, country?: Country): Service[] {
  return services.filter(
    (s) => s.enabled && offerOf(s, kind) !== null && (country === undefined || s.country === country),
  );
}

export function serviceByCode(services: readonly Service[], code: string): Service | undefined {
  return services.find((s) => s.code === code);
}

/** Countries with at least one enabled service of `kind`: Senegal first, then catalog order. */
export function countriesFor(services: readonly Service[], kind: Kind): Country[] {
  const seen: Country[] = [];
  for (const s of servicesFor(services, kind)) if (!seen.includes(s.country)) seen.push(s.country);
  return seen.sort((a, b) => (a === 'SN' ? -1 : b === 'SN' ? 1 : 0));
}

/** The airtime service of a Senegalese operator. */
export function airtimeService(services: readonly Service[], operator: SnOperator): Service | undefined {
  return servicesFor(services, 'airtime', 'SN').find((s) => s.operator === operator);
}

/** The USSD code to dial with « montant » filled in (`*144*4*6*montant#` → `*144*4*6*5000#`). */
export function fillUssd(ussd: string, amountMajor: string | null): string {
  if (!amountMajor) return ussd;
  return ussd.replace(/montant|amount/gi, amountMajor);
}

/** Whether a country is one the screens know how to dial. */
export function isKnownCountry(code: string): code is Country {
  return Object.prototype.hasOwnProperty.call(PLANS, code);
}
