/** The reader's settings, kept in localStorage: the consensus threshold and the colour theme. */
import { DEFAULT_THRESHOLD } from '../model/consensus';

export type ThemeChoice = 'system' | 'light' | 'dark';

const THRESHOLD_KEY = 'repro-registry.threshold';
const THEME_KEY = 'repro-registry.theme';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

function safeGet(storage: Storage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null; // storage disabled (private mode, sandboxed frame)
  }
}

function safeSet(storage: Storage | null, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // The setting still holds for this visit.
  }
}

export class Preferences {
  threshold = $state(DEFAULT_THRESHOLD);
  theme = $state<ThemeChoice>('system');

  constructor(private readonly storage: Storage | null) {
    const t = Number(safeGet(storage, THRESHOLD_KEY));
    if (Number.isInteger(t) && t >= 1 && t <= 99) this.threshold = t;
    const theme = safeGet(storage, THEME_KEY);
    if (theme === 'light' || theme === 'dark' || theme === 'system') this.theme = theme;
  }

  setThreshold(value: number): void {
    if (!Number.isInteger(value) || value < 1 || value > 99) return;
    this.threshold = value;
    safeSet(this.storage, THRESHOLD_KEY, String(value));
  }

  setTheme(theme: ThemeChoice): void {
    this.theme = theme;
    safeSet(this.storage, THEME_KEY, theme);
  }
}
