import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';

import { bls12_381 } from '@noble/curves/bls12-381';
import { bn254 } from '@noble/curves/bn254';
import { describe, expect, it } from 'vitest';

import {
  blsFrobeniusCalls,
  knownFrobeniusSource,
  TOWER_FUNCTION,
  towerWithKnownFrobenius,
} from './bls-frobenius';

// The installed module, as the app's build sees it.
const curvesIndex = createRequire(import.meta.url).resolve('@noble/curves/bls12-381');
const towerPath = join(dirname(curvesIndex), 'esm', 'abstract', 'tower.js');

type Lookup = (
  Fp: unknown,
  nonResidue: unknown,
  modulus: bigint,
  degree: number,
  num: number,
  divisor?: number,
) => unknown;
/** The function the patch puts into the module, as the module will run it (in its own realm). */
const known = runInNewContext(`${knownFrobeniusSource()}\nknownFrobeniusCoefficients;`, {
  BigInt,
}) as Lookup;

describe("BLS12-381's Frobenius coefficients, computed by the build", () => {
  it("are noble's own, for each call its fields make (Fp2, Fp6, Fp12)", () => {
    const { Fp, Fp2 } = bls12_381.fields;
    const { modulus, calls } = blsFrobeniusCalls();
    expect(modulus).toBe(Fp.ORDER);
    // Fp2's call passes no divisor (the degree then); Fp6's and Fp12's pass one.
    const asMade = [
      known(Fp, calls[0].nonResidue, Fp.ORDER, 2, 1),
      known(Fp2, calls[1].nonResidue, Fp.ORDER, 6, 2, 3),
      known(Fp2, calls[2].nonResidue, Fp.ORDER, 12, 1, 6),
    ];
    asMade.forEach((result, i) => expect(result).toEqual(calls[i].result));
    // Each call gets fresh objects: a caller that keeps them shares nothing with the next.
    expect(known(Fp2, calls[2].nonResidue, Fp.ORDER, 12, 1, 6)).not.toBe(asMade[2]);
    // 12 coefficients for Fp12, 2 × 6 for Fp6, 2 for Fp2: the tower's sizes.
    expect(calls.map((c) => c.result.map((row) => row.length))).toEqual([[2], [6, 6], [12]]);
  });

  it('are not used for any other input: other non-residue, degree, divisor or curve', () => {
    const { Fp, Fp2 } = bls12_381.fields;
    const { calls } = blsFrobeniusCalls();
    expect(known(Fp2, { c0: 2n, c1: 1n }, Fp.ORDER, 6, 2, 3)).toBeUndefined();
    expect(known(Fp2, calls[1].nonResidue, Fp.ORDER, 6, 1, 3)).toBeUndefined();
    expect(known(Fp2, calls[1].nonResidue, Fp.ORDER, 6, 2)).toBeUndefined();
    expect(known(Fp, calls[0].nonResidue, Fp.ORDER, 3, 1)).toBeUndefined();
    const bn = bn254.fields;
    expect(known(bn.Fp2, { c0: 9n, c1: 1n }, bn.Fp.ORDER, 6, 2, 3)).toBeUndefined();
  });

  it("patches the installed noble's tower.js and nothing else", () => {
    const code = readFileSync(towerPath, 'utf8');
    const patched = towerWithKnownFrobenius({ code, id: towerPath });
    expect(patched).toContain('function knownFrobeniusCoefficients(');
    // The lookup comes first in the original function, whose computation stays for other calls.
    expect(patched).toContain(
      `${TOWER_FUNCTION}\n    const known = knownFrobeniusCoefficients(Fp, nonResidue, modulus, degree, num, divisor);`,
    );
    expect(patched?.replace(/^.*knownFrobeniusCoefficients.*$/gm, '')).toContain(
      'powers.push(Fp.pow(nonResidue, power));',
    );
    expect(
      towerWithKnownFrobenius({ code: 'export const x = 1;', id: '/x/node_modules/y/tower.js' }),
    ).toBeNull();
  });

  it('refuses to build when noble changed the function', () => {
    expect(() =>
      towerWithKnownFrobenius({ code: 'function calcFrobenius() {}', id: towerPath }),
    ).toThrow(/@noble\/curves changed/);
  });
});
