/**
 * Whose builders the pages count: everyone, or the builders on one trust list (a review group
 * publishes one; free keys cannot join it). The choice is kept in this browser.
 */
import { asApiError, type ApiError } from '../api/errors';
import type { RegistryApi } from '../api/registry.api';
import type { TrustList } from '../model/types';

const SELECTED_KEY = 'repro-registry.trust-list';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

export class TrustListSelection {
  lists = $state.raw<TrustList[]>([]);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state.raw<ApiError | null>(null);
  /** null: everyone. */
  selectedId = $state.raw<bigint | null>(null);
  /** The selected list's builders (the version the registry counts); null for everyone. */
  members = $state.raw<ReadonlySet<string> | null>(null);

  readonly selected = $derived(this.lists.find((l) => l.id === this.selectedId) ?? null);

  constructor(
    private readonly api: RegistryApi,
    private readonly storage: Storage | null,
  ) {
    const saved = this.read();
    if (saved !== null && /^[0-9]{1,19}$/.test(saved)) this.selectedId = BigInt(saved);
  }

  async load(): Promise<void> {
    this.status = 'loading';
    this.error = null;
    try {
      this.lists = await this.api.listTrustLists();
      // A list that is gone (or another registry's) falls back to everyone.
      if (this.selected === null) this.selectedId = null;
      await this.loadMembers();
      this.status = 'ready';
    } catch (e) {
      this.error = asApiError(e);
      this.status = 'error';
    }
  }

  async select(id: bigint | null): Promise<void> {
    this.selectedId = id !== null && this.lists.some((l) => l.id === id) ? id : null;
    this.write(this.selectedId === null ? null : this.selectedId.toString());
    try {
      await this.loadMembers();
    } catch (e) {
      this.error = asApiError(e);
    }
  }

  private async loadMembers(): Promise<void> {
    const list = this.selected;
    this.members = null;
    if (list === null || list.countedVersion === 0) return;
    const members = await this.api.getTrustListMembers(list.id, list.countedVersion);
    if (this.selectedId === list.id) this.members = new Set(members);
  }

  private read(): string | null {
    try {
      return this.storage?.getItem(SELECTED_KEY) ?? null;
    } catch {
      return null; // storage disabled (private mode, sandboxed frame)
    }
  }

  private write(value: string | null): void {
    try {
      if (value === null) this.storage?.removeItem(SELECTED_KEY);
      else this.storage?.setItem(SELECTED_KEY, value);
    } catch {
      // The choice still holds for this visit.
    }
  }
}
