/**
 * The transparency log and certified data of the real registry wasm: every reader-visible
 * event is a leaf, proofs verify against the certified root, certified summaries and
 * attestation records match their witnesses, and the log survives an upgrade unchanged.
 */
import { createHash } from 'node:crypto';

import { IDL } from '@dfinity/candid';
import {
  idlFactory,
  verifyCertifiedAttestation,
  verifyCertifiedSummary,
  verifyCheckpoint,
  verifyConsistencyProof,
  verifyInclusionProof,
} from '@repro-registry/client';
import type * as T from '@repro-registry/client';
import {
  decodeHashTree,
  lookupPath,
  reconstruct,
  type HashTree,
} from '@repro-registry/certification';
import {
  LABELS,
  decodeLeaf,
  leafHash,
  parseCheckpoint,
  keyId,
  u64Label,
  verifyConsistency,
  verifyInclusion,
  type LogEvent,
} from '@repro-registry/transparency-log';
import { describe, expect, it } from 'vitest';

import { certificateFor, RootKey } from '../../../packages/certification/test/certificate';
import { certifiedQuery, rootKey } from './certified-support';
import { POPULATION_PROPOSALS, populationEnvelope } from './data';
import { startWithGovernance } from './governance-standin';
import { CONTROLLER, okOf, type RegistryUnderTest } from './harness';

const service = idlFactory({ IDL });
const funcs = new Map(service._fields);

/** What a witness proves, checked against the canister's certified data. */
function certified(registry: RegistryUnderTest, witness: Uint8Array): HashTree {
  const tree = decodeHashTree(witness);
  const certifiedData = registry.host.canister(registry.canisterId)!.certifiedData;
  expect(Buffer.from(reconstruct(tree)).toString('hex')).toBe(
    Buffer.from(certifiedData).toString('hex'),
  );
  return tree;
}

function found(tree: HashTree, path: (string | Uint8Array)[]): Uint8Array {
  const r = lookupPath(tree, path);
  if (r.status !== 'found') throw new Error(`${path.join('/')}: ${r.status}`);
  return r.value;
}

const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The Candid type of `ProposalSummary`, as the client's bindings declare it. */
const ProposalSummaryType = (
  funcs.get('get_proposal_summary')!.retTypes[0] as IDL.VariantClass
)._fields.find(([name]) => name === 'Ok')![1];

