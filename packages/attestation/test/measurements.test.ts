import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  AttestationError,
  archiveLayerDifference,
  canonicalLaunchMeasurements,
  describeLayerDifference,
  launchMeasurementsSha256,
} from '../src/index';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('canonicalLaunchMeasurements', () => {
  it('is the proposal value as compact JSON with the measurement in lowercase hex', () => {
    const values = [
      { measurementHex: '0a0b', kernelCmdline: 'root=/dev/vda5 console=ttyS0' },
      { measurementHex: 'ff', kernelCmdline: null },
    ];
    const text =
      '{"guest_launch_measurements":[{"measurement":"0a0b","metadata":{"kernel_cmdline":"root=/dev/vda5 console=ttyS0"}},{"measurement":"ff","metadata":null}]}';
    expect(canonicalLaunchMeasurements(values)).toBe(text);
    // The same bytes JSON.parse reads back, and an independent SHA-256 of them.
    expect(JSON.parse(text)).toEqual({
      guest_launch_measurements: [
        { measurement: '0a0b', metadata: { kernel_cmdline: 'root=/dev/vda5 console=ttyS0' } },
        { measurement: 'ff', metadata: null },
      ],
    });
    expect(launchMeasurementsSha256(values)).toBe(sha(text));
    expect(canonicalLaunchMeasurements([])).toBe('{"guest_launch_measurements":[]}');
  });

  it('escapes only quote, backslash and control characters; keeps other text as UTF-8', () => {
    const text = canonicalLaunchMeasurements([
      { measurementHex: '00', kernelCmdline: 'a"b\\c\td\u0001é' },
    ]);
    expect(text).toContain('"kernel_cmdline":"a\\"b\\\\c\\u0009d\\u0001é"');
    expect(launchMeasurementsSha256([{ measurementHex: '00', kernelCmdline: 'é' }])).toBe(
      sha('{"guest_launch_measurements":[{"measurement":"00","metadata":{"kernel_cmdline":"é"}}]}'),
    );
  });

  it('distinguishes order, metadata and bytes', () => {
    const a = { measurementHex: '01', kernelCmdline: null };
    const b = { measurementHex: '02', kernelCmdline: null };
    const hashes = new Set([
      launchMeasurementsSha256([a, b]),
      launchMeasurementsSha256([b, a]),
      launchMeasurementsSha256([{ ...a, kernelCmdline: '' }, b]),
      launchMeasurementsSha256([a]),
    ]);
    expect(hashes.size).toBe(4);
  });

  it('refuses uppercase or odd-length hex and lone surrogates', () => {
    for (const bad of [
      { measurementHex: '0A', kernelCmdline: null },
      { measurementHex: 'abc', kernelCmdline: null },
      { measurementHex: '00', kernelCmdline: '\ud800' },
    ])
      expect(() => canonicalLaunchMeasurements([bad])).toThrow(AttestationError);
  });
});

describe('archiveLayerDifference', () => {
  const m = (path: string, sha256: string) => ({ path, sha256, size: '1' });
  const base = {
    sha256: 'a'.repeat(64),
    tarSha256: 'b'.repeat(64),
    members: [m('boot.img', '1'.repeat(64)), m('root.img', '2'.repeat(64))],
  };
  it('places a difference in the outermost layer that explains it', () => {
    expect(archiveLayerDifference(base, { ...base })).toEqual({ layer: 'none' });
    const recompressed = { ...base, sha256: 'c'.repeat(64) };
    expect(describeLayerDifference(archiveLayerDifference(base, recompressed))).toBe(
      'only the compression differs (same tar)',
    );
    const relaid = { ...recompressed, tarSha256: 'd'.repeat(64) };
    expect(describeLayerDifference(archiveLayerDifference(base, relaid))).toBe(
      'same files, different tar layout (sparse map, ordering, metadata)',
    );
    const rootDiffers = {
      ...relaid,
      members: [m('boot.img', '1'.repeat(64)), m('root.img', '3'.repeat(64))],
    };
    expect(describeLayerDifference(archiveLayerDifference(base, rootDiffers))).toBe(
      'root.img differs',
    );
    const sameFilesNoTar = { sha256: 'f'.repeat(64), members: base.members };
    expect(archiveLayerDifference({ ...base, tarSha256: null }, sameFilesNoTar)).toEqual({
      layer: 'archive',
      sameFiles: true,
    });
    const noLayers = { sha256: 'e'.repeat(64) };
    expect(archiveLayerDifference(base, noLayers)).toEqual({ layer: 'unknown' });
    const extra = { ...relaid, members: [...relaid.members, m('VERSION.TXT', '4'.repeat(64))] };
    expect(archiveLayerDifference(base, extra)).toEqual({ layer: 'files', paths: ['VERSION.TXT'] });
  });
});
