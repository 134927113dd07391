import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {InterruptRegistry} from '../../../src/util/interrupts.js';
import {isAbandoned, isOwnTemporary, sweepTemporaries, temporaryName} from '../../../src/util/temp-files.js';

function fakeIo() {
  const io = {
    lines: [] as string[],
    signals: [] as NodeJS.Signals[],
    write: (l: string) => void io.lines.push(l),
    exit: (s: NodeJS.Signals) => void io.signals.push(s),
  };
  return io;
}

describe('InterruptRegistry', () => {
  it('runs what is registered, prints one line and ends the process by the signal', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const registry = new InterruptRegistry();
      const ran: string[] = [];
      registry.register('upload', async () => (ran.push('upload'), 1));
      registry.register('file', () => (ran.push('a'), 1));
      registry.register('file', () => (ran.push('b'), 1));
      const done = registry.register('file', () => (ran.push('finished writer'), 1));
      done();
      const io = fakeIo();
      await registry.interrupt(signal, io);
      expect(ran.sort()).toEqual(['a', 'b', 'upload']);
      expect(io.lines).toEqual(['Interrupted: aborted 1 upload, removed 2 temporary files\n']);
      expect(io.signals).toEqual([signal]);
    }
  });

  it('counts only what was left to take back, and says what could not be', async () => {
    const registry = new InterruptRegistry();
    registry.register('upload', () => 0);
    registry.register('upload', () => Promise.reject(new Error('unreachable')));
    registry.register('file', () => 3);
    const io = fakeIo();
    await registry.interrupt('SIGINT', io);
    expect(io.lines).toEqual(['Interrupted: removed 3 temporary files; 1 upload could not be aborted ("alluxio fs cleanup" removes them later)\n']);
    const idle = new InterruptRegistry();
    const idleIo = fakeIo();
    await idle.interrupt('SIGINT', idleIo);
    expect(idleIo.lines).toEqual(['Interrupted\n']);
  });

  it('waits for what registers while it runs (an upload being created), and takes it back too', async () => {
    const registry = new InterruptRegistry();
    let release!: () => void;
    const creating = new Promise<void>((resolve) => (release = resolve));
    registry.register('upload', async () => {
      await creating;
      return 1;
    });
    const io = fakeIo();
    const interrupted = registry.interrupt('SIGINT', io);
    expect(registry.interrupted).toBe(true);
    let late = false;
    registry.register('file', () => ((late = true), 1));
    expect(late).toBe(true);
    release();
    await interrupted;
    expect(io.lines).toEqual(['Interrupted: aborted 1 upload, removed 1 temporary file\n']);
  });

  it('exits at once on a second signal, while the first is still taking things back', async () => {
    const registry = new InterruptRegistry();
    registry.register('upload', () => new Promise<number>(() => undefined));
    const io = fakeIo();
    void registry.interrupt('SIGINT', io);
    await registry.interrupt('SIGINT', io);
    expect(io.signals).toEqual(['SIGINT']);
    expect(io.lines).toEqual(['Interrupted again: exiting without cleaning up ("alluxio fs cleanup" removes what is left)\n']);
  });
});

describe('temporary files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'temps-'));
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('are named after their writer, and abandoned when it is gone (this host) or went unwritten too long (others)', async () => {
    const mine = temporaryName('alluxio-s3-');
    expect(mine).toMatch(new RegExp(`^alluxio-s3-${process.pid}@[A-Za-z0-9-]*-[0-9a-f]{12}$`));
    expect(isOwnTemporary(mine)).toBe(true);
    expect(isAbandoned(mine, 0, 1000)).toBe(false);
    const child = spawn('true');
    await once(child, 'exit');
    const dead = mine.replace(`-${process.pid}@`, `-${child.pid}@`);
    expect(isOwnTemporary(dead)).toBe(false);
    expect(isAbandoned(dead, Date.now(), 60_000)).toBe(true);
    const living = mine.replace(`-${process.pid}@`, `-${process.ppid}@`);
    expect(isAbandoned(living, Date.now(), 60_000)).toBe(false);
    // A stalled writer, or a spool whose folder mtime stays put, is live as long as its process runs.
    expect(isAbandoned(living, 0, 60_000)).toBe(false);
    const elsewhere = living.replace(/@[A-Za-z0-9-]*-([0-9a-f]{12})$/, '@other-host-$1');
    expect(isAbandoned(elsewhere, Date.now() - 59_000, 60_000)).toBe(false);
    expect(isAbandoned(elsewhere, Date.now() - 60_000, 60_000)).toBe(true);
    // No writer in the name: another program's file (aws-cli's alluxio-s3-awscli-XXXXXX), never ours to remove.
    expect(isAbandoned('alluxio-s3-awscli-3u1yZp', 0, 60_000)).toBe(false);
  });

  it('are swept by prefix: abandoned ones removed, live ones listed, other files untouched', async () => {
    const child = spawn('true');
    await once(child, 'exit');
    const live = temporaryName('alluxio-part-');
    const dead = temporaryName('alluxio-s3-').replace(`-${process.pid}@`, `-${child.pid}@`);
    const stalled = temporaryName('alluxio-s3-').replace(`-${process.pid}@`, `-${process.ppid}@`);
    const old = stalled.replace(/@[A-Za-z0-9-]*-([0-9a-f]{12})$/, '@other-host-$1');
    const foreign = 'alluxio-s3-awscli-3u1yZp';
    for (const name of [live, dead, stalled, old, foreign, 'unrelated']) writeFileSync(join(dir, name), '');
    for (const name of [stalled, old, foreign]) utimesSync(join(dir, name), 1000, 1000);
    expect(sweepTemporaries(dir, ['alluxio-s3-', 'alluxio-part-'], 60_000, true).removed.sort()).toEqual([join(dir, dead), join(dir, old)].sort());
    expect(existsSync(join(dir, dead))).toBe(true);
    const swept = sweepTemporaries(dir, ['alluxio-s3-', 'alluxio-part-'], 60_000);
    expect(swept.live.sort()).toEqual([live, stalled].sort());
    expect(swept.removed.sort()).toEqual([join(dir, dead), join(dir, old)].sort());
    expect(readdirSync(dir).sort()).toEqual([foreign, live, stalled, 'unrelated'].sort());
    expect(sweepTemporaries(join(dir, 'missing'), [''], 1)).toEqual({live: [], removed: []});
  });
});
