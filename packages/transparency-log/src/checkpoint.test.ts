import { describe, expect, it } from 'vitest';

import { LogErrorCode } from './codes';
import {
  checkpointText,
  keyId,
  originOf,
  parseCheckpoint,
  signedCheckpoint,
  signedCheckpointBytes,
} from './checkpoint';
import { createHash } from 'node:crypto';

const ROOT = new Uint8Array(Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64'));

describe('checkpoint text (C2SP tlog-checkpoint)', () => {
  it('reads the specification’s example, ignoring its signature from a key it does not know', () => {
    // The example of c2sp.org/tlog-checkpoint, verbatim.
    const example =
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
      '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
    const parsed = parseCheckpoint(example, Uint8Array.of(1, 2, 3, 4));
    expect(parsed).toMatchObject({
      ok: true,
      value: { origin: 'example.com/behind-the-sofa', size: 20852163, signatures: [] },
    });
    if (parsed.ok) expect(parsed.value.root).toEqual(ROOT);
    expect(
      checkpointText({ origin: 'example.com/behind-the-sofa', size: 20852163, root: ROOT }),
    ).toBe(example.slice(0, example.indexOf('\n\n') + 1));
  });

  it('writes the IC certificate line and reads it back', () => {
    const origin = originOf('bkyz2-fmaaa-aaaaa-qaaaq-cai');
    expect(origin).toBe('bkyz2-fmaaa-aaaaa-qaaaq-cai.icp0.io/log');
    const canisterId = Uint8Array.of(0x80, 0, 0, 0, 0, 0x10, 0, 1, 1, 1);
    const id = keyId({ origin, canisterId });
    // As the signed-note specification recommends: SHA-256(name || 0x0A || type || key)[:4].
    const expected = createHash('sha256')
      .update(origin)
      .update(Uint8Array.of(0x0a, 0xff))
      .update('ic-certified-data')
      .update(canisterId)
      .digest()
      .subarray(0, 4);
    expect(Buffer.from(id)).toEqual(expected);
    const certificate = Uint8Array.of(0xd9, 0xd9, 0xf7, 1, 2, 3);
    const witness = Uint8Array.of(0x83, 9, 9);
    const note = signedCheckpoint({
      origin,
      size: 42,
      root: ROOT,
      certificate,
      witness,
      keyId: id,
    });
    // The bytes the canister writes are the UTF-8 of the same text, base64 as Node writes it.
    for (const length of [0, 1, 2, 3, 4, 100]) {
      const cert = Uint8Array.from({ length }, (_, i) => i * 7);
      const text = new TextDecoder().decode(
        signedCheckpointBytes({
          origin,
          size: 1,
          root: ROOT,
          certificate: cert,
          witness,
          keyId: id,
        }),
      );
      const signature = Buffer.concat([
        Buffer.from(id),
        Buffer.from([0, 0, 0, length]),
        cert,
        witness,
      ]);
      expect(text).toBe(
        `${origin}\n1\n${Buffer.from(ROOT).toString('base64')}\n\n\u2014 ${origin} ${signature.toString('base64')}\n`,
      );
    }
    expect(
      note.startsWith(
        `${origin}\n42\n${Buffer.from(ROOT).toString('base64')}\n\n\u2014 ${origin} `,
      ),
    ).toBe(true);
    const other = `\u2014 ${origin} ${Buffer.from([9, 9, 9, 9, 0, 0, 0, 0]).toString('base64')}\n`;
    const parsed = parseCheckpoint(note + other, id);
    expect(parsed).toEqual({
      ok: true,
      value: {
        origin,
        size: 42,
        root: ROOT,
        text: checkpointText({ origin, size: 42, root: ROOT }),
        signatures: [{ certificate, witness }],
      },
    });
  });

  it('refuses what is not a checkpoint', () => {
    const code = (note: string) => {
      const r = parseCheckpoint(note, Uint8Array.of(0, 0, 0, 0));
      return r.ok ? 'ok' : r.code;
    };
    const root = Buffer.from(ROOT).toString('base64');
    const line = `\u2014 o ${Buffer.alloc(8).toString('base64')}\n`;
    expect(code(`o\n1\n${root}\n\n${line}`)).toBe('ok');
    // A signed note has at least one signature line.
    expect(code(`o\n1\n${root}\n\n`)).toBe(LogErrorCode.CHECKPOINT_MALFORMED);
    expect(code(`o\n1\n${root}\n`)).toBe(LogErrorCode.CHECKPOINT_MALFORMED);
    expect(code(`o\n01\n${root}\n\n`)).toBe(LogErrorCode.CHECKPOINT_MALFORMED);
    expect(code(`o\n-1\n${root}\n\n`)).toBe(LogErrorCode.CHECKPOINT_MALFORMED);
    expect(code(`o\n1\n${root.slice(4)}\n\n`)).toBe(LogErrorCode.CHECKPOINT_MALFORMED);
    expect(code(`o\n1\n\n\n`)).toBe(LogErrorCode.CHECKPOINT_MALFORMED);
    expect(code(`o\r\n1\n${root}\n\n`)).toBe(LogErrorCode.CHECKPOINT_MALFORMED);
    expect(code(`o\n1\n${root}\n\n- o AAAA\n`)).toBe(LogErrorCode.CHECKPOINT_MALFORMED);
  });
});
