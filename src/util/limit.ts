/**
 * Runs `fn` over the items with at most `limit` calls in flight, pulling items only as slots free up (so an
 * async source is never read ahead of the work). The first failure (of a call, or of the source itself) stops new
 * work; it is thrown once the calls already started have settled, so nothing runs on after the caller has failed.
 */
export async function forEachLimited<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: {error: unknown} | undefined;
  try {
    for await (const item of items as AsyncIterable<T>) {
      if (failure) break;
      const task: Promise<void> = fn(item).then(
        () => {
          running.delete(task);
        },
        (error) => {
          running.delete(task);
          failure ??= {error};
        },
      );
      running.add(task);
      if (running.size >= Math.max(1, limit)) await Promise.race(running);
    }
  } finally {
    await Promise.allSettled(running);
  }
  if (failure) throw failure.error;
}
