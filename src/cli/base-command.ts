import {Command, Errors, Flags} from '@oclif/core';
import type {Configuration} from '../conf/configuration.js';
import type * as Context from '../context.js';
import {usageError} from '../errors.js';
import type {FileSystem} from '../fs/file-system.js';
import {isPattern} from '../fs/wildcards.js';
import {enableDebugLogging} from '../log/logger.js';
import {escapeControl} from '../util/control-characters.js';
import {installInterruptHandlers, interrupts} from '../util/interrupts.js';
import {colours, loadColours, paintHint} from './colour.js';
import {type PathFailure, PathFailures, jsonRequested, renderError} from './errors.js';

/**
 * What every alluxio command shares: configuration loading (its warnings printed once), the file system opened
 * on demand and closed after the command (persisting ASYNC_THROUGH files), Alluxio's argument-count messages,
 * and our own error rendering instead of oclif's.
 */
export abstract class AlluxioCommand extends Command {
  static baseFlags = {
    debug: Flags.boolean({description: 'Print stack traces with errors, and log S3 requests to stderr.', helpGroup: 'GLOBAL'}),
    'no-color': Flags.boolean({
      description: "No colour at all, not even Alluxio's own codes (as NO_COLOR).",
      helpGroup: 'GLOBAL',
    }),
  };

  /** Alluxio's usage string of the command, printed after usage errors. */
  static usageLine = '';

  /**
   * False for commands that read no configuration and open no namespace: they skip loading the configuration,
   * metastore and file system modules, tens of milliseconds of start-up.
   */
  static usesContext = true;

  private fs?: Promise<FileSystem>;
  /** What forEachPath's paths that succeeded returned, when others failed: printed with --json before the errors. */
  private partialResults?: unknown[];
  private context?: typeof Context;
  private readonly debugMode = process.argv.includes('--debug');
  /** Set while a progress line is shown on stderr (see src/cli/progress.ts): output lines are printed above it. */
  progressLine?: {above(print: () => void, onStderr?: boolean): void};

  protected async init(): Promise<void> {
    await super.init();
    installInterruptHandlers();
    await loadColours();
    if (this.debugMode) enableDebugLogging();
    if ((this.constructor as typeof AlluxioCommand).usesContext) this.context = await import('../context.js');
  }

  private loadedContext(): typeof Context {
    if (!this.context) throw new Error(`Command ${this.id} was started without the configuration (usesContext)`);
    return this.context;
  }

  protected conf(): Configuration {
    const first = !configurationLoaded;
    const conf = this.loadedContext().loadConfiguration();
    configurationLoaded = true;
    if (first) for (const warning of conf.warnings) this.warnLine(warning);
    return conf;
  }

  protected fileSystem(): Promise<FileSystem> {
    this.fs ??= this.loadedContext().openFileSystem(this.conf(), (message) => this.warnLine(message));
    return this.fs;
  }

  protected warnLine(message: string): void {
    // Once interrupted, the interrupt's own line is the only one on stderr.
    if (interrupts.interrupted) return;
    // --json output is never coloured, its stderr included.
    const word = this.jsonEnabled() ? 'WARN:' : colours(process.stderr).yellow('WARN:');
    const print = () => process.stderr.write(`${word} ${escapeControl(message)}\n`);
    if (this.progressLine) this.progressLine.above(print, true);
    else print();
  }

  /** Every line of human output, with control characters (from names in an under storage) escaped. */
  log(message = '', ...args: unknown[]): void {
    const print = () => super.log(escapeControl(message), ...args);
    if (this.progressLine) this.progressLine.above(print);
    else print();
  }

  /** A line printed as it is: only for text of our own or escaped already (colours, the tabs of fs's usage list). */
  protected logRaw(message: string): void {
    super.log(message);
  }

