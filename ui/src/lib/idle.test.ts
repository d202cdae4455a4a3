import { describe, expect, it, vi } from 'vitest';
import { createIdleTimer, idleChoices, type IdleClock } from './idle';

/** A clock the test moves by hand. */
function fakeClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  const clock: IdleClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = end;
  };
  return { clock, advance, pending: () => timers.length };
}

describe('idle timer', () => {
  it('calls onIdle once the time passed without activity, then stops', () => {
    const { clock, advance, pending } = fakeClock();
    const onIdle = vi.fn();
    createIdleTimer({ timeoutMs: 60_000, onIdle, clock });
    advance(59_999);
    expect(onIdle).not.toHaveBeenCalled();
    advance(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    advance(600_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(pending()).toBe(0);
  });

  it('counts from the last activity', () => {
    const { clock, advance } = fakeClock();
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: 60_000, onIdle, clock });
    advance(50_000);
    timer.activity();
    advance(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    timer.activity();
    advance(59_000);
    expect(onIdle).not.toHaveBeenCalled();
    advance(1_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('never locks with 0, and stop() cancels', () => {
    const { clock, advance, pending } = fakeClock();
    const onIdle = vi.fn();
    const never = createIdleTimer({ timeoutMs: 0, onIdle, clock });
    never.activity();
    expect(pending()).toBe(0);
    const timer = createIdleTimer({ timeoutMs: 1_000, onIdle, clock });
    timer.stop();
    advance(10_000);
    expect(onIdle).not.toHaveBeenCalled();
    expect(pending()).toBe(0);
  });

  it('keeps the core awake while the cashier is active: a call a third of the idle time after activity at most', () => {
    const { clock, advance } = fakeClock();
    const onIdle = vi.fn();
    const onKeepAlive = vi.fn();
    const timer = createIdleTimer({ timeoutMs: 60_000, onIdle, onKeepAlive, clock });
    // No activity yet (the sign-in was a call): nothing to send.
    advance(25_000);
    expect(onKeepAlive).not.toHaveBeenCalled();
    for (let i = 0; i < 12; i++) {
      advance(10_000);
      timer.activity();
    }
    // Activity from 35 s to 145 s: one call per 20 s tick (40 s … 140 s).
    expect(onKeepAlive).toHaveBeenCalledTimes(6);
    expect(onIdle).not.toHaveBeenCalled();
    // The last activity is followed by a call within 20 s, then nothing more, and the lock.
    advance(20_000);
    expect(onKeepAlive).toHaveBeenCalledTimes(7);
    advance(39_999);
    expect(onKeepAlive).toHaveBeenCalledTimes(7);
    expect(onIdle).not.toHaveBeenCalled();
    advance(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(onKeepAlive).toHaveBeenCalledTimes(7);
  });

  it('offers never and 1 to 60 minutes, plus the value saved when it is another', () => {
    expect(idleChoices(300)).toEqual([0, 60, 120, 300, 600, 900, 1800, 3600]);
    expect(idleChoices(45)).toEqual([0, 45, 60, 120, 300, 600, 900, 1800, 3600]);
    expect(idleChoices(7200).at(-1)).toBe(7200);
  });
});
