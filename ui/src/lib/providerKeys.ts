// Réglages › Clés fournisseurs: which keys each provider needs (the core's KNOWN_KEYS) and how a
// "check connection" answer reads.
import type { ConnectionCheck, Language, Provider, ProviderKey } from './bindings';
import type { MessageKey } from './i18n';
import { formatMoney } from './money';

export interface ProviderKeys {
  provider: Provider;
  /** The provider's name as it writes it. */
  name: string;
  fields: readonly KeyField[];
}

export type KeyField = 'api_key' | 'public_id' | 'merchant_id' | 'secret';

export const PROVIDER_KEYS: readonly ProviderKeys[] = [
  { provider: 'dexchange', name: 'DEXCHANGE', fields: ['api_key'] },
  { provider: 'easytransfert', name: 'EASYTRANSFERT', fields: ['api_key'] },
  { provider: 'unipesa', name: 'Unipesa', fields: ['public_id', 'merchant_id', 'secret'] },
];

export function keyFieldKey(field: KeyField): MessageKey {
  return `keys.field.${field}`;
}

/** The status of one key in the core's list (absent when the core did not list it). */
export function keyStatus(keys: readonly ProviderKey[], provider: Provider, field: KeyField): ProviderKey | undefined {
  return keys.find((k) => k.provider === provider && k.field === field);
}

/** Whether every key of the provider is stored (a connection check can run). */
export function providerComplete(keys: readonly ProviderKey[], provider: ProviderKeys): boolean {
  return provider.fields.every((f) => keyStatus(keys, provider.provider, f)?.present === true);
}

/** The balance of a check, formatted (`125 000 FCFA`), or null when the provider has none. */
export function balanceText(check: ConnectionCheck, lang: Language): string | null {
  return check.balance ? formatMoney(check.balance.amount_minor, check.balance.currency, lang) : null;
}
