import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {LineWriter, escapeControl} from '../../cli/output.js';
import {type DuColumns, type DuEntry, duHeader, duLines} from '../../cli/space-format.js';
import {cachedBytes, totalsOf} from '../../fs/summaries.js';
import {workerHost} from '../../meta/open.js';

export default class Du extends AlluxioCommand {
  static summary = 'Show the size of the files below a path, and how much of it the worker cache holds.';
  static description =
    'Prints one line per file of one recursive listing (folders are skipped), or with -s one line of totals. ' +
    'In Alluxio is what the worker cache holds; the cache is a memory tier, so In Memory (-m) is the same. ' +
    'Files only the cache holds count with their length. -g adds the one worker of this host.';
  static usageLine = 'fs du [-h|-s|-g|-m] <path>';
  static usage = Du.usageLine;
  static examples = ['alluxio fs du /data', 'alluxio fs du -s -h /mnt/s3', 'alluxio fs du -h -m -g /data'];
  static strict = false;
  static enableJsonFlag = true;
  static flags = {
    human: Flags.boolean({char: 'h', description: 'Print sizes in human-readable form.', default: false}),
    summarize: Flags.boolean({char: 's', description: 'Print one line of totals for the path.', default: false}),
    memory: Flags.boolean({char: 'm', description: 'Add the In Memory column.', default: false}),
    group: Flags.boolean({char: 'g', description: 'Add the Worker Host Name column and a line per worker holding data.', default: false}),
  };

  async run(): Promise<DuJson[]> {
    const {argv, flags} = await this.parse(Du);
    const paths = argv as string[];
    this.checkArgs('du', paths, {exactly: 1});
    const columns: DuColumns = {humanReadable: flags.human, memory: flags.memory, grouped: flags.group};
    const json = this.jsonEnabled();
    const out = new LineWriter();
    // Alluxio prints the header before it looks at the path: an error follows it.
    if (!json) process.stdout.write(duHeader(columns) + '\n');
    const worker = workerHost(this.conf());
    const results = await this.forEachPath(paths, async (path) => {
      const {entries} = await (await this.fileSystem()).subtree(path);
      const rows: DuJson[] = [];
      const report = async (entry: DuEntry) => {
        if (json) rows.push(toJson(entry));
        else for (const line of duLines(entry, columns)) await out.line(escapeControl(line));
      };
      try {
        if (flags.summarize) {
          const totals = await totalsOf(entries);
          await report(entryOf(path, totals.bytes, totals.cachedBytes, worker));
        } else {
          for await (const status of entries) {
            if (!status.isDirectory) await report(entryOf(status.path, status.length, cachedBytes(status), worker));
          }
        }
      } finally {
        // This path's lines go out before the next path's, and before the errors printed at the end.
        await out.flush();
      }
      return rows;
    });
    return this.perPathJson(paths, results) as DuJson[];
  }
}

/** `fs du --json`: one object per line Alluxio would print, its worker lines folded into `workers`. */
interface DuJson {
  path: string;
  sizeBytes: number;
  inAlluxioBytes: number;
  inMemoryBytes: number;
  workers: Record<string, number>;
}

function entryOf(path: string, bytes: number, cached: number, worker: string): DuEntry {
  return {path, bytes, cachedBytes: cached, workers: cached > 0 ? {[worker]: cached} : {}};
}

function toJson(entry: DuEntry): DuJson {
  return {path: entry.path, sizeBytes: entry.bytes, inAlluxioBytes: entry.cachedBytes, inMemoryBytes: entry.cachedBytes, workers: entry.workers};
}
