import {clearLine, cursorTo} from 'node:readline';
import {Flags} from '@oclif/core';
import type {SingleBar} from 'cli-progress';
import {interrupts} from '../util/interrupts.js';
import {NO_PROGRESS, type Progress} from '../util/progress.js';
import {formatSize} from './sizes.js';

/**
 * How long work shows how far it got, on stderr only (stdout, `fs cat` and --json stay clean): a live line on a
 * terminal; off a terminal (CI), nothing for work that ends within 10 s, so short commands keep their exact
 * output, then a plain line every 10 s and one at the end. This module stays small: cli-progress, which draws
 * the live line, is loaded only when one is drawn.
 */

export type ProgressUnit = 'bytes' | 'entries';
export type ProgressMode = 'off' | 'live' | 'plain';

/** Between the plain lines off a terminal, and before the first. */
export const PLAIN_INTERVAL_MS = 10_000;

/** `--quiet` of the commands that show progress. */
export const quietFlag = Flags.boolean({description: 'Show no progress line on stderr (see "Progress" in README).', default: false});

/** --quiet and --json show nothing: a failed --json command prints exactly one line on stderr, its error. */
export function progressMode(options: {quiet: boolean; json: boolean; isTTY: boolean}): ProgressMode {
  if (options.quiet || options.json) return 'off';
  return options.isTTY ? 'live' : 'plain';
}

/** What a plain line needs of time; tests pass a fake one. */
export interface ProgressClock {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

const realClock: ProgressClock = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    // The work keeps the process alive, never the line that reports it.
    timer.unref();
    return () => clearInterval(timer);
  },
};

export interface ProgressLine extends Progress {
  /** Prints a line of output (on stdout, or stderr: a warning) with the live line out of its way, then draws it again. */
  above(print: () => void, onStderr?: boolean): void;
  /** Ends the line: a live one is cleared; a plain one prints its last line if it printed any. */
  stop(): void;
}

export interface ProgressIo {
  stream: NodeJS.WriteStream;
  /** Whether stdout is a terminal (the same one, as a rule): then its lines must not land on the live line. */
  outputIsTTY: boolean;
  clock?: ProgressClock;
}

/**
 * `copyFromLocal: 412.00MB of 1024.00MB (40%), 41.20MB/s, ETA 15s`; the last line says how long it took. While a
 * listing still finds work (`listing`), the total is a floor: `... of 1024.00MB found so far`, no percentage or ETA.
 */
