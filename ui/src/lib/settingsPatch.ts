// Réglages forms → the SettingsPatch sent to the core: only what the manager changed, so saving
// one section never rewrites another (and the audit trail records real changes only).
import type { ProviderUrls, Service, Settings, SettingsPatch } from './bindings';
import { normalizeShop } from './shop';

/** Réglages › Boutique as the manager edits it. */
export interface ShopForm {
  shop_name: string;
  shop_address: string;
  receipt_header: string;
  idle_timeout_secs: number;
  kiosk: boolean;
}

export function shopFormFrom(settings: Settings): ShopForm {
  return {
    shop_name: settings.shop_name,
    shop_address: settings.shop_address,
    receipt_header: settings.receipt_header,
    idle_timeout_secs: settings.idle_timeout_secs,
    kiosk: settings.kiosk,
  };
}

/** The fields of `form` that differ from `saved` (texts compared as the core stores them). */
export function shopPatch(form: ShopForm, saved: Settings): SettingsPatch {
  const patch: SettingsPatch = {};
  const now = normalizeShop(form);
  const before = normalizeShop(saved);
  if (now.shop_name !== before.shop_name) patch.shop_name = now.shop_name;
  if (now.shop_address !== before.shop_address) patch.shop_address = now.shop_address;
  if (now.receipt_header !== before.receipt_header) patch.receipt_header = now.receipt_header;
  if (form.idle_timeout_secs !== saved.idle_timeout_secs) patch.idle_timeout_secs = form.idle_timeout_secs;
  if (form.kiosk !== saved.kiosk) patch.kiosk = form.kiosk;
  return patch;
}

/** The services switched off: every catalog code that is not ticked, in catalog order. */
export function disabledServices(all: readonly Service[], offered: ReadonlySet<string>): string[] {
  return all.filter((s) => !offered.has(s.code)).map((s) => s.code);
}

/** The patch for the services list, or an empty patch when nothing changed. */
export function servicesPatch(
  all: readonly Service[],
  offered: ReadonlySet<string>,
  saved: Settings,
): SettingsPatch {
  const disabled = disabledServices(all, offered);
  const before = [...saved.disabled_services].sort();
  const same = disabled.length === before.length && [...disabled].sort().every((c, i) => c === before[i]);
  return same ? {} : { disabled_services: disabled };
}

/** The patch for the provider URLs (all four go together), or empty when none changed. */
export function urlsPatch(form: ProviderUrls, saved: Settings): SettingsPatch {
  const trimmed: ProviderUrls = {
    dexchange: form.dexchange.trim(),
    easytransfert: form.easytransfert.trim(),
    easytransfert_wallet: form.easytransfert_wallet.trim(),
    unipesa: form.unipesa.trim(),
  };
  const s = saved.provider_urls;
  const same =
    trimmed.dexchange === s.dexchange &&
    trimmed.easytransfert === s.easytransfert &&
    trimmed.easytransfert_wallet === s.easytransfert_wallet &&
    trimmed.unipesa === s.unipesa;
  return same ? {} : { provider_urls: trimmed };
}

export function isEmptyPatch(patch: SettingsPatch): boolean {
  return Object.values(patch).every((v) => v === undefined);
}
