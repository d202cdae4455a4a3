import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Operation } from '../lib/bindings';
import { DEFAULT_LANGUAGE, setLocale } from '../lib/i18n';
import StatusPanel from './StatusPanel.svelte';

function op(fields: Partial<Operation>): Operation {
  return {
    id: 'op-1', idempotency_key: 'k', provider: 'dexchange', service_code: 'X', kind: 'collection', country: 'SN',
    currency: 'XOF', amount_minor: 1000, fee_minor: null, customer_ref: '771234567', invoice_ref: null,
    status: 'pending', provider_ref: null, token: null, operator_name: 'Awa', training: true, details: {},
    created_at: '2026-11-23T09:00:00Z', updated_at: '2026-11-23T09:00:00Z', ...fields,
  };
}

describe('StatusPanel', () => {
  afterEach(() => setLocale(DEFAULT_LANGUAGE));

  it('shows a live wait for a pending collection', () => {
    render(StatusPanel, { operation: op({ status: 'pending' }) });
    const panel = screen.getByTestId('status-panel');
    expect(panel.dataset.status).toBe('pending');
    expect(panel.getAttribute('aria-live')).toBe('polite');
    expect(screen.getByTestId('status-label').textContent).toBe('En attente');
    expect(screen.getByTestId('status-sentence').textContent).toBe('Le client doit valider sur son téléphone.');
    expect(screen.getByText(/^Depuis 0:0\d$/)).toBeTruthy();
  });

  it('tells the cashier not to do an unknown operation again, in both languages', async () => {
    const view = render(StatusPanel, { operation: op({ status: 'unknown' }) });
    expect(screen.getByTestId('status-sentence').textContent).toBe("Ne pas refaire l'opération, vérification en cours.");
    expect(screen.queryByText(/^Depuis/)).toBeNull();
    setLocale('en');
    await view.rerender({ operation: op({ status: 'unknown' }) });
    expect(screen.getByTestId('status-sentence').textContent).toBe('Do not do the operation again, it is being checked.');
  });

  it('says a failed Woyofal top-up after PROCESSING was refunded', () => {
    render(StatusPanel, { operation: op({ status: 'failed', kind: 'prepaid' }), sawProcessing: true });
    expect(screen.getByTestId('status-sentence').textContent).toBe("La recharge n'a pas abouti. Le montant a été remboursé.");
  });
});
