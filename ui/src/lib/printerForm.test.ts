import { describe, expect, it } from 'vitest';
import { printerFormFrom, printerFromForm } from './printerForm';

describe('printer form', () => {
  it('reads every kind of printer config', () => {
    expect(printerFormFrom(null)).toMatchObject({ kind: 'none', port: '9100', width: '80mm' });
    expect(printerFormFrom({ connection: { type: 'system' }, width: '58mm' })).toMatchObject({ kind: 'system', width: '58mm' });
    expect(printerFormFrom({ connection: { type: 'network', host: '192.168.1.50', port: 9101 }, width: '80mm' })).toMatchObject({
      kind: 'network',
      host: '192.168.1.50',
      port: '9101',
    });
    expect(printerFormFrom({ connection: { type: 'device', path: '/dev/usb/lp0' }, width: '58mm' })).toMatchObject({
      kind: 'device',
      path: '/dev/usb/lp0',
    });
  });

  it('gives back the config to save', () => {
    const base = printerFormFrom(null);
    expect(printerFromForm(base)).toEqual({ ok: true, printer: null });
    expect(printerFromForm({ ...base, kind: 'system', width: '58mm' })).toEqual({
      ok: true,
      printer: { connection: { type: 'system' }, width: '58mm' },
    });
    expect(printerFromForm({ ...base, kind: 'network', host: ' 10.0.0.7 ', port: '9100' })).toEqual({
      ok: true,
      printer: { connection: { type: 'network', host: '10.0.0.7', port: 9100 }, width: '80mm' },
    });
    expect(printerFromForm({ ...base, kind: 'device', path: 'COM3' })).toEqual({
      ok: true,
      printer: { connection: { type: 'device', path: 'COM3' }, width: '80mm' },
    });
  });

  it('names the field to fix', () => {
    const base = printerFormFrom(null);
    expect(printerFromForm({ ...base, kind: 'network', host: '' })).toEqual({ ok: false, problem: 'host' });
    expect(printerFromForm({ ...base, kind: 'network', host: '10.0.0.7', port: '0' })).toEqual({ ok: false, problem: 'port' });
    expect(printerFromForm({ ...base, kind: 'network', host: '10.0.0.7', port: '70000' })).toEqual({ ok: false, problem: 'port' });
    expect(printerFromForm({ ...base, kind: 'network', host: '10.0.0.7', port: '91a' })).toEqual({ ok: false, problem: 'port' });
    expect(printerFromForm({ ...base, kind: 'device', path: 'lp0' })).toEqual({ ok: false, problem: 'path' });
  });
});
