// Caisse, Revue and Réglages, each in its own chunk: the start bundle holds what the first
// screen (first run, sign-in), home, the sale screens and the history need. Those stay in it: a
// cashier presses a tile's key and types at once, and keys typed while a chunk loads would be
// lost. See LazyScreen.svelte.

/** Each lazy screen's module, loaded on first open (then kept by the module loader). */
export const screens = {
  review: () => import('./review/ReviewScreen.svelte'),
  settings: () => import('./settings/SettingsScreen.svelte'),
  shift: () => import('./shift/ShiftScreen.svelte'),
};

/** Loads every lazy screen in the background (after sign-in), so each opens at once when asked. */
export function preloadScreens(): void {
  for (const load of Object.values(screens)) void load().catch(() => undefined);
}
