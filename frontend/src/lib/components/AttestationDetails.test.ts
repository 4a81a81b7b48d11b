import { createHash } from 'node:crypto';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { attestation, testBuilder } from '../test-support/fixtures';
import { render, text } from '../test-support/render';
import { verifyStoredAttestation } from '../verification/verify';
import AttestationDetails from './AttestationDetails.svelte';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

describe('AttestationDetails', () => {
  const a = attestation({ id: 1n, builder: testBuilder('details') });

  it("shows the envelope's SHA-256 once it is verified, to compare with a download's", async () => {
    const view = render(AttestationDetails, {
      attestation: a,
      outcome: verifyStoredAttestation(a, a.envelope),
    });
    cleanup.push(view.destroy);
    const expected = createHash('sha256').update(a.envelope).digest('hex');
    await vi.waitFor(() =>
      expect(text(view.target, '[data-envelope-sha256]')).toBe(`sha256 ${expected}`),
    );
  });

  it('shows no hash for an envelope that failed verification', async () => {
    const tampered = a.envelope.slice();
    tampered[tampered.length - 5] ^= 1;
    const outcome = verifyStoredAttestation(a, tampered);
    expect(outcome.ok).toBe(false);
    const view = render(AttestationDetails, { attestation: a, outcome });
    cleanup.push(view.destroy);
    await new Promise((r) => setTimeout(r, 50));
    expect(view.target.querySelector('[data-envelope-sha256]')).toBeNull();
    expect(text(view.target, '[data-verification-detail]')).toContain('does not verify');
  });
});
