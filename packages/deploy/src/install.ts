/**
 * Installing a module through the management canister (in chunks when it is larger than one
 * ingress message), reading the certified module hash, and the default init argument.
 */
import { Certificate, LookupPathStatus, type HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { managementCanister, type InstallMode } from '@repro-registry/local-network';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const MAX_SINGLE_INSTALL_BYTES = 1_900_000;
const CHUNK_BYTES = 1_000_000;

/** The certified module hash (read_state `canister/<id>/module_hash`) and whether the canister exists. */
export async function moduleHash(
  agent: HttpAgent,
  canisterId: Principal,
): Promise<{ exists: boolean; hash: string | null }> {
  const enc = new TextEncoder();
  const base = [enc.encode('canister'), canisterId.toUint8Array()];
  const paths = [
    [...base, enc.encode('module_hash')],
    [...base, enc.encode('controllers')],
  ];
  const response = await agent.readState(canisterId, { paths });
  const certificate = await Certificate.create({
    certificate: response.certificate,
    rootKey: agent.rootKey!,
    canisterId,
    agent,
  });
  const hash = certificate.lookup_path(paths[0]);
  const controllers = certificate.lookup_path(paths[1]);
  return {
    exists: controllers.status === LookupPathStatus.Found,
    hash: hash.status === LookupPathStatus.Found ? Buffer.from(hash.value).toString('hex') : null,
  };
}

/** Installs a module: in one message when it fits, else through the chunk store. */
export async function installWasm(args: {
  agent: HttpAgent;
  canisterId: Principal;
  wasm: Uint8Array;
  arg: Uint8Array;
  mode: InstallMode;
}): Promise<void> {
  const mgmt = managementCanister(args.agent);
  if (args.wasm.length <= MAX_SINGLE_INSTALL_BYTES) {
    await mgmt.install_code({
      mode: args.mode,
      canister_id: args.canisterId,
      wasm_module: args.wasm,
      arg: args.arg,
      sender_canister_version: [],
    });
    return;
  }
  // Larger than one ingress message: upload chunks, then install from the chunk store.
  await mgmt.clear_chunk_store({ canister_id: args.canisterId });
  const hashes: { hash: Uint8Array }[] = [];
  for (let off = 0; off < args.wasm.length; off += CHUNK_BYTES) {
    const chunk = args.wasm.subarray(off, off + CHUNK_BYTES);
    hashes.push(await mgmt.upload_chunk({ canister_id: args.canisterId, chunk }));
  }
  await mgmt.install_chunked_code({
    mode: args.mode,
    target_canister: args.canisterId,
    store_canister: [],
    chunk_hashes_list: hashes.map((h) => ({ hash: new Uint8Array(h.hash) })),
    wasm_module_hash: new Uint8Array(createHash('sha256').update(args.wasm).digest()),
    arg: args.arg,
    sender_canister_version: [],
  });
  await mgmt.clear_chunk_store({ canister_id: args.canisterId });
}

/**
 * The argument used when no hook gives one: `null` for each init parameter when they are all
 * `opt` (the service line of the canister's .did), else `()`.
 */
export async function defaultInitArg(didPath: string | undefined): Promise<Uint8Array> {
  const empty = new Uint8Array(IDL.encode([], []));
  if (!didPath || !existsSync(didPath)) return empty;
  const did = await readFile(didPath, 'utf8');
  const m = /^service\s*:\s*\(([^)]*)\)\s*->/m.exec(did.replace(/\/\/[^\n]*/g, ''));
  if (!m || m[1].trim() === '') return empty;
  const params = m[1].split(',').map((p) => p.trim());
  if (!params.every((p) => p.startsWith('opt '))) return empty;
  return new Uint8Array(
    IDL.encode(
      params.map(() => IDL.Null),
      params.map(() => null),
    ),
  );
}
