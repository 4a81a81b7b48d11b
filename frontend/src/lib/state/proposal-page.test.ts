import { describe, expect, it, vi } from 'vitest';

import type { RegistryApi } from '../api/registry.api';
import { createMainThreadVerifier } from '../services/main-thread-verifier';
import {
  BAD_HASH,
  ROOT_MEMBERS,
  ROOT_MEMBERS_DIFFERENT,
  WSL2,
  attestation,
  testBuilder,
} from '../test-support/fixtures';
import { MemoryRegistry } from '../test-support/memory-registry';
import { VERIFICATION_WAIT } from '../test-support/render';
import { ProposalPageState, startFirstReads, type FirstReads } from './proposal-page.svelte';

const builders = Array.from({ length: 8 }, (_, i) => testBuilder(`page${i}`));

function seeded(): MemoryRegistry {
  const registry = new MemoryRegistry();
  for (let i = 0; i < 4; i++)
    registry.add(attestation({ id: BigInt(i + 1), builder: builders[i], members: ROOT_MEMBERS }));
  registry.add(
    attestation({
      id: 5n,
      builder: builders[4],
      sha256: BAD_HASH,
      members: ROOT_MEMBERS_DIFFERENT,
      environment: WSL2,
    }),
  );
  return registry;
}

function pageFor(registry: MemoryRegistry, proposalId = 139768n) {
  return new ProposalPageState({ api: registry, verifier: createMainThreadVerifier(), proposalId });
}

