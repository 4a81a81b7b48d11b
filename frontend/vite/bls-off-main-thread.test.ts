import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { blsVerify as agentBlsVerify } from '@dfinity/agent';
import { bls12_381 } from '@noble/curves/bls12-381';
import { describe, expect, it } from 'vitest';

import { blsVerify, firstCheckAsked } from '../src/lib/verification/bls';
import { blsModuleOffMainThread } from './bls-off-main-thread';

// The installed module, as the app's build sees it.
const agentIndex = createRequire(import.meta.url).resolve('@dfinity/agent');
const blsPath = join(dirname(agentIndex), '..', 'esm', 'utils', 'bls.js');

describe('the agent’s BLS check off the main thread', () => {
  it('replaces the installed agent’s utils/bls.js and nothing else', () => {
    const replaced = blsModuleOffMainThread({
      code: readFileSync(blsPath, 'utf8'),
      id: blsPath,
      root: '/site',
    });
    expect(replaced).toMatch(/export let verify;/);
    expect(replaced).toContain('export { blsVerify } from "/site/src/lib/verification/bls.ts";');
    expect(
      blsModuleOffMainThread({
        code: 'export const x = 1;',
        id: '/x/node_modules/y/bls.js',
        root: '/site',
      }),
    ).toBeNull();
  });

  it('refuses to build when the agent’s module changed', () => {
    expect(() =>
      blsModuleOffMainThread({ code: 'export function check() {}', id: blsPath, root: '/site' }),
    ).toThrow(/@dfinity\/agent changed/);
  });

  it('answers as the agent’s own check does (here without workers, as a fallback runs)', async () => {
    // The app waits for the first check to be handed over before it builds the page.
    let asked = false;
    void firstCheckAsked.then(() => (asked = true));
    await Promise.resolve();
    expect(asked).toBe(false);
    const secret = bls12_381.utils.randomPrivateKey();
    const publicKey = bls12_381.getPublicKeyForShortSignatures(secret);
    const message = new TextEncoder().encode('\x0dic-state-root' + 'x'.repeat(32));
    const signature = bls12_381.signShortSignature(message, secret);
    const otherMessage = message.slice();
    otherMessage[20] ^= 1;
    const cases: [string, Uint8Array, Uint8Array][] = [
      ['valid', signature, message],
      ['another message', signature, otherMessage],
      [
        'a signature for another message',
        bls12_381.signShortSignature(otherMessage, secret),
        message,
      ],
    ];
    for (const [, sig, msg] of cases) {
      expect(await blsVerify(publicKey, sig, msg)).toBe(agentBlsVerify(publicKey, sig, msg));
    }
    expect(asked).toBe(true);
    expect(await blsVerify(publicKey, signature, message)).toBe(true);
    expect(await blsVerify(publicKey, signature, otherMessage)).toBe(false);
    // Bytes that are no point: both refuse by throwing (the certificate is refused).
    const garbage = new Uint8Array(48).fill(0xff);
    expect(() => agentBlsVerify(publicKey, garbage, message)).toThrow();
    await expect(blsVerify(publicKey, garbage, message)).rejects.toThrow();
    // Hex text, as the agent also accepts.
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(await blsVerify(hex(publicKey), hex(signature), hex(message))).toBe(true);
  });
});
