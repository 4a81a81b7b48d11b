import { bls12_381 } from '@noble/curves/bls12-381';

import { dependencyPatch } from './dependency-patch';

/**
 * noble-curves (1.9.7) builds BLS12-381's tower of fields when its module loads, and computes
 * their Frobenius coefficients there (`calcFrobeniusCoefficients` in `abstract/tower.js`): 20
 * exponentiations in Fp2 with exponents of up to 4,600 bits, 79 of the module's 95 ms in Node and
 * 0.1–0.3 s in the page's certificate worker, whose first check (the subnet's node keys) every
 * checked answer waits for. They are constants of the curve: the app's build computes them once,
 * with noble itself, and the module returns them for exactly those inputs (the field's modulus,
 * degree, count, divisor and non-residue); any other call computes as before.
 *
 * Applied to the app's build only; the build fails when the module no longer has the function
 * this patches (then remove this plugin, or write it again for the new code).
 */
export const TOWER_FUNCTION =
  'function calcFrobeniusCoefficients(Fp, nonResidue, modulus, degree, num = 1, divisor) {';

const TOWER_MODULE = /[\\/]@noble[\\/]curves[\\/]esm[\\/]abstract[\\/]tower\.js$/;

type Fp2Element = { c0: bigint; c1: bigint };
type Coefficient = bigint | Fp2Element;

/** One call of `calcFrobeniusCoefficients` that BLS12-381's fields make, and its result. */
interface KnownCall {
  degree: number;
  num: number;
  divisor: number;
  nonResidue: Coefficient;
  result: Coefficient[][];
}

/** What noble's tower fields keep of those calls (their classes' fields, not in its typings). */
interface TowerFields {
  Fp: { ORDER: bigint };
  Fp2: { Fp_NONRESIDUE: bigint; NONRESIDUE: Fp2Element; FROBENIUS_COEFFICIENTS: bigint[] };
  Fp6: { FROBENIUS_COEFFICIENTS_1: Fp2Element[]; FROBENIUS_COEFFICIENTS_2: Fp2Element[] };
  Fp12: { FROBENIUS_COEFFICIENTS: Fp2Element[] };
}

/** The three calls the fields Fp2, Fp6 and Fp12 make, with what noble computed for them. */
export function blsFrobeniusCalls(): { modulus: bigint; calls: KnownCall[] } {
  const { Fp, Fp2, Fp6, Fp12 } = bls12_381.fields as unknown as TowerFields;
  return {
    modulus: Fp.ORDER,
    calls: [
      {
        degree: 2,
        num: 1,
        divisor: 2,
        nonResidue: Fp2.Fp_NONRESIDUE,
        result: [Fp2.FROBENIUS_COEFFICIENTS],
      },
      {
        degree: 6,
        num: 2,
        divisor: 3,
        nonResidue: Fp2.NONRESIDUE,
        result: [Fp6.FROBENIUS_COEFFICIENTS_1, Fp6.FROBENIUS_COEFFICIENTS_2],
      },
      {
        degree: 12,
        num: 1,
        divisor: 6,
        nonResidue: Fp2.NONRESIDUE,
        result: [Fp12.FROBENIUS_COEFFICIENTS],
      },
    ],
  };
}

const big = (n: bigint) => `BigInt("0x${n.toString(16)}")`;
const literal = (c: Coefficient): string =>
  typeof c === 'bigint' ? big(c) : `{ c0: ${big(c.c0)}, c1: ${big(c.c1)} }`;

/**
 * The source of `knownFrobeniusCoefficients(Fp, nonResidue, modulus, degree, num, divisor)`:
 * the precomputed result (fresh objects) for a known call, else undefined.
 */
export function knownFrobeniusSource(known = blsFrobeniusCalls()): string {
  const cases = known.calls.map(
    (k) =>
      `  if (degree === ${k.degree} && num === ${k.num} && d === ${k.divisor} && Fp.eql(nonResidue, ${literal(k.nonResidue)}))\n` +
      `    return [${k.result.map((row) => `[${row.map(literal).join(', ')}]`).join(', ')}];`,
  );
  return [
    '// Precomputed by the app build (frontend/vite/bls-frobenius.ts): BLS12-381 only.',
    'function knownFrobeniusCoefficients(Fp, nonResidue, modulus, degree, num, divisor) {',
    `  if (modulus !== ${big(known.modulus)}) return undefined;`,
    '  const d = divisor === undefined ? degree : divisor;',
    ...cases,
    '  return undefined;',
    '}',
  ].join('\n');
}

/** The patched module's source, or null when `id` is another module. */
export function towerWithKnownFrobenius(args: { code: string; id: string }): string | null {
  if (!TOWER_MODULE.test(args.id.split('?')[0] ?? args.id)) return null;
  if (!args.code.includes(TOWER_FUNCTION)) {
    throw new Error(
      `${args.id}: expected "${TOWER_FUNCTION}" — @noble/curves changed; see frontend/vite/bls-frobenius.ts`,
    );
  }
  return args.code.replace(
    TOWER_FUNCTION,
    `${knownFrobeniusSource()}\n${TOWER_FUNCTION}\n` +
      '    const known = knownFrobeniusCoefficients(Fp, nonResidue, modulus, degree, num, divisor);\n' +
      '    if (known !== undefined) return known;',
  );
}

/**
 * `inWorker`: for a worker's build, which may not use noble's tower (the verification worker
 * does not); the app's build, whose main-thread fallback for certificate checks does, requires it.
 */
export const blsFrobeniusPrecomputed = (options: { inWorker?: boolean } = {}) =>
  dependencyPatch({
    name: 'repro-bls-frobenius',
    module: '@noble/curves abstract/tower.js',
    explainedIn: 'frontend/vite/bls-frobenius.ts',
    rewrite: (code, id) => towerWithKnownFrobenius({ code, id }),
    required: options.inWorker !== true,
  });
