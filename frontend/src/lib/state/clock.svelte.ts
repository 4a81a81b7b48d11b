/** The current time for relative times ("ends in 2 d"), ticking every 30 s. */
export class Clock {
  now = $state(0);
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(options: { intervalMs?: number; read?: () => number } = {}) {
    const read = options.read ?? Date.now;
    this.now = read();
    this.timer = setInterval(() => (this.now = read()), options.intervalMs ?? 30_000);
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
