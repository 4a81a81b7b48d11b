/**
 * The footer's facts about the registry itself (version, counts, the installed module's hash)
 * and the module hash of the frontend canister serving the page, when the configuration names it.
 */
import { asApiError, type ApiError } from '../api/errors';
import type { RegistryApi } from '../api/registry.api';
import type { RegistryInfo } from '../model/types';

export class RegistryInfoState {
  info = $state.raw<RegistryInfo | null>(null);
  /** Hex SHA-256 of the installed wasm; null while unknown. */
  moduleHash = $state<string | null>(null);
  moduleHashStatus = $state<'loading' | 'ready' | 'empty' | 'error'>('loading');
  /** Hex SHA-256 of the frontend canister's wasm; null while unknown or not configured. */
  frontendModuleHash = $state<string | null>(null);
  frontendModuleHashStatus = $state<'loading' | 'ready' | 'empty' | 'error' | 'none'>('none');
  error = $state.raw<ApiError | null>(null);

  constructor(private readonly api: RegistryApi) {}

  async load(): Promise<void> {
    this.error = null;
    this.moduleHashStatus = 'loading';
    const frontend = this.api.connection.frontendCanisterId;
    if (frontend !== undefined) this.frontendModuleHashStatus = 'loading';
    const [info, hash, frontendHash] = await Promise.allSettled([
      this.api.getRegistryInfo(),
      this.api.getModuleHash(),
      frontend === undefined ? Promise.resolve(null) : this.api.getModuleHash(frontend),
    ]);
    if (frontend !== undefined) {
      if (frontendHash.status === 'fulfilled') {
        this.frontendModuleHash = frontendHash.value;
        this.frontendModuleHashStatus = frontendHash.value === null ? 'empty' : 'ready';
      } else {
        this.frontendModuleHashStatus = 'error';
      }
    }
    if (info.status === 'fulfilled') this.info = info.value;
    else this.error = asApiError(info.reason);
    if (hash.status === 'fulfilled') {
      this.moduleHash = hash.value;
      this.moduleHashStatus = hash.value === null ? 'empty' : 'ready';
    } else {
      this.moduleHashStatus = 'error';
    }
  }
}
