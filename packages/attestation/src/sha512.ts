/**
 * SHA-512 (FIPS 180-4) written for interpreters.
 *
 * Ed25519 hashes the whole signed message with SHA-512, and inside the canister that runs in
 * azle's QuickJS interpreter, where every function call and typed-array access costs dozens of
 * Wasm instructions. @noble/hashes' SHA-512 (correct, and the reference our tests compare with)
 * spends about 52 k instructions per byte there, a third of a submission's budget for a 1.4 KB
 * statement. This version keeps the 64-bit words as pairs of 32-bit halves in local variables
 * and inlines every addition, so the round loop makes no calls. Tests check it against
 * node:crypto and @noble/hashes on every length up to several blocks and on random inputs.
 */

// The first 64 bits of the fractional parts of the cube roots of the first 80 primes, as
// [high, low] 32-bit halves.
const K = new Int32Array([
  0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc,
  0x3956c25b, 0xf348b538, 0x59f111f1, 0xb605d019, 0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118,
  0xd807aa98, 0xa3030242, 0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2,
  0x72be5d74, 0xf27b896f, 0x80deb1fe, 0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694,
  0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3, 0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65,
  0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc, 0xbd41fbd4, 0x76f988da, 0x831153b5,
  0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f, 0xbf597fc7, 0xbeef0ee4,
  0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725, 0x06ca6351, 0xe003826f, 0x14292967, 0x0a0e6e70,
  0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
  0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b,
  0xa2bfe8a1, 0x4cf10364, 0xa81a664b, 0xbc423001, 0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30,
  0xd192e819, 0xd6ef5218, 0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8,
  0x19a4c116, 0xb8d2d0c8, 0x1e376c08, 0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8,
  0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb, 0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3,
  0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814, 0xa1f0ab72, 0x8cc70208, 0x1a6439ec,
  0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915, 0xc67178f2, 0xe372532b,
  0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207, 0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f, 0xee6ed178,
  0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
  0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c,
  0x4cc5d4be, 0xcb3e42b6, 0x597f299c, 0xfc657e2a, 0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
]);

// 80 words of message schedule, high and low halves interleaved.
const W = new Int32Array(160);

