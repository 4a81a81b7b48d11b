/** The footer's facts about the registry itself: version, counts and the installed module's hash. */
import { asApiError, type ApiError } from '../api/errors';
import type { RegistryApi } from '../api/registry.api';
import type { RegistryInfo } from '../model/types';

export class RegistryInfoState {
  info = $state.raw<RegistryInfo | null>(null);
  /** Hex SHA-256 of the installed wasm; null while unknown. */
  moduleHash = $state<string | null>(null);
  moduleHashStatus = $state<'loading' | 'ready' | 'empty' | 'error'>('loading');
  error = $state.raw<ApiError | null>(null);

  constructor(private readonly api: RegistryApi) {}

  async load(): Promise<void> {
    this.error = null;
    this.moduleHashStatus = 'loading';
    const [info, hash] = await Promise.allSettled([
      this.api.getRegistryInfo(),
      this.api.getModuleHash(),
    ]);
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
