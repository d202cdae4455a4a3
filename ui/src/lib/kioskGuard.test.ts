import { afterEach, describe, expect, it } from 'vitest';
import { guardKiosk, isReloadKey } from './kioskGuard';

describe('kiosk guard', () => {
  let stop: (() => void) | null = null;
  afterEach(() => stop?.());

  const key = (init: KeyboardEventInit) => {
    const event = new KeyboardEvent('keydown', { ...init, cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  };

  it('knows the reload keys', () => {
    expect(isReloadKey(new KeyboardEvent('keydown', { key: 'F5' }))).toBe(true);
    expect(isReloadKey(new KeyboardEvent('keydown', { key: 'r', ctrlKey: true }))).toBe(true);
    expect(isReloadKey(new KeyboardEvent('keydown', { key: 'R', ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isReloadKey(new KeyboardEvent('keydown', { key: 'r' }))).toBe(false);
  });

  it('blocks the reload keys in kiosk mode only', () => {
    let kiosk = false;
    stop = guardKiosk(() => kiosk);
    expect(key({ key: 'F5' })).toBe(false);
    kiosk = true;
    expect(key({ key: 'F5' })).toBe(true);
    expect(key({ key: 'r', ctrlKey: true })).toBe(true);
    expect(key({ key: 'R', ctrlKey: true, shiftKey: true })).toBe(true);
    expect(key({ key: '5' })).toBe(false);
  });
});
