// The canonical form of GuestOS launch measurements, so a builder's measurements, the ones the
// CDN publishes and the ones a proposal puts on chain (`guest_launch_measurements`) compare by
// one SHA-256 — the `launch-measurements` artifact's `sha256` and `expectedSha256`. Pure (no
// Node or Web APIs): the registry canister computes the expected hash from the proposal itself.
import { sha256Hex, utf8Encode } from './bytes';
import { AttestationError } from './errors';
import { FormatErrorCode } from './codes';

/** One entry of `guest_launch_measurements` (the shape `@repro-registry/proposals` decodes). */
export interface LaunchMeasurementValue {
  /** The SEV-SNP launch measurement, lowercase hex (48 bytes today). */
  measurementHex: string;
  /** `metadata.kernel_cmdline`; null when the entry has no metadata. */
  kernelCmdline: string | null;
}

function jsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff))
        throw new AttestationError({
          code: FormatErrorCode.LONE_SURROGATE,
          message: 'a kernel command line holds a lone surrogate',
        });
      out += text[i] + text[i + 1];
      i++;
    } else if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += text[i];
  }
  return out + '"';
}

/**
 * The canonical text of a list of launch measurements: the JSON of the proposal's value with
 * the measurement as lowercase hex, no whitespace, keys in this order, entries in their order,
 * `"metadata":null` for an entry without metadata; strings escape only `"`, `\` and U+0000–U+001F
 * (as `\u00xx`, lowercase hex). For example
 * `{"guest_launch_measurements":[{"measurement":"0a0b…","metadata":{"kernel_cmdline":"…"}}]}`.
 */
export function canonicalLaunchMeasurements(values: readonly LaunchMeasurementValue[]): string {
  const entries = values.map((v) => {
    if (!/^(?:[0-9a-f]{2})*$/.test(v.measurementHex))
      throw new AttestationError({
        code: FormatErrorCode.HEX_INVALID,
        message: 'a launch measurement must be lowercase hex bytes',
      });
    const metadata =
      v.kernelCmdline === null ? 'null' : `{"kernel_cmdline":${jsonString(v.kernelCmdline)}}`;
    return `{"measurement":"${v.measurementHex}","metadata":${metadata}}`;
  });
  return `{"guest_launch_measurements":[${entries.join(',')}]}`;
}

/** SHA-256 (lowercase hex) of the canonical text's UTF-8 bytes. */
export function launchMeasurementsSha256(values: readonly LaunchMeasurementValue[]): string {
  return sha256Hex(utf8Encode(canonicalLaunchMeasurements(values)));
}