describe('ProposalPageState', () => {
  it('loads the summary and every attestation, verifies them, and locates the mismatch', async () => {
    const page = pageFor(seeded());
    await page.load();
    await vi.waitFor(() => expect(page.allVerified).toBe(true), VERIFICATION_WAIT);
    expect(page.status).toBe('ready');
    expect(page.attestations.map((a) => a.id)).toEqual([5n, 4n, 3n, 2n, 1n]);
    expect(page.verifiedCount).toBe(5);
    expect(page.failedCount).toBe(0);
    const [comparison] = page.comparisons.get('guestos') ?? [];
    expect(comparison).toMatchObject({
      status: 'compared',
      sha256: BAD_HASH,
      differences: [{ path: 'root.img' }],
    });
    // One mismatch and four matches: too few to tie the mismatch to WSL2.
    expect(page.factors.find((f) => f.id === 'virtualization')?.status).toBe('too_few');
    expect(page.verificationMs).not.toBeNull();
    expect(page.verificationCpuMs).toBeGreaterThan(0);
  });

  it('reads every page of a large proposal', async () => {
    const registry = new MemoryRegistry();
    const pageSize = 10;
    const n = pageSize * 2 + 7;
    for (let i = 0; i < n; i++)
      registry.add(attestation({ id: BigInt(i + 1), builder: builders[i % 8] }));
    const page = new ProposalPageState({
      api: registry,
      verifier: createMainThreadVerifier(),
      proposalId: 139768n,
      pageSize,
    });
    await page.load();
    expect(page.receivedCount).toBe(n);
    // A row appears once its envelope is checked.
    await vi.waitFor(() => expect(page.allVerified).toBe(true), VERIFICATION_WAIT);
    expect(page.attestations).toHaveLength(n);
    expect(new Set(page.attestations.map((a) => a.id)).size).toBe(n);
    expect(registry.calls.filter((c) => c === 'listAttestations')).toHaveLength(3);
    // Each builder's newest attestation supersedes the older ones.
    expect(page.counted).toHaveLength(8);
  });

  it('asks the older pages before the first one arrives, then what arrived meanwhile', async () => {
    const registry = new MemoryRegistry();
    const pageSize = 10;
    for (let i = 0; i < 25; i++)
      registry.add(attestation({ id: BigInt(i + 1), builder: builders[i % 8] }));
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((r) => (releaseFirst = r));
    const asked: (bigint | undefined)[] = [];
    const api = Object.create(registry) as MemoryRegistry;
    api.listAttestations = async (args) => {
      asked.push(args.cursor);
      if (args.cursor === undefined) await firstHeld;
      return registry.listAttestations(args);
    };
    const page = new ProposalPageState({
      api,
      verifier: createMainThreadVerifier(),
      proposalId: 139768n,
      pageSize,
    });
    const loading = page.load();
    // The summary counts 25: positions 15–24 come with the first page, 0–14 are asked now.
    await vi.waitFor(() => expect(asked).toEqual([undefined, 15n, 5n]));
    // Two more arrive before the registry answers the first page (it then holds 17–26).
    for (let i = 25; i < 27; i++)
      registry.add(attestation({ id: BigInt(i + 1), builder: builders[i % 8] }));
    releaseFirst();
    await loading;
    expect(asked).toEqual([undefined, 15n, 5n, 17n]);
    expect(page.attestationTotal).toBe(27);
    await vi.waitFor(() => expect(page.allVerified).toBe(true), VERIFICATION_WAIT);
    // Every position was asked once, and every attestation checked once.
    expect(page.receivedCount).toBe(27);
    expect(page.verifiedCount).toBe(27);
    expect(page.attestations).toHaveLength(27);
  });

  /** 25 attestations in pages of 10; the checked answers (summary, first page) held back. */
  function heldBack(hint: number | null, started?: (api: RegistryApi) => FirstReads) {
    const registry = new MemoryRegistry();
    for (let i = 0; i < 25; i++)
      registry.add(attestation({ id: BigInt(i + 1), builder: builders[i % 8] }));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const asked: (bigint | undefined)[] = [];
    const api = Object.create(registry) as MemoryRegistry & RegistryApi;
    api.listAttestations = async (args) => {
      asked.push(args.cursor);
      if (args.cursor === undefined) await held;
      return registry.listAttestations(args);
    };
    api.getProposalSummary = async (...args) => {
      await held;
      return registry.getProposalSummary(...args);
    };
    api.attestationCountHint = () => Promise.resolve(hint);
    const reads = started?.(api);
    const page = new ProposalPageState({
      api,
      verifier: createMainThreadVerifier(),
      proposalId: 139768n,
      pageSize: 10,
      ...(reads === undefined ? {} : { started: reads }),
    });
    return { page, asked, release };
  }

  it('asks the older pages before the page is built, and the page takes them', async () => {
    let reads: FirstReads | undefined;
    const { page, asked, release } = heldBack(25, (api) => {
      reads = startFirstReads({ api, proposalId: 139768n, trustList: null, pageSize: 10 });
      return reads;
    });
    await reads?.hint;
    // Before `load`: the first page (positions 15–24) and, on the hint, 5–14 and 0–4.
    expect(asked).toEqual([undefined, 15n, 5n]);
    const loading = page.load();
    release();
    await loading;
    expect(asked).toEqual([undefined, 15n, 5n]);
    await vi.waitFor(() => expect(page.allVerified).toBe(true), VERIFICATION_WAIT);
    expect(page.verifiedCount).toBe(25);
    expect(page.attestations).toHaveLength(25);
  });

  it('asks the older pages on an unchecked count, before any checked answer arrives', async () => {
    const { page, asked, release } = heldBack(25);
    const loading = page.load();
    // Positions 15–24 come with the first page; 0–14 are asked before it or the summary arrive.
    await vi.waitFor(() => expect(asked).toEqual([undefined, 15n, 5n]));
    release();
    await loading;
    expect(asked).toEqual([undefined, 15n, 5n]);
    await vi.waitFor(() => expect(page.allVerified).toBe(true), VERIFICATION_WAIT);
    expect(page.attestationTotal).toBe(25);
    expect(page.verifiedCount).toBe(25);
  });

  it('reads every attestation once whatever the unchecked count says', async () => {
    // Too low: nothing is asked early, and the checked answers name the rest.
    const low = heldBack(3);
    const lowLoading = low.page.load();
    await vi.waitFor(() => expect(low.asked).toEqual([undefined]));
    low.release();
    await lowLoading;
    await vi.waitFor(() => expect(low.page.allVerified).toBe(true), VERIFICATION_WAIT);
    expect(low.page.verifiedCount).toBe(25);
    expect(low.page.attestationTotal).toBe(25);

    // Inflated: at most a few pages more are asked, and only the checked count is shown.
    const high = heldBack(1_000_000_000);
    const highLoading = high.page.load();
    await vi.waitFor(() => expect(high.asked.length).toBeGreaterThan(1));
    high.release();
    await highLoading;
    await vi.waitFor(() => expect(high.page.allVerified).toBe(true), VERIFICATION_WAIT);
    expect(high.asked.length).toBeLessThanOrEqual(1 + 4);
    expect(high.page.attestations).toHaveLength(25);
    expect(high.page.verifiedCount).toBe(25);
    expect(high.page.attestationTotal).toBe(25);
  });

  /**
   * Proposal 139768's page, given first reads started for `started` before it was built, loaded
   * and verified; with how often the registry was asked for each of the first reads.
   */
  async function openedWith(started: { proposalId: bigint; trustList: bigint | null }) {
    const registry = seeded();
    const reads = startFirstReads({ api: registry, ...started });
    const page = new ProposalPageState({
      api: registry,
      verifier: createMainThreadVerifier(),
      proposalId: 139768n,
      started: reads,
    });
    await page.load();
    await vi.waitFor(() => expect(page.allVerified).toBe(true), VERIFICATION_WAIT);
    const asked = (call: string) => registry.calls.filter((c) => c === call).length;
    return {
      page,
      asked: { summary: asked('getProposalSummary'), list: asked('listAttestations') },
    };
  }

  it('takes the first reads started before it was built, and asks none of them again', async () => {
    const { page, asked } = await openedWith({ proposalId: 139768n, trustList: null });
    expect(asked).toEqual({ summary: 1, list: 1 });
    expect(page.attestations.map((a) => a.id)).toEqual([5n, 4n, 3n, 2n, 1n]);
  });

  it('reads for itself when the reads started were for another proposal or trust list', async () => {
    for (const other of [
      { proposalId: 1n, trustList: null },
      { proposalId: 139768n, trustList: 7n },
    ]) {
      const { page, asked } = await openedWith(other);
      expect(asked).toEqual({ summary: 2, list: 2 });
      expect(page.summary?.proposalId).toBe(139768n);
      expect(page.verifiedCount).toBe(5);
    }
  });

  it('marks an attestation whose envelope another builder signed as failed', async () => {
    const registry = seeded();
    registry.tamper = (a) => (a.id === 2n ? { ...a, builder: builders[7].principal } : a);
    const page = pageFor(registry);
    await page.load();
    await vi.waitFor(() => expect(page.allVerified).toBe(true), VERIFICATION_WAIT);
    expect(page.failedCount).toBe(1);
    expect(page.verification.get('2')).toMatchObject({
      ok: false,
      failure: { kind: 'builder_differs' },
    });
    // Shown with what its envelope says, flagged, as the registry named it.
    expect(page.attestations.find((a) => a.id === 2n)?.builder).toBe(builders[7].principal);
  });

  it('picks up new attestations and supersessions on refresh', async () => {
    const registry = seeded();
    const page = pageFor(registry);
    await page.load();
    expect(await page.refresh()).toBe('unchanged');
    registry.add(attestation({ id: 6n, builder: builders[4], members: ROOT_MEMBERS })); // WSL2 builder fixed their machine
    registry.add(attestation({ id: 7n, builder: builders[5] }));
    expect(await page.refresh()).toBe('changed');
    await vi.waitFor(() => expect(page.verifiedCount).toBe(7), VERIFICATION_WAIT);
    expect(page.attestations.map((a) => a.id)).toEqual([7n, 6n, 5n, 4n, 3n, 2n, 1n]);
    expect(page.attestations.find((a) => a.id === 5n)?.supersededBy).toBe(6n);
    expect(page.counted.map((a) => a.id)).toEqual([7n, 6n, 4n, 3n, 2n, 1n]);
    expect(page.summary?.artifacts[0]?.hashGroups).toEqual([
      expect.objectContaining({ builderCount: 6, matchesExpected: true }),
    ]);
    await vi.waitFor(() => expect(page.verifiedCount).toBe(7), VERIFICATION_WAIT);
  });

  it('tells "no such proposal" from "registry unreachable"', async () => {
    const registry = seeded();
    const missing = pageFor(registry, 1n);
    await missing.load();
    expect(missing.status).toBe('not_found');

    registry.down = true;
    const down = pageFor(registry);
    await down.load();
    expect(down.status).toBe('error');
    expect(down.error?.kind).toBe('unreachable');
    registry.down = false;
    await down.load();
    expect(down.status).toBe('ready');
  });

  it('reports a failed refresh and recovers from it', async () => {
    const registry = seeded();
    const page = pageFor(registry);
    await page.load();
    registry.down = true;
    await expect(page.refresh()).rejects.toMatchObject({ kind: 'unreachable' });
    expect(page.status).toBe('ready');
    registry.down = false;
    registry.add(attestation({ id: 6n, builder: builders[6] }));
    expect(await page.refresh()).toBe('changed');
    await vi.waitFor(() => expect(page.attestations).toHaveLength(6), VERIFICATION_WAIT);
  });
});
