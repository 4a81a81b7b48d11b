// The valid vectors checked by code that shares nothing with the package: Node's own Ed25519
// (OpenSSL inside), the openssl command line, and a principal derived with node:crypto.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAttestation } from '../src/index';
import { invalidVectors, validVectors, vectorsDir } from './vectors';

interface Decoded {
  payloadType: string;
  statement: Buffer;
  signature: Buffer;
  keyid: string;
  publicKey: Buffer;
  statementJson: { predicate: { builder: { id: string; publicKey: string } } };
}

interface EnvelopeJson {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

function decode(bytes: Uint8Array): Decoded {
  const envelope = JSON.parse(Buffer.from(bytes).toString('utf8')) as EnvelopeJson;
  const statement = Buffer.from(envelope.payload, 'base64');
  const statementJson = JSON.parse(statement.toString('utf8')) as Decoded['statementJson'];
  return {
    payloadType: envelope.payloadType,
    statement,
    signature: Buffer.from(envelope.signatures[0].sig, 'base64'),
    keyid: envelope.signatures[0].keyid,
    publicKey: Buffer.from(statementJson.predicate.builder.publicKey, 'base64'),
    statementJson,
  };
}

function independentPae(type: string, body: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `, 'utf8'),
    body,
  ]);
}

function spki(publicKey: Buffer): Buffer {
  return Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
}

function base32Lower(bytes: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function independentPrincipal(publicKey: Buffer): string {
  const body = Buffer.concat([createHash('sha224').update(spki(publicKey)).digest(), Buffer.of(2)]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body) >>> 0);
  return base32Lower(Buffer.concat([checksum, body]))
    .match(/.{1,5}/g)!
    .join('-');
}

describe.each(validVectors.map((v) => [v.file, v] as const))(
  '%s, checked independently',
  (_file, vector) => {
    const d = decode(vector.bytes);

    it("verifies with Node's crypto over an independently built PAE", () => {
      const key = createPublicKey({ key: spki(d.publicKey), format: 'der', type: 'spki' });
      expect(verify(null, independentPae(d.payloadType, d.statement), key, d.signature)).toBe(true);
    });

    it('names a builder whose principal is derived from its key', () => {
      expect(d.keyid).toBe(independentPrincipal(d.publicKey));
      expect(d.statementJson.predicate.builder.id).toBe(d.keyid);
    });

    it('parses to what JSON.parse sees (valid input has one meaning)', () => {
      const result = verifyAttestation(vector.bytes);
      if (!result.ok) expect.fail(result.error.message);
      expect(result.value.statement).toEqual(d.statementJson);
      expect(Buffer.from(result.value.statementBytes).equals(d.statement)).toBe(true);
      expect(Buffer.from(result.value.signature).equals(d.signature)).toBe(true);
      expect(Buffer.from(result.value.publicKey).equals(d.publicKey)).toBe(true);
      expect(result.value.builderId).toBe(d.keyid);
    });
  },
);

describe('openssl command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attestation-openssl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(validVectors.map((v) => [v.file, v] as const))(
    'pkeyutl -verify accepts %s',
    (file, vector) => {
      const d = decode(vector.bytes);
      const base = join(dir, file.replace(/[/.]/g, '_'));
      writeFileSync(`${base}.der`, spki(d.publicKey));
      execFileSync('openssl', [
        'pkey',
        '-pubin',
        '-inform',
        'DER',
        '-in',
        `${base}.der`,
        '-out',
        `${base}.pem`,
      ]);
      writeFileSync(`${base}.pae`, independentPae(d.payloadType, d.statement));
      writeFileSync(`${base}.sig`, d.signature);
      const out = execFileSync('openssl', [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        `${base}.pem`,
        '-rawin',
        '-in',
        `${base}.pae`,
        '-sigfile',
        `${base}.sig`,
      ]).toString();
      expect(out).toContain('Signature Verified Successfully');
    },
  );

  const recipe = join(vectorsDir, '..', 'scripts', 'verify-with-openssl.sh');
  const runRecipe = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return spawnSync('sh', [recipe, path], { encoding: 'utf8' });
  };

  it.each(validVectors.map((v) => [v.file, v] as const))(
    "the README's shell recipe accepts %s",
    (file, vector) => {
      const run = runRecipe(file.replace(/\//g, '_'), vector.bytes);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('Signature Verified Successfully');
      expect(run.stdout).toContain(`builder principal: ${decode(vector.bytes).keyid}`);
    },
  );

  const forged = invalidVectors.filter((v) =>
    [
      'signature-invalid--bit-flip',
      'signature-invalid--wrong-key',
      'signature-invalid--payload-changed-after-signing',
      'signature-invalid--no-pae',
      'keyid-mismatch--other-builder',
    ].some((n) => v.file.includes(n)),
  );
  it.each(forged.map((v) => [v.file, v] as const))(
    'the shell recipe rejects %s',
    (file, vector) => {
      const run = runRecipe(file.replace(/\//g, '_'), vector.bytes);
      expect(run.status).not.toBe(0);
    },
  );
});
