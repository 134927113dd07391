import type {Progress} from '../../src/util/progress.js';

/**
 * A Progress that keeps every report, so a test can check that work reported each byte or entry once, found and
 * done, and that every listing it opened ended:
 *
 *   const {sink, progress} = recordingProgress();
 *   await copyFromLocal(fs, src, dst, () => undefined, {progress});
 *   expect([sink.grown, sink.done, sink.open]).toEqual([total, total, 0]);
 */
export function recordingProgress() {
  const sink = {grown: 0, done: 0, advances: 0, listings: 0, open: 0};
  const progress: Progress = {
    listing: () => {
      sink.listings++;
      sink.open++;
      return () => void sink.open--;
    },
    grow: (n) => void (sink.grown += n),
    advance: (n) => {
      sink.done += n;
      sink.advances++;
    },
  };
  return {sink, progress};
}
