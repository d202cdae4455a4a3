// The screen's idle lock: no key or pointer activity for the manager's idle time → lock. While
// the cashier is active, a light call now and then tells the core too (its own idle timer only
// counts calls), so it does not end a session the cashier is using: a third of the idle time at
// most after any activity, the core has had a call, so it never ends the session before the
// screen locks.

/** The timer functions used (the page's by default; tests pass their own). */
export interface IdleClock {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

export interface IdleTimerOptions {
  /** Lock after this long without activity; 0 or less never locks. */
  timeoutMs: number;
  /** Called once when the time has passed (the timer then stops). */
  onIdle: () => void;
  /**
   * Called every `timeoutMs / 3` while there was activity since the previous call, to keep the
   * core's session alive (never without activity).
   */
  onKeepAlive?: () => void;
  clock?: IdleClock;
}

export interface IdleTimer {
  /** The cashier did something (key, pointer). */
  activity: () => void;
  /** Stop for good (no onIdle after this). */
  stop: () => void;
}

const pageClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createIdleTimer(options: IdleTimerOptions): IdleTimer {
  const clock = options.clock ?? pageClock;
  const timeout = options.timeoutMs;
  let last = clock.now();
  let lastKeepAlive = last;
  let handle: unknown = null;
  let stopped = timeout <= 0;

  // One timer at a time, at most a third of the idle time ahead: activity only moves `last`; each
  // tick sends the keep-alive when there was activity since the last one, then locks when the
  // time has passed or sets itself again.
  const step = options.onKeepAlive ? timeout / 3 : timeout;
  const schedule = (ms: number) => {
    handle = clock.setTimeout(tickNow, Math.max(0, Math.min(ms, step)));
  };
  function tickNow() {
    handle = null;
    if (stopped) return;
    const now = clock.now();
    const left = timeout - (now - last);
    if (left <= 0) {
      stopped = true;
      options.onIdle();
      return;
    }
    if (options.onKeepAlive && last > lastKeepAlive) {
      lastKeepAlive = now;
      options.onKeepAlive();
    }
    schedule(left);
  }
  if (!stopped) schedule(timeout);

  return {
    activity() {
      if (stopped) return;
      last = clock.now();
    },
    stop() {
      stopped = true;
      if (handle !== null) clock.clearTimeout(handle);
      handle = null;
    },
  };
}

/** The idle times the manager picks from, in seconds (0 = never). */
export const IDLE_CHOICES_SECS: readonly number[] = [0, 60, 120, 300, 600, 900, 1800, 3600];

/** The choices to offer, with the current value added (in order) when it is not one of them. */
export function idleChoices(current: number): number[] {
  const all = IDLE_CHOICES_SECS.includes(current) ? [...IDLE_CHOICES_SECS] : [...IDLE_CHOICES_SECS, current];
  return all.sort((a, b) => a - b);
}
