import {Readable, Transform, pipeline} from 'node:stream';

/**
 * Where long work reports how far it got: amounts (bytes or entries) become known with `grow` and are done with
 * `advance`. The core reports through it and never knows who shows it; the total may keep growing while work is
 * done (a listing read page by page).
 */
export interface Progress {
  grow(amount: number): void;
  advance(amount: number): void;
  /**
   * A listing that grows the total has begun; the returned function ends it. While one runs, the total is only
   * what was found so far, so a shown percentage or ETA would be wrong.
   */
  listing?(): () => void;
}

/** Reports to nobody: the default of every function that takes a Progress. */
export const NO_PROGRESS: Progress = {grow: () => undefined, advance: () => undefined};

/** `items`, with `progress` told that the total is still being found until they end (or the reader stops). */
export async function* whileListing<T>(progress: Progress, items: AsyncIterable<T>): AsyncGenerator<T> {
  const end = progress.listing?.();
  try {
    yield* items;
  } finally {
    end?.();
  }
}

/**
 * `source` with each chunk reported done as it is read from it. Errors pass through, and destroying what this
 * returns destroys `source`.
 */
export function counted(source: Readable | AsyncIterable<Uint8Array>, progress: Progress): Readable {
  if (progress === NO_PROGRESS) return source instanceof Readable ? source : Readable.from(source, {objectMode: false});
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.advance(chunk.length);
      callback(null, chunk);
    },
  });
  // The failure reaches whoever reads `counter`: pipeline destroys it with the error.
  return pipeline(source, counter, () => undefined);
}
