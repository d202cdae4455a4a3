// Live operations: every change the shell sends this window (`follow_operations`, over a channel
// of this window only) lands here, so any screen can follow an operation by id. A screen also puts here what `submit` answered and what it re-reads
// from the ledger; `isNewer` keeps the most recent state whatever the order of arrival.
import { derived, get, writable, type Readable } from 'svelte/store';
import { api } from './api';
import type { Operation } from './bindings';
import { isFinal, isNewer } from './status';

const store = writable<Record<string, Operation>>({});
let listening: Promise<boolean> | null = null;
/** Bumped by `resetLive`: a channel of an earlier generation is no longer heard. */
let generation = 0;

/** Every operation seen in this window, by id. */
export const operations: Readable<Record<string, Operation>> = { subscribe: store.subscribe };

/** Record an operation state (from an event, submit, or a re-read); older states are ignored. */
export function remember(op: Operation): void {
  store.update((all) => (isNewer(op, all[op.id]) ? { ...all, [op.id]: op } : all));
}

/** Start following the shell's changes (once per window). Resolves to whether it works. */
export function startLiveUpdates(): Promise<boolean> {
  if (!listening) {
    const mine = generation;
    listening = api
      .followOperations((op) => {
        if (mine === generation) remember(op);
      })
      .then((result) => {
        if (!result.ok && mine === generation) listening = null; // try again next time
        return result.ok;
      });
  }
  return listening;
}

/** For tests: stop hearing the shell and forget every operation. */
export function resetLive(): void {
  generation += 1;
  listening = null;
  store.set({});
}

/** One operation, live. */
export function watch(id: string): Readable<Operation | undefined> {
  return derived(store, (all) => all[id]);
}

/**
 * Follow an operation until it is final: listen to events, and re-read it from the ledger at
 * once (an event may have gone out before the listener was ready) and then every `everyMs`
 * while it is not final, in case an event is lost. Returns the function that stops.
 */
export function follow(id: string, everyMs = 4000): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    const result = await api.operation(id);
    if (stopped) return;
    if (result.ok) remember(result.value.operation);
    const current = get(store)[id];
    if (!current || !isFinal(current.status)) timer = setTimeout(() => void tick(), everyMs);
  };
  void startLiveUpdates().then(() => {
    if (!stopped) void tick();
  });
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
