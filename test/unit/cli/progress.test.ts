import {Writable} from 'node:stream';
import {describe, expect, it, vi} from 'vitest';
import {
  PLAIN_INTERVAL_MS,
  type ProgressClock,
  type ProgressHost,
  describeProgress,
  progressMode,
  startProgress,
  withProgress,
} from '../../../src/cli/progress.js';
import {NO_PROGRESS, whileListing} from '../../../src/util/progress.js';

/** A clock the test moves by hand: `advance` runs the ticks that fall due. */
function fakeClock() {
  let now = 0;
  const timers: {every: number; next: number; tick: () => void}[] = [];
  const clock: ProgressClock = {
    now: () => now,
    every: (ms, tick) => {
      const timer = {every: ms, next: now + ms, tick};
      timers.push(timer);
      return () => void timers.splice(timers.indexOf(timer), 1);
    },
  };
  return {
    clock,
    timers,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.every;
        due.tick();
      }
      now = end;
    },
  };
}

/** A stream that keeps what is written; `isTTY` as a terminal's (cli-progress asks the stream). */
function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString());
      callback();
    },
  }) as Writable & {isTTY?: boolean; columns?: number};
  stream.isTTY = isTTY;
  stream.columns = 120;
  return {stream: stream as unknown as NodeJS.WriteStream, written, text: () => written.join('')};
}

describe('progressMode', () => {
  it('is off under --quiet and --json, live on a terminal, plain elsewhere', () => {
    expect(progressMode({quiet: true, json: false, isTTY: true})).toBe('off');
    expect(progressMode({quiet: false, json: true, isTTY: true})).toBe('off');
    expect(progressMode({quiet: false, json: true, isTTY: false})).toBe('off');
    expect(progressMode({quiet: false, json: false, isTTY: true})).toBe('live');
    expect(progressMode({quiet: false, json: false, isTTY: false})).toBe('plain');
  });
});

describe('describeProgress', () => {
  it('shows bytes done and total with our sizes, the percentage, the rate and the time left', () => {
    expect(describeProgress('copyFromLocal', 'bytes', 412 * 1024 * 1024, 1024 * 1024 * 1024, 10_000)).toBe(
      'copyFromLocal: 412.00MB of 1024.00MB (40%), 41.20MB/s, ETA 15s',
    );
  });

  it('counts entries, and says how long the whole took on the last line', () => {
    expect(describeProgress('rm', 'entries', 1200, 3400, 10_000)).toBe('rm: 1200 of 3400 entries (35%), 120 entries/s, ETA 18s');
    expect(describeProgress('rm', 'entries', 3400, 3400, 75_000, true)).toBe('rm: 3400 of 3400 entries (100%) in 1m15s, 45 entries/s');
  });

  it('shows what is known while the total is still unknown', () => {
    expect(describeProgress('mv', 'entries', 0, 0, 10_000)).toBe('mv: 0 of 0 entries, 0.0 entries/s');
  });
});