describe('certified registry (real wasm)', () => {
  it(
    'logs every event, proves inclusion and consistency, certifies summaries and records',
    { timeout: 300_000 },
    async () => {
      const { registry } = await startWithGovernance({
        confirmed: POPULATION_PROPOSALS.slice(0, 2),
      });
      await registry.settle();
      const start = await certifiedQuery<T.Checkpoint>(registry, 'get_checkpoint', []);
      // The two proposals read from governance are the first leaves.
      expect(start.size).toBe(2n);

      const ids: bigint[] = [];
      for (let i = 0; i < 6; i++) {
        const { builder, envelope } = populationEnvelope(i * 10); // proposal 130000
        const receipt = okOf(
          await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
        );
        ids.push(receipt.attestation_id);
      }
      await registry.settle();
      okOf(
        await registry.call(
          'hide_attestation',
          [{ attestation_id: ids[1], reason: 'spam' }],
          CONTROLLER,
        ),
      );
      okOf(await registry.call('unhide_attestation', [ids[1]], CONTROLLER));
      await registry.settle();

      const checkpoint = await certifiedQuery<T.Checkpoint>(registry, 'get_checkpoint', []);
      expect(checkpoint.size).toBe(2n + 6n + 2n);
      const tree = certified(registry, checkpoint.witness);
      expect(hex(found(tree, [LABELS.log, LABELS.root]))).toBe(hex(checkpoint.root));
      expect(found(tree, [LABELS.log, LABELS.size])).toEqual(u64Label(checkpoint.size));

      // The checkpoint text: tlog-checkpoint layout, certificate as its signature line.
      const noteBytes = checkpoint.note[0];
      if (noteBytes === undefined) throw new Error('no checkpoint note');
      const note = new TextDecoder().decode(noteBytes);
      const parsed = parseCheckpoint(
        note,
        keyId({ origin: checkpoint.origin, canisterId: registry.canisterId.toUint8Array() }),
      );
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.value).toMatchObject({
        origin: `${registry.canisterId.toText()}.icp0.io/log`,
        size: Number(checkpoint.size),
      });
      expect(parsed.value.signatures).toHaveLength(1);
      expect(parsed.value.signatures[0].certificate).toEqual(checkpoint.certificate[0]);
      expect(parsed.value.signatures[0].witness).toEqual(checkpoint.witness);

      // Each acceptance is a leaf, proven in the certified tree, with the envelope's SHA-256.
      const seen: LogEvent[] = [];
      for (const [n, id] of ids.entries()) {
        const p = okOf(
          await certifiedQuery<{ Ok: T.InclusionProof }>(registry, 'get_inclusion_proof', [
            { attestation_id: id, tree_size: [] },
          ]),
        );
        expect(p.tree_size).toBe(checkpoint.size);
        expect(p.leaf_index).toBe(2n + BigInt(n));
        const check = verifyInclusion({
          leafHash: leafHash(p.leaf),
          index: Number(p.leaf_index),
          treeSize: Number(p.tree_size),
          proof: p.proof,
          root: checkpoint.root,
        });
        expect(check).toEqual({ ok: true, value: undefined });
        const event = decodeLeaf(p.leaf);
        if (!event.ok) throw new Error(event.message);
        seen.push(event.value);
        const envelope = populationEnvelope(n * 10).envelope;
        expect(event.value).toMatchObject({
          event: 'attestation_accepted',
          attestation: id.toString(),
          proposal: '130000',
          envelope_sha256: hex(sha(envelope)),
        });
        // A tampered leaf does not verify.
        const forged = p.leaf.slice();
        forged[forged.length - 3] ^= 1;
        expect(
          verifyInclusion({
            leafHash: leafHash(forged),
            index: Number(p.leaf_index),
            treeSize: Number(p.tree_size),
            proof: p.proof,
            root: checkpoint.root,
          }).ok,
        ).toBe(false);
      }
      expect(seen.map((e) => e.event)).toEqual(Array(6).fill('attestation_accepted'));

      // Consistency from the first checkpoint to now.
      const consistency = okOf(
        await certifiedQuery<{ Ok: T.ConsistencyProof }>(registry, 'get_consistency_proof', [
          { old_size: start.size, new_size: [] },
        ]),
      );
      expect(
        verifyConsistency({
          oldSize: Number(start.size),
          newSize: Number(consistency.new_size),
          oldRoot: start.root,
          newRoot: checkpoint.root,
          proof: consistency.proof,
        }),
      ).toEqual({ ok: true, value: undefined });

      // The certified summary is the summary readers get, and its hash is in the tree.
      const cs = okOf(
        await certifiedQuery<{ Ok: T.CertifiedSummary }>(registry, 'get_certified_summary', [
          130000n,
        ]),
      );
      const summaryTree = certified(registry, cs.witness);
      expect(hex(found(summaryTree, [LABELS.proposal, u64Label(130000n)]))).toBe(
        hex(sha(cs.summary)),
      );
      const summary = IDL.decode(
        [ProposalSummaryType],
        cs.summary.slice(),
      )[0] as unknown as T.ProposalSummary;
      const live = okOf(
        await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [130000n]),
      );
      expect(summary).toEqual(live);
      expect(summary.builder_count).toBe(6n);
      // A forged summary does not match the certified hash.
      const inflated = IDL.encode([ProposalSummaryType], [{ ...summary, builder_count: 12n }]);
      expect(hex(sha(new Uint8Array(inflated)))).not.toBe(hex(sha(cs.summary)));

      // The attestation record, with hide and unhide reflected in the log.
      const ca = okOf(
        await certifiedQuery<{ Ok: T.CertifiedAttestation }>(
          registry,
          'get_certified_attestation',
          [ids[1]],
        ),
      );
      const caTree = certified(registry, ca.witness);
      expect(hex(found(caTree, [LABELS.attestation, u64Label(ids[1])]))).toBe(
        hex(sha(ca.certified_record)),
      );
      const record = JSON.parse(Buffer.from(ca.certified_record).toString('utf8')) as unknown;
      expect(record).toMatchObject({
        id: ids[1].toString(),
        hidden: null,
        envelope_sha256: hex(sha(ca.envelope)),
      });

      // What a reader does (packages/client): every certified reply checked under the root key.
      const context = { canisterId: registry.canisterId, rootKey: rootKey.der };
      const head = await verifyCheckpoint(context, checkpoint);
      expect(head).toMatchObject({ ok: true, value: { size: Number(checkpoint.size) } });
      expect((await verifyCertifiedSummary(context, cs)).ok).toBe(true);
      const verified = await verifyCertifiedSummary(context, cs);
      if (verified.ok) expect(verified.value.summary).toEqual(live);
      // A node that inflates the count is caught: the summary does not match its certificate.
      const forgedSummary = { ...cs, summary: new Uint8Array(inflated) };
      expect(await verifyCertifiedSummary(context, forgedSummary)).toMatchObject({
        ok: false,
        code: 'WITNESS_MISMATCH',
      });
      // A certificate under another root key, or no certificate, is refused.
      const otherKey = { ...context, rootKey: RootKey.generate().der };
      expect(await verifyCertifiedSummary(otherKey, cs)).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_INVALID',
      });
      expect(await verifyCertifiedSummary(context, { ...cs, certificate: [] })).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_INVALID',
      });
      // The same certified data, but signed 10 minutes ago: too old to rely on.
      const tenMinutesAgo = BigInt(Date.now() - 10 * 60_000) * 1_000_000n;
      const old = certificateFor({
        rootKey,
        canisterId: registry.canisterId,
        certifiedData: registry.host.canister(registry.canisterId)!.certifiedData,
        timeNs: tenMinutesAgo,
      });
      expect(await verifyCertifiedSummary(context, { ...cs, certificate: [old] })).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_STALE',
      });
      // A checkpoint claiming another size or root than the certified one.
      expect(
        await verifyCheckpoint(context, { ...checkpoint, size: checkpoint.size + 1n }),
      ).toMatchObject({
        ok: false,
        code: 'CHECKPOINT_SIZE_MISMATCH',
      });
      expect(await verifyCheckpoint(context, { ...checkpoint, root: start.root })).toMatchObject({
        ok: false,
        code: 'CHECKPOINT_ROOT_MISMATCH',
      });
      const inclusion = okOf(
        await certifiedQuery<{ Ok: T.InclusionProof }>(registry, 'get_inclusion_proof', [
          { attestation_id: ids[3], tree_size: [] },
        ]),
      );
      expect(await verifyInclusionProof(context, inclusion)).toMatchObject({
        ok: true,
        value: { event: { event: 'attestation_accepted', attestation: ids[3].toString() } },
      });
      const badProof = {
        ...inclusion,
        proof: inclusion.proof.map((p, i) => (i === 0 ? sha(p) : p)),
      };
      expect((await verifyInclusionProof(context, badProof)).ok).toBe(false);
      expect(
        await verifyConsistencyProof(
          context,
          { size: Number(start.size), root: start.root },
          consistency,
        ),
      ).toMatchObject({ ok: true });
      // A log that rewrote its history: the old root no longer leads to the new one.
      expect(
        (
          await verifyConsistencyProof(
            context,
            { size: Number(start.size), root: sha(start.root) },
            consistency,
          )
        ).ok,
      ).toBe(false);
      const attested = await verifyCertifiedAttestation(context, ca);
      expect(attested).toMatchObject({ ok: true, value: { record: { id: ids[1].toString() } } });
      const otherEnvelope = { ...ca, envelope: populationEnvelope(990).envelope };
      expect(await verifyCertifiedAttestation(context, otherEnvelope)).toMatchObject({
        ok: false,
        code: 'WITNESS_MISMATCH',
      });
    },
  );

  it(
    'keeps the log byte-identical across an upgrade and goes on from it',
    { timeout: 300_000 },
    async () => {
      const { registry } = await startWithGovernance({ confirmed: [130000n] });
      for (let i = 0; i < 4; i++) {
        const { builder, envelope } = populationEnvelope(i * 10);
        okOf(
          await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
        );
      }
      await registry.settle();
      const before = await certifiedQuery<T.Checkpoint>(registry, 'get_checkpoint', []);
      const proofsBefore = await Promise.all(
        [1n, 2n, 3n, 4n].map((id) =>
          certifiedQuery<{ Ok: T.InclusionProof }>(registry, 'get_inclusion_proof', [
            { attestation_id: id, tree_size: [] },
          ]),
        ),
      );
      await registry.upgrade();
      await registry.settle();
      const after = await certifiedQuery<T.Checkpoint>(registry, 'get_checkpoint', []);
      expect(after.size).toBe(before.size);
      expect(hex(after.root)).toBe(hex(before.root));
      for (const [i, id] of [1n, 2n, 3n, 4n].entries()) {
        const p = okOf(
          await certifiedQuery<{ Ok: T.InclusionProof }>(registry, 'get_inclusion_proof', [
            { attestation_id: id, tree_size: [] },
          ]),
        );
        const old = okOf(proofsBefore[i]);
        expect(hex(p.leaf)).toBe(hex(old.leaf));
        expect(p.proof.map(hex)).toEqual(old.proof.map(hex));
      }
      // After the upgrade the log goes on: consistent with the checkpoint seen before it.
      const { builder, envelope } = populationEnvelope(40);
      okOf(
        await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
      );
      await registry.settle();
      const consistency = okOf(
        await certifiedQuery<{ Ok: T.ConsistencyProof }>(registry, 'get_consistency_proof', [
          { old_size: before.size, new_size: [] },
        ]),
      );
      expect(consistency.new_size).toBe(before.size + 1n);
      const context = { canisterId: registry.canisterId, rootKey: rootKey.der };
      expect(
        await verifyConsistencyProof(
          context,
          { size: Number(before.size), root: before.root },
          consistency,
        ),
      ).toMatchObject({ ok: true });
    },
  );
});
