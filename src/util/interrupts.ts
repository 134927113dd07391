import {rmSync, statSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';

/** What an undo takes back: multipart uploads under way, or temporary files. */
export type UndoKind = 'upload' | 'file';

/** Undoes what it stands for; returns how many uploads or files it took back (0: there was nothing left). */
type Undo = () => number | Promise<number>;

export interface InterruptIo {
  write(line: string): void;
  /** Ends the process by `signal`. */
  exit(signal: NodeJS.Signals): void;
}

/**
 * What the process must take back when SIGINT or SIGTERM interrupts it. Writers register each upload or
 * temporary file while it exists and unregister it once done with it; the first signal runs every registered
 * undo, prints one line and ends the process by the signal; a second signal ends it at once.
 */
export class InterruptRegistry {
  private readonly registered = new Map<Undo, UndoKind>();
  /** Set once interrupted: undos running, including those of writers that registered after the signal. */
  private running?: Promise<void>[];
  private readonly undone = {upload: 0, file: 0};
  private readonly failed = {upload: 0, file: 0};

  /** Registers `undo`; returns the function that unregisters it. Once interrupted, `undo` runs at once. */
  register(kind: UndoKind, undo: Undo): () => void {
    if (this.running) {
      this.running.push(this.run(kind, undo));
      return () => undefined;
    }
    this.registered.set(undo, kind);
    return () => {
      this.registered.delete(undo);
    };
  }

  get interrupted(): boolean {
    return this.running !== undefined;
  }

  async interrupt(signal: NodeJS.Signals, io: InterruptIo): Promise<void> {
    if (this.running) {
      io.write('Interrupted again: exiting without cleaning up ("alluxio fs cleanup" removes what is left)\n');
      io.exit(signal);
      return;
    }
    this.running = [...this.registered].map(([undo, kind]) => this.run(kind, undo));
    this.registered.clear();
    // Work under way when the signal came may still register (an upload whose creation was in flight).
    for (let settled = 0; settled < this.running.length; ) {
      const batch = this.running.length;
      await Promise.all(this.running);
      settled = batch;
    }
    io.write(`${this.summary()}\n`);
    io.exit(signal);
  }

  /** `Interrupted: aborted 1 upload, removed 2 temporary files`, and what could not be taken back. */
  summary(): string {
    const done: string[] = [];
    if (this.undone.upload > 0) done.push(`aborted ${count(this.undone.upload, 'upload')}`);
    if (this.undone.file > 0) done.push(`removed ${count(this.undone.file, 'temporary file')}`);
    const left: string[] = [];
    if (this.failed.upload > 0) left.push(`${count(this.failed.upload, 'upload')} could not be aborted`);
    if (this.failed.file > 0) left.push(`${count(this.failed.file, 'temporary file')} could not be removed`);
    let line = done.length > 0 ? `Interrupted: ${done.join(', ')}` : 'Interrupted';
    if (left.length > 0) line += `; ${left.join(', ')} ("alluxio fs cleanup" removes them later)`;
    return line;
  }

  private async run(kind: UndoKind, undo: Undo): Promise<void> {
    try {
      const count = await undo();
      this.undone[kind] += count;
    } catch {
      this.failed[kind]++;
    }
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** How long an undo waits for the work under way to end (see settledWithin). */
const INTERRUPTED_WORK_WAIT_MS = 5000;

/**
 * Waits until `work` settles, or 5 s passed: an undo that removes a folder lets the writes under way end first
 * (they fail once interrupted), or one of them would make the folder again after its removal.
 */
export async function settledWithin(work: Promise<unknown>): Promise<void> {
  await Promise.race([work.catch(() => undefined), sleep(INTERRUPTED_WORK_WAIT_MS, undefined, {ref: false})]);
}

/** The registry of this process. */
export const interrupts = new InterruptRegistry();

/** Registers a temporary file or folder to remove if the process is interrupted; returns the unregister function. */
export function removeOnInterrupt(path: string): () => void {
  return interrupts.register('file', () => {
    try {
      statSync(path);
    } catch {
      return 0;
    }
    rmSync(path, {recursive: true, force: true});
    return 1;
  });
}

let installed = false;

/**
 * Makes SIGINT and SIGTERM run the registry's undos before the process ends (the CLI does this once per process).
 * It then dies of the signal, as the shell's convention asks of a program that catches one: the shell reports
 * 130 or 143 and a calling script stops as for any Ctrl-C. Dying rather than process.exit() also never hangs: an
 * exit waits for the thread pool, where a read of a pipe that nobody writes to blocks forever.
 */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  const io: InterruptIo = {
    write: (line) => process.stderr.write(line),
    exit: (signal) => {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    },
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void interrupts.interrupt(signal, io));
  }
}