/** SHA-512 of `message`. */
export function sha512(message: Uint8Array): Uint8Array {
  const length = message.length;
  // Padding: 0x80, zeros, then the bit length as a 128-bit big-endian integer.
  const blocks = Math.floor((length + 17 + 127) / 128);
  const padded = new Uint8Array(blocks * 128);
  padded.set(message);
  padded[length] = 0x80;
  const bits = length * 8; // < 2^53 for any array that fits in memory
  const end = blocks * 128;
  padded[end - 1] = bits & 0xff;
  padded[end - 2] = (bits >>> 8) & 0xff;
  padded[end - 3] = (bits >>> 16) & 0xff;
  padded[end - 4] = (bits >>> 24) & 0xff;
  const high = (bits / 4294967296) | 0;
  padded[end - 5] = high & 0xff;
  padded[end - 6] = (high >>> 8) & 0xff;
  padded[end - 7] = (high >>> 16) & 0xff;
  padded[end - 8] = (high >>> 24) & 0xff;

  let h0h = 0x6a09e667 | 0,
    h0l = 0xf3bcc908 | 0;
  let h1h = 0xbb67ae85 | 0,
    h1l = 0x84caa73b | 0;
  let h2h = 0x3c6ef372 | 0,
    h2l = 0xfe94f82b | 0;
  let h3h = 0xa54ff53a | 0,
    h3l = 0x5f1d36f1 | 0;
  let h4h = 0x510e527f | 0,
    h4l = 0xade682d1 | 0;
  let h5h = 0x9b05688c | 0,
    h5l = 0x2b3e6c1f | 0;
  let h6h = 0x1f83d9ab | 0,
    h6l = 0xfb41bd6b | 0;
  let h7h = 0x5be0cd19 | 0,
    h7l = 0x137e2179 | 0;

  for (let offset = 0; offset < end; offset += 128) {
    for (let i = 0; i < 32; i++) {
      const p = offset + i * 4;
      W[i] = (padded[p] << 24) | (padded[p + 1] << 16) | (padded[p + 2] << 8) | padded[p + 3];
    }
    for (let i = 32; i < 160; i += 2) {
      // σ0(w[t-15]) = rotr1 ^ rotr8 ^ shr7
      let xh = W[i - 30],
        xl = W[i - 29];
      const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
      const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
      // σ1(w[t-2]) = rotr19 ^ rotr61 ^ shr6
      xh = W[i - 4];
      xl = W[i - 3];
      const s1h = ((xh >>> 19) | (xl << 13)) ^ ((xl >>> 29) | (xh << 3)) ^ (xh >>> 6);
      const s1l =
        ((xl >>> 19) | (xh << 13)) ^ ((xh >>> 29) | (xl << 3)) ^ ((xl >>> 6) | (xh << 26));
      // w[t] = σ1 + w[t-7] + σ0 + w[t-16], low halves summed as unsigned numbers (< 2^35).
      const lo = (s1l >>> 0) + (W[i - 13] >>> 0) + (s0l >>> 0) + (W[i - 31] >>> 0);
      W[i] = (s1h + W[i - 14] + s0h + W[i - 32] + ((lo / 4294967296) | 0)) | 0;
      W[i + 1] = lo | 0;
    }

    let ah = h0h,
      al = h0l,
      bh = h1h,
      bl = h1l,
      ch = h2h,
      cl = h2l,
      dh = h3h,
      dl = h3l;
    let eh = h4h,
      el = h4l,
      fh = h5h,
      fl = h5l,
      gh = h6h,
      gl = h6l,
      hh = h7h,
      hl = h7l;
    for (let i = 0; i < 160; i += 2) {
      // Σ1(e) = rotr14 ^ rotr18 ^ rotr41
      const S1h =
        ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
      const S1l =
        ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
      const chh = (eh & fh) ^ (~eh & gh);
      const chl = (el & fl) ^ (~el & gl);
      // T1 = h + Σ1 + ch + K[t] + W[t]
      const t1lo = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + (K[i + 1] >>> 0) + (W[i + 1] >>> 0);
      const t1h = (hh + S1h + chh + K[i] + W[i] + ((t1lo / 4294967296) | 0)) | 0;
      const t1l = t1lo | 0;
      // Σ0(a) = rotr28 ^ rotr34 ^ rotr39
      const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
      const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
      const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
      const t2lo = (S0l >>> 0) + (majl >>> 0);
      const t2h = (S0h + majh + ((t2lo / 4294967296) | 0)) | 0;
      const t2l = t2lo | 0;
      hh = gh;
      hl = gl;
      gh = fh;
      gl = fl;
      fh = eh;
      fl = el;
      const elo = (dl >>> 0) + (t1l >>> 0);
      eh = (dh + t1h + ((elo / 4294967296) | 0)) | 0;
      el = elo | 0;
      dh = ch;
      dl = cl;
      ch = bh;
      cl = bl;
      bh = ah;
      bl = al;
      const alo = (t1l >>> 0) + (t2l >>> 0);
      ah = (t1h + t2h + ((alo / 4294967296) | 0)) | 0;
      al = alo | 0;
    }
    let s = (h0l >>> 0) + (al >>> 0);
    h0h = (h0h + ah + ((s / 4294967296) | 0)) | 0;
    h0l = s | 0;
    s = (h1l >>> 0) + (bl >>> 0);
    h1h = (h1h + bh + ((s / 4294967296) | 0)) | 0;
    h1l = s | 0;
    s = (h2l >>> 0) + (cl >>> 0);
    h2h = (h2h + ch + ((s / 4294967296) | 0)) | 0;
    h2l = s | 0;
    s = (h3l >>> 0) + (dl >>> 0);
    h3h = (h3h + dh + ((s / 4294967296) | 0)) | 0;
    h3l = s | 0;
    s = (h4l >>> 0) + (el >>> 0);
    h4h = (h4h + eh + ((s / 4294967296) | 0)) | 0;
    h4l = s | 0;
    s = (h5l >>> 0) + (fl >>> 0);
    h5h = (h5h + fh + ((s / 4294967296) | 0)) | 0;
    h5l = s | 0;
    s = (h6l >>> 0) + (gl >>> 0);
    h6h = (h6h + gh + ((s / 4294967296) | 0)) | 0;
    h6l = s | 0;
    s = (h7l >>> 0) + (hl >>> 0);
    h7h = (h7h + hh + ((s / 4294967296) | 0)) | 0;
    h7l = s | 0;
  }

  const out = new Uint8Array(64);
  const words = [h0h, h0l, h1h, h1l, h2h, h2l, h3h, h3l, h4h, h4l, h5h, h5l, h6h, h6l, h7h, h7l];
  for (let i = 0; i < 16; i++) {
    const w = words[i];
    out[i * 4] = w >>> 24;
    out[i * 4 + 1] = (w >>> 16) & 0xff;
    out[i * 4 + 2] = (w >>> 8) & 0xff;
    out[i * 4 + 3] = w & 0xff;
  }
  return out;
}
