import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';
import { sha256 } from './sha256';
import { ed25519SpkiDer } from './keys';
import { selfAuthenticatingPrincipalText } from './principal-text';

describe('selfAuthenticatingPrincipalText', () => {
  it('is what @dfinity/principal writes, for many keys', () => {
    let key: Uint8Array = new Uint8Array(32);
    for (let i = 0; i < 500; i++) {
      key = sha256(key);
      const der = ed25519SpkiDer(key);
      expect(selfAuthenticatingPrincipalText(der)).toBe(Principal.selfAuthenticating(der).toText());
    }
  });
});
