// Kiosk mode in the page: no reload keys. (The context menu is off in every window of a built
// app, main.ts; the shell refuses any navigation away from the app and, in kiosk mode, a
// reload: src-tauri/src/navigation.rs.)

/** Whether `event` asks the webview for a reload: F5, Ctrl+R, Ctrl+Shift+R, Ctrl+F5. */
export function isReloadKey(event: KeyboardEvent): boolean {
  const ctrl = event.ctrlKey || event.metaKey;
  return event.key === 'F5' || event.key === 'BrowserRefresh' || (ctrl && (event.key === 'r' || event.key === 'R'));
}

/** Stops the reload keys while `kiosk()` is true; returns the remover. */
export function guardKiosk(kiosk: () => boolean): () => void {
  const onkey = (event: KeyboardEvent) => {
    if (kiosk() && isReloadKey(event)) event.preventDefault();
  };
  window.addEventListener('keydown', onkey, true);
  return () => window.removeEventListener('keydown', onkey, true);
}
