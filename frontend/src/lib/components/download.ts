/** Hands the reader an attestation's envelope as a file: the bytes exactly as the builder signed them. */
import type { Attestation } from '../model/types';

export function downloadEnvelope(a: Pick<Attestation, 'id' | 'envelope'>): void {
  if (a.envelope === null) return;
  const blob = new Blob([a.envelope as Uint8Array<ArrayBuffer>], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `attestation-${a.id}.dsse.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
