/** Everything the pages share, built once at start-up from the page's address and configuration. */
import { createRegistryApi, type RegistryApi } from './api/registry.api';
import { fetchConfigFile, resolveConfig, type ConfigResult } from './config';
import { createVerifier, type Verifier } from './services/verification.service';
import { startBlsWorker } from './verification/bls';
import { BuilderNames } from './state/builder-names.svelte';
import { Clock } from './state/clock.svelte';
import { LogCheckpoint } from './state/log-checkpoint.svelte';
import { Preferences } from './state/preferences.svelte';
import { startFirstReads, type FirstReads } from './state/proposal-page.svelte';
import { ReadOrder } from './state/read-order';
import { RegistryInfoState } from './state/registry-info.svelte';
import { Router } from './state/router.svelte';
import { TrustListSelection } from './state/trust-list-selection.svelte';

export interface AppContext {
  config: ConfigResult;
  api: RegistryApi | null;
  info: RegistryInfoState | null;
  /** The transparency log's checkpoint and its consistency with the last one seen here. */
  checkpoint: LogCheckpoint | null;
  /** Whose builders the pages count (everyone, or one trust list's). */
  trustLists: TrustListSelection | null;
  /** Builders' display names, read as pages show builders; shared by every page of the visit. */
  names: BuilderNames | null;
  /** What a page reads first; footer facts, checkpoint and trust-list menu wait for it. */
  reads: ReadOrder;
  /** Created on first use: the list page needs no workers. */
  verifier(): Verifier;
  /**
   * The first reads of the proposal page the visit opened on, started before the app was built;
   * given once, to that page (same proposal and trust list), then null.
   */
  takeFirstReads(proposalId: bigint, trustList: bigint | null): FirstReads | undefined;
  /** Settles once those first reads are all asked (the older pages wait for the hint's count). */
  firstReadsAsked: Promise<void>;
  preferences: Preferences;
  router: Router;
  clock: Clock;
}

function localStorageOrNull(win: Window): Storage | null {
  try {
    return win.localStorage;
  } catch {
    return null;
  }
}

export async function createAppContext(win: Window): Promise<AppContext> {
  const router = new Router(win);
  const opening = router.route;
  // Workers take a few hundred ms to start (a thread, their module's download and set-up: noble's
  // curve constants for the certificate worker). Every checked answer waits for the certificate
  // worker's first check, and a proposal page for the verification workers: start them before
  // the configuration's round trip rather than after it. A page left without a registry loses
  // only their start.
  startBlsWorker();
  let verifier: Verifier | null = opening.page === 'proposal' ? createVerifier() : null;
  const file = await fetchConfigFile(win.location.href);
  const config = resolveConfig({
    pageUrl: win.location.href,
    file,
    // Development server only: a production build must not depend on the builder's .env (the
    // frontend canister embeds it, and its module hash must be the same on every machine).
    buildCanisterId: import.meta.env.DEV ? import.meta.env.CANISTER_ID_REGISTRY : undefined,
    buildHost: import.meta.env.DEV ? import.meta.env.VITE_IC_HOST : undefined,
  });
  const api = config.ok ? createRegistryApi(config.connection) : null;
  api?.connect?.();
  const trustLists = api === null ? null : new TrustListSelection(api, localStorageOrNull(win));
  // A visit that opens on a proposal asks for its data now: building the app takes the main
  // thread a few hundred ms the registry can use.
  // After one task: the node keys' read, which every checked answer waits for, leaves first (the
  // replica answers in arrival order).
  if (api !== null && opening.page === 'proposal') await new Promise((r) => setTimeout(r, 0));
  let firstReads =
    api !== null && opening.page === 'proposal'
      ? startFirstReads({
          api,
          proposalId: opening.proposalId,
          trustList: trustLists?.selectedId ?? null,
        })
      : undefined;
  return {
    config,
    api,
    info: api === null ? null : new RegistryInfoState(api),
    checkpoint:
      api === null
        ? null
        : new LogCheckpoint(api.certified, localStorageOrNull(win), api.connection.canisterId),
    trustLists,
    names: api === null ? null : new BuilderNames(api),
    reads: new ReadOrder(),
    verifier: () => (verifier ??= createVerifier()),
    firstReadsAsked: (firstReads?.hint ?? Promise.resolve()).then(
      () => {},
      () => {},
    ),
    takeFirstReads: (proposalId, trustList) => {
      const reads = firstReads;
      firstReads = undefined;
      return reads?.proposalId === proposalId && reads.trustList === trustList ? reads : undefined;
    },
    preferences: new Preferences(localStorageOrNull(win)),
    router,
    clock: new Clock(),
  };
}
