/**
 * Management methods that put code into a canister or take it out: install_code, the chunk
 * store and install_chunked_code (modules over the 2 MiB ingress limit), uninstall_code.
 */
import type { Principal } from '@dfinity/principal';
import { bytesToHex } from '@noble/hashes/utils';
import { EMPTY_CANDID } from '../call-contexts';
import { sha256 } from '../module-cache';
import type { InstallMode } from '../installer';
import {
  ManagementError,
  canisterReject,
  controlled,
  decode,
  reply,
  type Handler,
} from './context';
import * as M from './idl';

const MAX_CHUNK_BYTES = 1024 * 1024;

function installMode(mode: M.InstallModeValue): { mode: InstallMode; skipPreUpgrade: boolean } {
  if ('install' in mode) return { mode: 'install', skipPreUpgrade: false };
  if ('reinstall' in mode) return { mode: 'reinstall', skipPreUpgrade: false };
  return { mode: 'upgrade', skipPreUpgrade: mode.upgrade[0]?.skip_pre_upgrade[0] === true };
}

const installCode: Handler = (call, host) => {
  const a = decode<M.InstallCodeValue>(M.InstallCodeArgs, call.arg);
  const c = controlled(host, call, a.canister_id);
  return host.installer.install({
    canister: c,
    ...installMode(a.mode),
    wasm: new Uint8Array(a.wasm_module),
    arg: new Uint8Array(a.arg),
    sender: call.caller,
  });
};

const installChunkedCode: Handler = (call, host) => {
  const a = decode<M.InstallChunkedCodeValue>(M.InstallChunkedCodeArgs, call.arg);
  const c = controlled(host, call, a.target_canister);
  const store = a.store_canister[0] ? controlled(host, call, a.store_canister[0]) : c;
  const parts: Uint8Array[] = [];
  for (const { hash } of a.chunk_hashes_list) {
    const chunk = store.chunks.get(bytesToHex(hash));
    if (!chunk) {
      throw new ManagementError(
        canisterReject(`Chunk ${bytesToHex(hash)} is not in the chunk store of ${store.idText}`),
      );
    }
    parts.push(chunk);
  }
  const wasm = new Uint8Array(Buffer.concat(parts));
  if (bytesToHex(sha256(wasm)) !== bytesToHex(a.wasm_module_hash)) {
    throw new ManagementError(
      canisterReject('Wasm module hash does not match the hash of the concatenated chunks'),
    );
  }
  return host.installer.install({
    canister: c,
    ...installMode(a.mode),
    wasm,
    arg: new Uint8Array(a.arg),
    sender: call.caller,
  });
};

const uploadChunk: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal; chunk: Uint8Array }>(M.UploadChunkArgs, call.arg);
  const c = controlled(host, call, a.canister_id);
  if (a.chunk.length > MAX_CHUNK_BYTES) {
    throw new ManagementError(
      canisterReject(`Chunk of ${a.chunk.length} bytes exceeds the maximum of ${MAX_CHUNK_BYTES}`),
    );
  }
  const chunk = new Uint8Array(a.chunk);
  const hash = sha256(chunk);
  c.chunks.set(bytesToHex(hash), chunk);
  return reply([M.UploadChunkResult], [{ hash }]);
};

const storedChunks: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal }>(M.CanisterIdRecord, call.arg);
  const c = controlled(host, call, a.canister_id);
  const hashes = [...c.chunks.keys()].map((h) => ({ hash: Buffer.from(h, 'hex') }));
  return reply([M.StoredChunksResult], [hashes]);
};

const clearChunkStore: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal }>(M.CanisterIdRecord, call.arg);
  controlled(host, call, a.canister_id).chunks.clear();
  return { reply: EMPTY_CANDID };
};

const uninstallCode: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal }>(M.UninstallCodeArgs, call.arg);
  host.installer.uninstall(controlled(host, call, a.canister_id), call.caller);
  return { reply: EMPTY_CANDID };
};

export const codeMethods: Record<string, Handler> = {
  install_code: installCode,
  install_chunked_code: installChunkedCode,
  upload_chunk: uploadChunk,
  stored_chunks: storedChunks,
  clear_chunk_store: clearChunkStore,
  uninstall_code: uninstallCode,
};