  /** Alluxio's checks of the number of positional arguments, with its messages. */
  protected checkArgs(name: string, args: string[], count: {exactly?: number; atLeast?: number; atMost?: number}): void {
    const n = args.length;
    if (count.exactly !== undefined && n !== count.exactly) {
      throw usageError(`Command ${name} takes ${count.exactly} arguments, not ${n}`);
    }
    if (count.atLeast !== undefined && n < count.atLeast) {
      throw usageError(`Command ${name} requires at least ${count.atLeast} arguments (${n} provided)`);
    }
    if (count.atMost !== undefined && n > count.atMost) {
      throw usageError(`Command ${name} requires at most ${count.atMost} arguments (${n} provided)`);
    }
    const option = args.find((a) => a.startsWith('-') && a !== '-');
    if (option) throw usageError(`Unknown option ${option} for ${name}`);
  }

  /**
   * Alluxio's per-path loop (its runWildCardCmd): runs `work` on each path the arguments name, patterns expanded to
   * their matches in path order. A user error on one path (or a pattern matching nothing) is kept and the other
   * paths still run; then the errors are thrown together, one line each (exit 255). A single failure is thrown as
   * it is, with its hint. Usage errors, bugs and interrupts stop at once.
   */
  protected async forEachPath<T>(args: string[], work: (path: string) => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    const failures: {path: string; error: Error; failure: PathFailure}[] = [];
    const attempt = async (path: string, step: () => Promise<void>) => {
      try {
        await step();
      } catch (e) {
        const error = e as Error;
        const {kind, message, hint} = renderError(error, {debug: false}).json.error;
        if (interrupts.interrupted || kind === 'USAGE' || kind === 'BUG') throw error;
        failures.push({path, error, failure: {path, kind, message, ...(hint ? {hint} : {})}});
      }
    };
    for (const arg of args) {
      let paths: string[] = [];
      await attempt(arg, async () => {
        paths = await (await this.fileSystem()).expand(arg);
      });
      for (const path of paths) await attempt(path, async () => void results.push(await work(path)));
    }
    if (failures.length === 0) return results;
    this.partialResults = results.filter((r) => r !== undefined);
    throw failures.length === 1 ? failures[0].error : new PathFailures(failures.map((f) => f.failure));
  }

  /**
   * The --json value of a command run by forEachPath: one plain path gives its own result, as before wildcards;
   * patterns or several paths give an array of the results (arrays of results, such as du's rows, are joined).
   */
  protected perPathJson<T>(args: string[], results: T[]): T | T[] {
    return args.length === 1 && !isPattern(args[0]) && results.length === 1 ? results[0] : flatResults(results);
  }

  protected async catch(err: Error & {exitCode?: number}): Promise<void> {
    if (err instanceof Errors.ExitError) throw err;
    // Work cut short by an interrupt fails as it is taken back: the interrupt reports, then exits.
    if (interrupts.interrupted) return;
    const ctor = this.constructor as typeof AlluxioCommand;
    const rendered = renderError(err, {usage: ctor.usageLine || undefined, debug: this.debugMode});
    process.exitCode = rendered.exitCode;
    const partial = this.partialResults;
    if (this.jsonEnabled() && partial && partial.length > 0) process.stdout.write(JSON.stringify(flatResults(partial)) + '\n');
    // A command without --json refuses the flag, in JSON as asked.
    if (this.jsonEnabled() || jsonRequested(this.argv)) process.stderr.write(JSON.stringify(rendered.json) + '\n');
    else process.stderr.write(paintHint(rendered.lines, colours(process.stderr)).join('\n') + '\n');
  }

  protected async finally(err: Error | undefined): Promise<void> {
    // One that failed to open has nothing to close (its failure is the command's).
    const fs = await this.fs?.catch(() => undefined);
    this.fs = undefined;
    // Interrupted: the process exits once the interrupt's undos are done, persisting nothing more.
    if (!fs || interrupts.interrupted) return;
    try {
      await fs.close();
    } catch (closeError) {
      if (!err) await this.catch(closeError as Error);
    }
  }
}

let configurationLoaded = false;

function flatResults<T>(results: T[]): T[] {
  return results.every(Array.isArray) ? (results.flat() as T[]) : results;
}