export function describeProgress(label: string, unit: ProgressUnit, done: number, total: number, elapsedMs: number, last = false, listing = false): string {
  const amount = (n: number) => (unit === 'bytes' ? formatSize(n) : String(n));
  const seconds = Math.max(elapsedMs, 1) / 1000;
  const rate = done / seconds;
  const perSecond = unit === 'bytes' ? `${formatSize(Math.round(rate))}/s` : `${rate.toFixed(rate < 10 ? 1 : 0)} entries/s`;
  const of = `${amount(done)} of ${amount(Math.max(total, done))}${unit === 'entries' ? ' entries' : ''}`;
  if (listing && !last) return `${label}: ${of} found so far, ${perSecond}`;
  const percent = total > 0 ? ` (${Math.floor((Math.min(done, total) / total) * 100)}%)` : '';
  if (last) return `${label}: ${of}${percent} in ${duration(seconds)}, ${perSecond}`;
  const eta = rate > 0 && total > done ? `, ETA ${duration((total - done) / rate)}` : '';
  return `${label}: ${of}${percent}, ${perSecond}${eta}`;
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A progress line in `mode` ('live' or 'plain'); 'off' reports to nobody. */
export function startProgress(label: string, unit: ProgressUnit, mode: ProgressMode, io: ProgressIo): ProgressLine {
  if (mode === 'off') return {...NO_PROGRESS, above: (print) => print(), stop: () => undefined};
  return mode === 'live' ? new LiveLine(label, unit, io) : new PlainLine(label, unit, io);
}

abstract class Counts implements ProgressLine {
  protected done = 0;
  protected total = 0;
  private openListings = 0;
  protected readonly clock: ProgressClock;
  protected readonly started: number;

  constructor(
    protected readonly label: string,
    protected readonly unit: ProgressUnit,
    protected readonly io: ProgressIo,
  ) {
    this.clock = io.clock ?? realClock;
    this.started = this.clock.now();
  }

  grow(amount: number): void {
    this.total += amount;
  }

  advance(amount: number): void {
    this.done += amount;
  }

  listing(): () => void {
    this.openListings++;
    let ended = false;
    return () => {
      if (!ended) this.openListings--;
      ended = true;
    };
  }

  protected describe(last = false): string {
    return describeProgress(this.label, this.unit, this.done, this.total, this.clock.now() - this.started, last, this.openListings > 0);
  }

  abstract above(print: () => void, onStderr?: boolean): void;
  abstract stop(): void;
}

/** Off a terminal: a line every 10 s once the work has lasted that long, and a last one if any was printed. */
class PlainLine extends Counts {
  private printed = false;
  private readonly cancel: () => void;

  constructor(label: string, unit: ProgressUnit, io: ProgressIo) {
    super(label, unit, io);
    this.cancel = this.clock.every(PLAIN_INTERVAL_MS, () => this.print());
  }

  above(print: () => void): void {
    print();
  }

  stop(): void {
    this.cancel();
    if (this.printed) this.print(true);
  }

  private print(last = false): void {
    // Once interrupted, the interrupt's own line is the only one on stderr.
    if (interrupts.interrupted) return;
    this.io.stream.write(`${this.describe(last)}\n`);
    this.printed = true;
  }
}

/**
 * On a terminal: cli-progress redraws the line a few times a second from our counts, and clears it when the work
 * ends, fails, or is interrupted (its own SIGINT/SIGTERM handler runs before the interrupt prints its line).
 */
class LiveLine extends Counts {
  private bar?: SingleBar;
  private loading?: Promise<void>;
  private stopped = false;

  grow(amount: number): void {
    super.grow(amount);
    this.show();
  }

  advance(amount: number): void {
    super.advance(amount);
    this.show();
  }

  above(print: () => void, onStderr = false): void {
    if (!this.bar || !(onStderr || this.io.outputIsTTY)) return print();
    clearLine(this.io.stream, 0);
    cursorTo(this.io.stream, 0);
    print();
    this.bar.render();
  }

  stop(): void {
    this.stopped = true;
    this.bar?.stop();
  }

  /** Loads cli-progress once there is something to show. */
  private show(): void {
    if (this.total === 0 && this.done === 0) return;
    this.loading ??= import('cli-progress').then(({default: cliProgress}) => {
      if (this.stopped || interrupts.interrupted) return;
      this.bar = new cliProgress.SingleBar({
        stream: this.io.stream,
        format: (_options, params) => this.describe().slice(0, Math.max(1, params.maxWidth - 1)),
        fps: 4,
        // The text comes from our counts, not the bar's value: redraw on each tick.
        forceRedraw: true,
        clearOnComplete: true,
        gracefulExit: true,
        linewrap: false,
      });
      this.bar.start(1, 0);
    }, () => undefined); // A line that cannot be drawn must not fail the work it reports.
  }
}

/** What withProgress needs of a command: whether --json is on, and where its output lines look for the line. */
export interface ProgressHost {
  jsonEnabled(): boolean;
  progressLine?: Pick<ProgressLine, 'above'>;
}

/**
 * Runs `work` with a progress line on stderr (see progressMode), ended when the work ends, fails or is
 * interrupted; the command's output lines are printed above it meanwhile.
 */
export async function withProgress<T>(
  command: ProgressHost,
  options: {label: string; unit: ProgressUnit; quiet: boolean},
  work: (progress: Progress) => Promise<T>,
): Promise<T> {
  const mode = progressMode({quiet: options.quiet, json: command.jsonEnabled(), isTTY: process.stderr.isTTY === true});
  if (mode === 'off') return work(NO_PROGRESS);
  const line = startProgress(options.label, options.unit, mode, {stream: process.stderr, outputIsTTY: process.stdout.isTTY === true});
  command.progressLine = line;
  try {
    return await work(line);
  } finally {
    command.progressLine = undefined;
    line.stop();
  }
}
