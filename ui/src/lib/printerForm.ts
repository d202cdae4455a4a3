// Réglages › Imprimante: the form the manager fills in ↔ the core's PrinterConfig.
import type { PaperWidth, PrinterConfig } from './bindings';

/** none: no printer (the system print dialog); system: the system's printer with a paper width. */
export type PrinterKind = 'none' | 'system' | 'network' | 'device';

export interface PrinterForm {
  kind: PrinterKind;
  host: string;
  /** As typed. */
  port: string;
  path: string;
  width: PaperWidth;
}

export const DEFAULT_PORT = 9100;

export function printerFormFrom(config: PrinterConfig | null): PrinterForm {
  const form: PrinterForm = { kind: 'none', host: '', port: String(DEFAULT_PORT), path: '', width: '80mm' };
  if (!config) return form;
  form.width = config.width;
  const c = config.connection;
  if (c.type === 'network') return { ...form, kind: 'network', host: c.host, port: String(c.port) };
  if (c.type === 'device') return { ...form, kind: 'device', path: c.path };
  return { ...form, kind: 'system' };
}

export type PrinterProblem = 'host' | 'port' | 'path';

export type PrinterFromForm = { ok: true; printer: PrinterConfig | null } | { ok: false; problem: PrinterProblem };

/** The config to save, or the first field to fix (the core checks the same and more). */
export function printerFromForm(form: PrinterForm): PrinterFromForm {
  switch (form.kind) {
    case 'none':
      return { ok: true, printer: null };
    case 'system':
      return { ok: true, printer: { connection: { type: 'system' }, width: form.width } };
    case 'network': {
      const host = form.host.trim();
      if (host === '' || /\s/.test(host)) return { ok: false, problem: 'host' };
      const portText = form.port.trim();
      const port = Number(portText);
      if (!/^[0-9]+$/.test(portText) || port < 1 || port > 65535) return { ok: false, problem: 'port' };
      return { ok: true, printer: { connection: { type: 'network', host, port }, width: form.width } };
    }
    case 'device': {
      const path = form.path.trim();
      if (!path.startsWith('/') && !path.toUpperCase().startsWith('COM')) return { ok: false, problem: 'path' };
      return { ok: true, printer: { connection: { type: 'device', path }, width: form.width } };
    }
  }
}
