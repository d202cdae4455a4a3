import type { Channel } from '@tauri-apps/api/core';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it } from 'vitest';
import type { Operation } from './bindings';
import { follow, operations, remember, resetLive, startLiveUpdates, watch } from './live';

function op(fields: Partial<Operation> = {}): Operation {
  return {
    id: 'op-1', idempotency_key: 'k', provider: 'dexchange', service_code: 'WOYOFAL_SN_BILL', kind: 'prepaid',
    country: 'SN', currency: 'XOF', amount_minor: 5000, fee_minor: null, customer_ref: '141', invoice_ref: null,
    status: 'sent', provider_ref: null, token: null, operator_name: 'Awa', training: true, details: {},
    created_at: '2026-11-23T09:00:00Z', updated_at: '2026-11-23T09:00:00Z', ...fields,
  };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('live operations', () => {
  afterEach(() => {
    resetLive();
    clearMocks();
  });

  it('keeps the newest state of each operation', () => {
    const one = watch('op-1');
    remember(op({ status: 'processing', updated_at: '2026-11-23T09:00:02Z' }));
    remember(op({ status: 'pending', updated_at: '2026-11-23T09:00:01Z' }));
    expect(get(one)?.status).toBe('processing');
    remember(op({ status: 'success', token: '1234', updated_at: '2026-11-23T09:00:03Z' }));
    expect(get(one)?.token).toBe('1234');
    remember(op({ id: 'op-2' }));
    expect(Object.keys(get(operations)).sort()).toEqual(['op-1', 'op-2']);
  });

  it("follows the changes the shell sends over this window's channel", async () => {
    let channel: Channel<Operation> | undefined;
    mockIPC((cmd, args) => {
      expect(cmd).toBe('follow_operations');
      channel = (args as { onUpdate: Channel<Operation> }).onUpdate;
      return null;
    });
    expect(await startLiveUpdates()).toBe(true);
    // As the shell delivers a channel message: the callback id with the message and its index.
    const send = (message: Operation, index: number) =>
      (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
        .__TAURI_INTERNALS__.runCallback(channel?.id ?? -1, { message, index });
    send(op({ status: 'processing', updated_at: '2026-11-23T09:00:05Z' }), 0);
    expect(get(watch('op-1'))?.status).toBe('processing');
    send(op({ status: 'success', token: '5823', updated_at: '2026-11-23T09:00:09Z' }), 1);
    expect(get(watch('op-1'))).toMatchObject({ status: 'success', token: '5823' });
    // After a reset (a new page) an old channel is no longer heard.
    resetLive();
    send(op({ id: 'op-9' }), 2);
    expect(get(watch('op-9'))).toBeUndefined();
  });

  it('re-reads an operation from the ledger until it is final (a lost event is not fatal)', async () => {
    let reads = 0;
    mockIPC(
      (cmd, args) => {
        if (cmd !== 'operation') throw new Error(cmd);
        expect(args).toEqual({ id: 'op-1' });
        reads++;
        const status = reads < 3 ? 'processing' : 'success';
        return { operation: op({ status, updated_at: `2026-11-23T09:00:0${reads}Z` }), events: [] };
      },
      { shouldMockEvents: true },
    );
    const stop = follow('op-1', 5);
    await until(() => get(watch('op-1'))?.status === 'success');
    await new Promise((r) => setTimeout(r, 30));
    expect(reads).toBe(3); // stops once final
    stop();
  });
});
