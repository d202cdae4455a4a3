import { describe, expect, it } from 'vitest';
import type { Operation, OperationStatus } from './bindings';
import { translate } from './i18n';
import { isFinal, isNewer, isWaiting, nextStepText, STATUSES, statusLabelKey, toneOf } from './status';

function op(fields: Partial<Operation> = {}): Operation {
  return {
    id: 'op-1', idempotency_key: 'k', provider: 'dexchange', service_code: 'X', kind: 'airtime', country: 'SN',
    currency: 'XOF', amount_minor: 1000, fee_minor: null, customer_ref: '771234567', invoice_ref: null,
    status: 'pending', provider_ref: null, token: null, operator_name: 'Awa', training: true, details: {},
    created_at: '2026-11-23T09:00:00Z', updated_at: '2026-11-23T09:00:00Z', ...fields,
  };
}

const fr = (o: Operation, sawProcessing = false) => nextStepText(o, 'fr', { sawProcessing });

describe('status', () => {
  it('has a label in both languages for every status', () => {
    for (const s of STATUSES) {
      for (const lng of ['fr', 'en'] as const) {
        expect(translate(statusLabelKey(s), undefined, lng)).not.toBe(statusLabelKey(s));
      }
    }
  });

  it('tells final, waiting and tone apart', () => {
    expect(STATUSES.filter(isFinal)).toEqual(['success', 'failed', 'cancelled', 'expired']);
    expect(STATUSES.filter(isWaiting)).toEqual(['prepared', 'sent', 'pending', 'processing']);
    expect(isFinal('unknown')).toBe(false);
    expect(isFinal('needs_review')).toBe(false);
    expect(toneOf('success')).toBe('success');
    expect(toneOf('failed')).toBe('danger');
    expect(toneOf('unknown')).toBe('warning');
    expect(toneOf('needs_review')).toBe('warning');
    expect(toneOf('expired')).toBe('neutral');
    expect(toneOf('pending')).toBe('progress');
  });

  it('says plainly what to do next', () => {
    expect(fr(op({ status: 'unknown' }))).toBe("Ne pas refaire l'opération, vérification en cours.");
    expect(fr(op({ status: 'needs_review' }))).toMatch(/^Ne pas refaire l'opération, vérification en cours\./);
    expect(fr(op({ status: 'pending', kind: 'collection' }))).toBe('Le client doit valider sur son téléphone.');
    expect(fr(op({ status: 'pending', kind: 'collection', details: { awaits_otp: true } }))).toMatch(/le code qu'il a reçu/);
    expect(fr(op({ status: 'pending', kind: 'payment_link' }))).toMatch(/scanner le QR code/);
    expect(fr(op({ status: 'processing', kind: 'prepaid' }))).toMatch(/Le code Woyofal arrive/);
    expect(fr(op({ status: 'success', kind: 'prepaid', token: '1234' }))).toMatch(/Donnez le code au client/);
    expect(fr(op({ status: 'success', kind: 'prepaid' }))).toMatch(/Le code arrive/);
    expect(fr(op({ status: 'success', kind: 'bill' }))).toMatch(/Facture payée/);
    expect(fr(op({ status: 'success', kind: 'collection' }))).toMatch(/remettre l'argent/);
    expect(fr(op({ status: 'expired', kind: 'payment_link' }))).toMatch(/Le lien a expiré/);
    expect(fr(op({ status: 'failed', kind: 'collection' }))).toMatch(/Ne remettez rien au client/);
  });

  it('says a failed Woyofal top-up was refunded only when it had reached PROCESSING', () => {
    expect(fr(op({ status: 'failed', kind: 'prepaid' }), true)).toBe("La recharge n'a pas abouti. Le montant a été remboursé.");
    expect(fr(op({ status: 'failed', kind: 'prepaid', details: { refund: { amount_minor: 1010 } } }))).toMatch(/Le montant a été remboursé\./);
    expect(fr(op({ status: 'failed', kind: 'prepaid' }))).not.toMatch(/remboursé/);
    expect(nextStepText(op({ status: 'failed', kind: 'prepaid' }), 'en', { sawProcessing: true })).toBe(
      'The top-up did not go through. The amount was refunded.',
    );
  });

  it('keeps the newest state of an operation whatever the order events arrive in', () => {
    const at = (s: OperationStatus, t: string, more: Partial<Operation> = {}) => op({ status: s, updated_at: t, ...more });
    expect(isNewer(at('pending', '2026-11-23T09:00:01Z'), undefined)).toBe(true);
    expect(isNewer(at('success', '2026-11-23T09:00:02Z'), at('pending', '2026-11-23T09:00:01Z'))).toBe(true);
    expect(isNewer(at('pending', '2026-11-23T09:00:01Z'), at('success', '2026-11-23T09:00:02Z'))).toBe(false);
    // Same instant (a frozen clock): the status further along wins.
    expect(isNewer(at('success', 'T'), at('pending', 'T'))).toBe(true);
    expect(isNewer(at('sent', 'T'), at('pending', 'T'))).toBe(false);
    // A final status is never undone, even by a later-stamped non-final state.
    expect(isNewer(at('pending', '2026-11-23T09:00:09Z'), at('failed', '2026-11-23T09:00:02Z'))).toBe(false);
    // The late token after success.
    expect(isNewer(at('success', '2026-11-23T09:00:05Z', { token: '1' }), at('success', '2026-11-23T09:00:02Z'))).toBe(true);
  });
});
