/**
 * Several `bin/alluxio` processes racing to create one path (copyFromLocal, mkdir or mv destinations): exactly one
 * may succeed, every other one must fail with its one-line "already exists" error, exit 255.
 *
 *   const results = await race(home, sources.map((src) => ['fs', 'copyFromLocal', src, '/f']));
 *   const winner = expectOneWinner(results, () => 'Not allowed to create file because path already exists: /f');
 */
import {createHash, randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect} from 'vitest';

import {type Home, type RunResult, describeResult} from './cli.js';
import {expectError} from './expect-cli.js';

/** Starts every command before awaiting any, so that they run at once. */
export function race(home: Home, commands: string[][], timeoutMs = 120_000): Promise<RunResult[]> {
  return Promise.all(commands.map((args) => home.run(args, {timeoutMs})));
}

/** Asserts one success and a refusal (`refusal(i)`, the whole stderr) for each other run; returns the winner's index. */
export function expectOneWinner(results: RunResult[], refusal: (i: number) => string): number {
  const winners = results.flatMap((r, i) => (r.code === 0 ? [i] : []));
  expect(winners, results.map(describeResult).join('\n\n')).toHaveLength(1);
  results.forEach((r, i) => {
    if (i !== winners[0]) expectError(r, refusal(i), {hint: false});
  });
  return winners[0];
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** `count` local files of `size` random bytes each (so each writer's bytes are told apart), with their digests. */
export function randomFiles(dir: string, count: number, size: number): {path: string; sha: string}[] {
  return Array.from({length: count}, (_, i) => {
    const data = randomBytes(size);
    const path = join(dir, `src-${i}`);
    writeFileSync(path, data);
    return {path, sha: sha256(data)};
  });
}
