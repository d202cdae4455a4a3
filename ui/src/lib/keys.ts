// Keyboard helpers shared by the screens: the numeric keypad, and which keys belong to text entry.

/**
 * The digit of a key press from the top row or the numeric keypad, whether Num Lock is on (key
 * "5") or off (key "Clear", code "Numpad5"); null for anything else.
 */
export function digitOf(event: Pick<KeyboardEvent, 'key' | 'code'>): string | null {
  if (/^[0-9]$/.test(event.key)) return event.key;
  const m = /^Numpad([0-9])$/.exec(event.code);
  return m ? (m[1] ?? null) : null;
}

/** Whether the event's target takes typed text (the screen's shortcuts must leave it alone). */
export function isTextEntry(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement &&
      !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type))
  );
}

/**
 * In a digit field, a keypad key pressed with Num Lock off (key "End" for keypad 1) types its
 * digit anyway: cashiers do not check the Num Lock light. Returns true when it handled the key.
 */
export function typeKeypadDigit(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.altKey || event.metaKey) return false;
  if (/^[0-9]$/.test(event.key)) return false; // the browser types it
  const digit = digitOf(event);
  const input = event.currentTarget;
  if (digit === null || !(input instanceof HTMLInputElement)) return false;
  event.preventDefault();
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? start;
  input.setRangeText(digit, start, end, 'end');
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}

/** A Svelte action: focus the element once it is in the page. */
export function autofocus(node: HTMLElement, enabled = true): void {
  if (!enabled) return;
  queueMicrotask(() => {
    if (node.isConnected) node.focus();
  });
}

/**
 * Enter in a form with several fields: from a filled field, go to the next empty required field
 * rather than submit a half-filled form (fields marked `data-optional` are skipped). True when it
 * moved focus.
 */
export function focusNextEmpty(form: HTMLFormElement): boolean {
  const inputs = [
    ...form.querySelectorAll<HTMLInputElement>('input:not([type="hidden"]):not([disabled]):not([data-optional])'),
  ];
  const index = inputs.indexOf(document.activeElement as HTMLInputElement);
  // Enter in an empty field: let the form say what is missing.
  if (index < 0 || inputs[index]?.value.trim() === '') return false;
  const next = inputs.slice(index + 1).find((input) => input.value.trim() === '');
  if (!next) return false;
  next.focus();
  return true;
}
