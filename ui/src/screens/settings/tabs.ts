// The sections of Réglages, in the order the manager sees them.
import type { MessageKey } from '../../lib/i18n';

export type SettingsTab = 'shop' | 'printer' | 'keys' | 'services' | 'operators' | 'mode' | 'audit';

export const SETTINGS_TABS: readonly { id: SettingsTab; titleKey: MessageKey }[] = [
  { id: 'shop', titleKey: 'settings.tabs.shop' },
  { id: 'printer', titleKey: 'settings.tabs.printer' },
  { id: 'keys', titleKey: 'settings.tabs.keys' },
  { id: 'services', titleKey: 'settings.tabs.services' },
  { id: 'operators', titleKey: 'settings.tabs.operators' },
  { id: 'mode', titleKey: 'settings.tabs.mode' },
  { id: 'audit', titleKey: 'settings.tabs.audit' },
];
