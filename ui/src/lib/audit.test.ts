import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionKey, detailsText } from './audit';
import { translate } from './i18n';

describe('audit', () => {
  it('names every action the core writes, in both languages', () => {
    for (const action of AUDIT_ACTIONS) {
      const key = auditActionKey(action);
      expect(key).not.toBeNull();
      if (!key) continue;
      expect(translate(key, undefined, 'fr')).not.toBe(key);
      expect(translate(key, undefined, 'en')).not.toBe(key);
    }
    expect(translate('audit.action.setting_changed', undefined, 'fr')).toBe('Réglage modifié');
    expect(auditActionKey('something_new')).toBeNull();
  });

  it('writes details as one compact line', () => {
    expect(detailsText({ setting: 'kiosk', old: 'false', new: 'true' })).toBe('setting: kiosk · old: false · new: true');
    expect(detailsText({ operator_id: 2, reason: 'idle' })).toBe('operator_id: 2 · reason: idle');
    expect(detailsText({ old: null, new: '' })).toBe('old: – · new: «»');
    expect(detailsText({ list: ['A', 'B'] })).toBe('list: ["A","B"]');
    expect(detailsText({})).toBe('');
    expect(detailsText(null)).toBe('');
  });
});
