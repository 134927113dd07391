/**
 * Per-file retry back-off of the master's async persistence: after the n-th failure in a row a file waits
 * initial × 2^(n-1), at most `max` (alluxio.master.persistence.initial.interval / max.interval).
 */
export function retryDelayMs(failures: number, initialMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, initialMs * 2 ** Math.min(failures - 1, 60));
}

export class RetryBackoff {
  private readonly waiting = new Map<string, {failures: number; retryAt: number}>();

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  /** Whether `key` failed and waits for its retry. */
  tracks(key: string): boolean {
    return this.waiting.has(key);
  }

  due(key: string, now: number): boolean {
    const entry = this.waiting.get(key);
    return entry === undefined || now >= entry.retryAt;
  }

  /** Records a failure; returns when the key is due again. */
  failed(key: string, now: number): number {
    const failures = (this.waiting.get(key)?.failures ?? 0) + 1;
    const retryAt = now + retryDelayMs(failures, this.initialMs, this.maxMs);
    this.waiting.set(key, {failures, retryAt});
    return retryAt;
  }

  succeeded(key: string): void {
    this.waiting.delete(key);
  }

  /** Forgets the keys not in `live` (files persisted or deleted meanwhile by someone else). */
  retain(live: ReadonlySet<string>): void {
    for (const key of this.waiting.keys()) if (!live.has(key)) this.waiting.delete(key);
  }
}
