import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '@repro-registry/attestation';
import { afterAll, describe, expect, it } from 'vitest';

import { attestation, testBuilder } from '../test-support/fixtures';
import { offlineVerificationScript } from './offline';

// The commands the page shows, run as written with the standard tools on a real envelope.
describe('offlineVerificationScript', () => {
  const dir = mkdtempSync(join(tmpdir(), 'repro-offline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const builder = testBuilder('offline');
  const envelope = attestation({
    id: 1n,
    builder,
    note: 'a note with "quotes" and\nnewlines',
  }).envelope;

  function run(bytes: Uint8Array): { status: number; out: string } {
    writeFileSync(join(dir, 'attestation-1.dsse.json'), bytes);
    try {
      const out = execFileSync(
        'bash',
        ['-c', offlineVerificationScript('attestation-1.dsse.json')],
        { cwd: dir, encoding: 'utf8', stdio: 'pipe' },
      );
      return { status: 0, out };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return { status: err.status, out: err.stdout + err.stderr };
    }
  }

  it('verifies a genuine envelope and prints its builder principal', () => {
    const { status, out } = run(envelope);
    expect(out).toContain('Signature Verified Successfully');
    expect(out.trim().split('\n').at(-1)).toBe(builder.principal);
    expect(status).toBe(0);
  });

  it('refuses a tampered one', () => {
    const e = JSON.parse(utf8Decode(envelope)) as { payload: string };
    e.payload = base64Encode(
      utf8Encode(utf8Decode(base64Decode(e.payload)).replace('x86_64', 'aarch64')),
    );
    const { out } = run(utf8Encode(JSON.stringify(e)));
    expect(out).toContain('Signature Verification Failure');
  });
});
