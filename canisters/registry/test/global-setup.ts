import { ensureCanisterBuilt } from '@repro-registry/deploy';

/** Builds what changed since the last build (each build records its inputs). */
export default async function setup(): Promise<void> {
  await ensureCanisterBuilt('registry');
  // Built here, not in a test's hook: a build takes longer than a hook may.
  await ensureCanisterBuilt('governance');
}
