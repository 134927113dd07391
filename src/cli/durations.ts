import {parseDurationMs} from '../conf/values.js';
import {usageError} from '../errors.js';

/** A duration flag's value in Alluxio's syntax (`0`, `500ms`, `10min`, `1h`, `3day`) in milliseconds. */
export function durationFlagMs(flag: string, value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms < 0) {
    throw usageError(`Invalid duration for --${flag}: ${JSON.stringify(value)} (give e.g. 0, 30s, 10min, 1h or 3day)`);
  }
  return ms;
}
