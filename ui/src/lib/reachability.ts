// Whether each provider answers, as the core last saw it (its engine's calls and its idle probe):
// polled while someone is signed in, read by the header and by the operation screens. The
// machine's own network state (navigator.onLine) is only an extra hint: a till can be online
// while every provider is down.
import { writable, type Readable } from 'svelte/store';
import { api } from './api';
import type { Kind, Provider, ProviderStatus, Service } from './bindings';
import { OPERATION_KIND, type OperationId } from './operations';

/** How often the header asks the core (the core itself probes idle providers every 10 s). */
export const POLL_MS = 3000;

const store = writable<ProviderStatus[]>([]);

/** Each configured provider's reachability; empty until known (or nobody signed in). */
export const providerStatus: Readable<ProviderStatus[]> = { subscribe: store.subscribe };

/** Ask the core once; a refusal (nobody signed in) forgets what was known. */
export async function refreshProviderStatus(): Promise<void> {
  const result = await api.providerStatus();
  store.set(result.ok ? result.value : []);
}

/** Poll every `everyMs` until the returned function is called. */
export function watchProviders(everyMs = POLL_MS): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    await refreshProviderStatus();
    if (!stopped) timer = setTimeout(() => void tick(), everyMs);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    store.set([]);
  };
}

/** For tests: set what the core said. */
export function setProviderStatus(list: ProviderStatus[]): void {
  store.set(list);
}

/** The providers the core found unreachable, in its order. */
export function unreachable(list: readonly ProviderStatus[]): ProviderStatus[] {
  return list.filter((s) => s.reachable === false);
}

/** What the header's chip says. */
export type HeaderState = 'offline' | 'unreachable' | 'reachable' | 'checking' | 'none';

export function headerState(list: readonly ProviderStatus[], online: boolean): HeaderState {
  if (!online) return 'offline';
  if (list.length === 0) return 'none';
  if (list.some((s) => s.reachable === false)) return 'unreachable';
  if (list.every((s) => s.reachable === true)) return 'reachable';
  return 'checking';
}

/**
 * The providers an operation screen depends on: the chosen service's, once there is one;
 * before that, every provider of the enabled services the screen sells.
 */
export function providersFor(op: OperationId, services: readonly Service[], serviceCode?: string | null): Provider[] {
  const chosen = serviceCode ? services.find((s) => s.code === serviceCode) : undefined;
  if (chosen) return [chosen.provider];
  const kind: Kind | undefined = OPERATION_KIND[op];
  const found: Provider[] = [];
  for (const s of services) {
    if (kind && s.enabled && s.offers.some((o) => o.kind === kind) && !found.includes(s.provider)) {
      found.push(s.provider);
    }
  }
  return found;
}
