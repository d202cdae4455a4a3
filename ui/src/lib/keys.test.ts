import { afterEach, describe, expect, it } from 'vitest';
import { digitOf, focusNextEmpty, isTextEntry, typeKeypadDigit } from './keys';

describe('keys', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('reads digits from the top row and the keypad, Num Lock on or off', () => {
    expect(digitOf({ key: '5', code: 'Digit5' })).toBe('5');
    expect(digitOf({ key: '5', code: 'Numpad5' })).toBe('5');
    expect(digitOf({ key: 'End', code: 'Numpad1' })).toBe('1');
    expect(digitOf({ key: 'Insert', code: 'Numpad0' })).toBe('0');
    expect(digitOf({ key: 'Enter', code: 'NumpadEnter' })).toBeNull();
    expect(digitOf({ key: 'a', code: 'KeyA' })).toBeNull();
  });

  it('knows text fields from buttons', () => {
    document.body.innerHTML = '<input id="t"><input id="r" type="radio"><button id="b"></button><select id="s"></select>';
    const el = (id: string) => document.getElementById(id);
    expect(isTextEntry(el('t'))).toBe(true);
    expect(isTextEntry(el('s'))).toBe(true);
    expect(isTextEntry(el('r'))).toBe(false);
    expect(isTextEntry(el('b'))).toBe(false);
    expect(isTextEntry(null)).toBe(false);
  });

  it('types a keypad digit pressed with Num Lock off', () => {
    document.body.innerHTML = '<input id="t" value="12">';
    const input = document.getElementById('t') as HTMLInputElement;
    input.setSelectionRange(2, 2);
    let typed = '';
    input.addEventListener('input', () => (typed = input.value));
    input.addEventListener('keydown', (e) => typeKeypadDigit(e));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', code: 'Numpad1', cancelable: true }));
    expect(input.value).toBe('121');
    expect(typed).toBe('121');
    // A real digit is left to the browser.
    const e = new KeyboardEvent('keydown', { key: '4', code: 'Numpad4', cancelable: true });
    input.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(false);
    expect(input.value).toBe('121');
  });

  it('Enter in a filled field goes to the next empty required field', () => {
    document.body.innerHTML =
      '<form><input id="a" value="riz"><input id="b"><input id="c" data-optional></form>';
    const form = document.querySelector('form') as HTMLFormElement;
    const a = document.getElementById('a') as HTMLInputElement;
    const b = document.getElementById('b') as HTMLInputElement;
    a.focus();
    expect(focusNextEmpty(form)).toBe(true);
    expect(document.activeElement).toBe(b);
    // From the empty field itself: the form decides (shows what is missing).
    expect(focusNextEmpty(form)).toBe(false);
    b.value = '5000';
    // Only an optional field is left: submit.
    expect(focusNextEmpty(form)).toBe(false);
  });
});
