/** Builders' display names and links (see `names.ts` for what a name may be). */
import type { Principal } from '@dfinity/principal';
import { ErrorCode } from '@repro-registry/registry-api';

import type { Result } from './errors';
import { err, ok } from './errors';
import { nameKey, nameProblem, normalizeName, urlProblem } from './names';
import type { BuilderRecordJson } from './records';
import type { RegistryStore } from './store';

export const PROFILE_LIMITS = { displayNameBytes: 64, urlBytes: 256 } as const;

export function setBuilderProfile(
  store: RegistryStore,
  args: { caller: Principal; displayName: string; url: string | null },
): Result<BuilderRecordJson> {
  if (args.caller.isAnonymous())
    return err(ErrorCode.ANONYMOUS_CALLER, 'sign in with your builder key to set your profile');
  const key = args.caller.toUint8Array();
  const profile = store.tables.builders.get(key);
  if (profile === undefined) {
    return err(
      ErrorCode.BUILDER_NOT_FOUND,
      'submit an attestation first: profiles belong to builders',
    );
  }
  const name = normalizeName(args.displayName);
  if (name !== '') {
    const problem = nameProblem(name, PROFILE_LIMITS.displayNameBytes);
    if (problem !== null) {
      return err(
        problem.kind === 'confusable' ? ErrorCode.NAME_CONFUSABLE : ErrorCode.PROFILE_INVALID,
        `display name ${problem.message}`,
      );
    }
  }
  if (args.url !== null) {
    const problem = urlProblem(args.url, PROFILE_LIMITS.urlBytes);
    if (problem !== null) return err(ErrorCode.PROFILE_INVALID, `url ${problem}`);
  }
  const newKey = name === '' ? null : nameKey(name);
  if (newKey !== null) {
    const holder = store.tables.names.get(newKey);
    if (holder !== undefined && !(holder.kind === 'builder' && holder.id === profile.principal)) {
      return err(
        ErrorCode.NAME_TAKEN,
        `"${name}" is taken (by a ${holder.kind === 'builder' ? 'builder' : 'trust list'}): names are compared ignoring case`,
      );
    }
  }
  if (profile.displayName !== null) {
    const oldKey = nameKey(profile.displayName);
    if (store.tables.names.get(oldKey)?.id === profile.principal) store.tables.names.remove(oldKey);
  }
  if (newKey !== null)
    store.tables.names.insert(newKey, { kind: 'builder', id: profile.principal });
  profile.displayName = name === '' ? null : name;
  profile.url = args.url;
  store.tables.builders.insert(key, profile);
  return ok(profile);
}