describe('plain progress (off a terminal)', () => {
  it('prints nothing for work that ends within 10 s', () => {
    const time = fakeClock();
    const out = fakeStream(false);
    const line = startProgress('cp', 'bytes', 'plain', {stream: out.stream, outputIsTTY: false, clock: time.clock});
    line.grow(100);
    line.advance(100);
    time.advance(PLAIN_INTERVAL_MS - 1);
    line.stop();
    time.advance(60_000);
    expect(out.written).toEqual([]);
    expect(time.timers).toEqual([]);
  });

  it('past 10 s prints one line every 10 s, then one at the end', () => {
    const time = fakeClock();
    const out = fakeStream(false);
    const line = startProgress('copyToLocal', 'bytes', 'plain', {stream: out.stream, outputIsTTY: false, clock: time.clock});
    line.grow(10 * 1024 * 1024);
    time.advance(5_000);
    line.advance(4 * 1024 * 1024);
    time.advance(5_000);
    expect(out.written).toEqual(['copyToLocal: 4096.00KB of 10.00MB (40%), 409.60KB/s, ETA 15s\n']);
    line.advance(6 * 1024 * 1024);
    time.advance(9_999);
    expect(out.written).toHaveLength(1);
    time.advance(1);
    expect(out.written).toHaveLength(2);
    time.advance(4_000);
    line.stop();
    expect(out.written[2]).toBe('copyToLocal: 10.00MB of 10.00MB (100%) in 24s, 426.67KB/s\n');
    expect(out.text()).not.toContain('\x1b');
    time.advance(60_000);
    expect(out.written).toHaveLength(3);
  });

  it('while a listing still finds work, the total is a floor: no percentage or ETA until it ends', async () => {
    const time = fakeClock();
    const out = fakeStream(false);
    const line = startProgress('copyFromLocal', 'bytes', 'plain', {stream: out.stream, outputIsTTY: false, clock: time.clock});
    async function* files() {
      for (const size of [4, 6]) {
        line.grow(size * 1024 * 1024);
        yield size;
      }
    }
    const listed = whileListing(line, files());
    await listed.next();
    line.advance(4 * 1024 * 1024);
    time.advance(PLAIN_INTERVAL_MS);
    expect(out.written).toEqual(['copyFromLocal: 4096.00KB of 4096.00KB found so far, 409.60KB/s\n']);
    await listed.next();
    await listed.next();
    time.advance(PLAIN_INTERVAL_MS);
    expect(out.written[1]).toBe('copyFromLocal: 4096.00KB of 10.00MB (40%), 204.80KB/s, ETA 30s\n');
    line.stop();
  });

  it('prints stdout lines as they are', () => {
    const out = fakeStream(false);
    const line = startProgress('cp', 'bytes', 'plain', {stream: out.stream, outputIsTTY: false, clock: fakeClock().clock});
    const print = vi.fn();
    line.above(print);
    line.stop();
    expect(print).toHaveBeenCalledOnce();
    expect(out.written).toEqual([]);
  });
});

describe('live progress (on a terminal)', () => {
  it('draws the line once there is work, moves it out of the way of output lines, and clears it at the end', async () => {
    const out = fakeStream(true);
    const line = startProgress('copyFromLocal', 'bytes', 'live', {stream: out.stream, outputIsTTY: true});
    line.grow(2048);
    line.advance(1024);
    await vi.waitFor(() => expect(out.text()).toContain('copyFromLocal: 1024B of 2048B (50%)'));
    out.written.length = 0;
    const order: string[] = [];
    line.above(() => order.push(`printed after ${JSON.stringify(out.text())}`));
    // Cleared to the start of the line before the output line, drawn again after it.
    expect(order[0]).toMatch(/printed after ".*\\u001b\[2K.*"/);
    expect(out.text()).toContain('copyFromLocal: 1024B of 2048B');
    out.written.length = 0;
    line.stop();
    expect(out.text().endsWith('\x1b[2K')).toBe(true);
  });

  it('leaves stdout lines alone when stdout is not the terminal, but still clears for a warning on stderr', async () => {
    const out = fakeStream(true);
    const line = startProgress('rm', 'entries', 'live', {stream: out.stream, outputIsTTY: false});
    line.grow(10);
    await vi.waitFor(() => expect(out.text()).toContain('rm: 0 of 10 entries'));
    out.written.length = 0;
    line.above(() => undefined);
    expect(out.written).toEqual([]);
    line.above(() => undefined, true);
    expect(out.text()).toContain('\x1b[2K');
    line.stop();
  });

  it('never loads or draws anything when there is no work', async () => {
    const out = fakeStream(true);
    const line = startProgress('rm', 'entries', 'live', {stream: out.stream, outputIsTTY: true});
    line.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(out.written).toEqual([]);
  });
});

describe('withProgress', () => {
  it('gives the work no progress under --json, and hooks the command output while it runs', async () => {
    const json = {jsonEnabled: () => true, progressLine: undefined};
    await withProgress(json, {label: 'cp', unit: 'bytes', quiet: false}, async (progress) => {
      expect(progress).toBe(NO_PROGRESS);
      expect(json.progressLine).toBeUndefined();
    });
    const quiet = {jsonEnabled: () => false, progressLine: undefined};
    await withProgress(quiet, {label: 'cp', unit: 'bytes', quiet: true}, async (progress) => expect(progress).toBe(NO_PROGRESS));
    const shown: ProgressHost = {jsonEnabled: () => false};
    await expect(
      withProgress(shown, {label: 'cp', unit: 'bytes', quiet: false}, async (progress) => {
        expect(progress).not.toBe(NO_PROGRESS);
        expect(shown.progressLine).toBe(progress);
        throw new Error('failed');
      }),
    ).rejects.toThrow('failed');
    expect(shown.progressLine).toBeUndefined();
  });
});
