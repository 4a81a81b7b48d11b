import type { Settings } from './config';

/**
 * The module hash a canister runs now, from the IC's certified state (`read_state` of
 * `canister/<id>/module_hash`, verified against the root key by the agent). Null when the
 * canister has no module; throws when the network cannot be read.
 */
export async function readDeployedModuleHash(args: {
  settings: Settings;
  canisterId: string;
}): Promise<string | null> {
  const [{ CanisterStatus, HttpAgent }, { Principal }] = await Promise.all([
    import('@dfinity/agent'),
    import('@dfinity/principal'),
  ]);
  const agent = await HttpAgent.create({
    host: args.settings.host,
    shouldFetchRootKey: args.settings.fetchRootKey,
    retryTimes: 1,
  });
  const status = await CanisterStatus.request({
    canisterId: Principal.fromText(args.canisterId),
    agent,
    paths: ['module_hash'],
  });
  const hash = status.get('module_hash');
  return typeof hash === 'string' ? hash.toLowerCase() : null;
}
