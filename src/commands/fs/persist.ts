import {quietFlag, withProgress} from '../../cli/progress.js';
import {AlluxioCommand} from '../../cli/base-command.js';
import {PathFailures, renderError} from '../../cli/errors.js';
import {MAX_TRANSFER_THREADS, integerFlag} from '../../cli/flags.js';
import {AlluxioError, type ErrorKind} from '../../errors.js';
import {DEFAULT_TRANSFER_THREADS} from '../../fs/types.js';

export default class Persist extends AlluxioCommand {
  static summary = 'Persist files that only Alluxio holds to the under storage.';
  static description = 'Uploads every NOT_PERSISTED or TO_BE_PERSISTED file at or below the given paths.';
  static usageLine = 'fs persist [-p|--parallelism <#>] [-t|--timeout <milliseconds>] [-w|--wait <milliseconds>] <path> [<path> ...]';
  static usage = Persist.usageLine;
  static examples = ['alluxio fs persist /data'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    parallelism: integerFlag({
      char: 'p',
      description: `Files persisted at once (Alluxio: 4; here ${DEFAULT_TRANSFER_THREADS}, for S3 round trips).`,
      min: 1,
      max: MAX_TRANSFER_THREADS,
      default: DEFAULT_TRANSFER_THREADS,
    }),
    timeout: integerFlag({char: 't', description: 'Accepted for compatibility.', min: 0, default: 1_200_000}),
    wait: integerFlag({char: 'w', description: 'Accepted for compatibility.', min: 0, default: 0}),
    quiet: quietFlag,
  };

  async run(): Promise<{persisted: string[]; failed: string[]}> {
    const {argv, flags} = await this.parse(Persist);
    const args = argv as string[];
    this.checkArgs('persist', args, {atLeast: 1});
    const fs = await this.fileSystem();
    fs.transferThreads = flags.parallelism;
    // A file named twice (a folder and a file in it) is persisted once.
    const found = new Map<string, number>();
    // Patterns are expanded as Alluxio's persist does: one that matches nothing adds nothing.
    for (const arg of args) {
      for (const path of await fs.expand(arg, {orNone: true})) for (const file of await fs.filesToPersist(path)) found.set(file.path, file.length);
    }
    const files = [...found.keys()];
    this.log(`Found ${files.length} files to persist.`);
    const persisted: string[] = [];
    const failed: string[] = [];
    const failures: {path: string; error: Error}[] = [];
    const json = this.jsonEnabled();
    await withProgress(this, {label: 'persist', unit: 'bytes', quiet: flags.quiet}, async (progress) => {
      for (const length of found.values()) progress.grow(length);
      await fs.persistAll(
        files,
        (file, error) => {
          if (error) {
            failed.push(file);
            failures.push({path: file, error});
            if (!json) this.warnLine(`Failed to persist file ${file}: ${error.message}`);
          } else {
            persisted.push(file);
            this.log(`(${persisted.length}/${files.length}) Successfully persisted file: ${file}`);
          }
        },
        progress,
      );
    });
    if (failures.length > 0 && json) {
      // The files persisted go to stdout; the failures make the one error object on stderr.
      process.stdout.write(JSON.stringify({persisted, failed}) + '\n');
      throw persistFailures(failures);
    }
    if (failures.length > 0) process.exitCode = 255;
    return {persisted, failed};
  }
}

/** One failure as it is (with its hint), several as one MULTIPLE error; a bug stays a bug. */
function persistFailures(failures: {path: string; error: Error}[]): Error {
  const rendered = failures.map(({path, error}) => {
    const {kind, message, hint} = renderError(error, {debug: false}).json.error;
    return {path, error, failure: {path, kind, message: `Failed to persist file ${path}: ${message}`, ...(hint ? {hint} : {})}};
  });
  const bug = rendered.find((r) => r.failure.kind === 'BUG');
  if (bug) return bug.error;
  if (rendered.length > 1) return new PathFailures(rendered.map((r) => r.failure));
  const {kind, message, hint} = rendered[0].failure;
  return new AlluxioError(kind as ErrorKind, message, {hint});
}
