import {statusJson} from '../../cli/status-json.js';
import {Args, Flags} from '@oclif/core';
import {AlluxioCommand} from '../../cli/base-command.js';
import {type LsFormat, type TimestampField, formatLsLine, timestampOf} from '../../cli/ls-format.js';
import {LineWriter, escapeControl} from '../../cli/output.js';
import {usageError} from '../../errors.js';
import type {FileStatus} from '../../fs/types.js';

const SORT_FIELDS = ['creationTime', 'inMemoryPercentage', 'lastAccessTime', 'lastModificationTime', 'name', 'path', 'size'];
const TIMESTAMPS = ['creationTime', 'lastAccessTime', 'lastModificationTime'];

export default class Ls extends AlluxioCommand {
  static summary = 'List files and directories with their attributes.';
  static description =
    'Lists the children of a directory (or the file itself) in path order, as Alluxio shows them: permission, owner, ' +
    'group, size, persistence state, timestamp, percentage in the worker cache and path. Metadata comes from the ' +
    'under storage on every call, so -f and alluxio.user.file.metadata.sync.interval have nothing left to do.';
  static usageLine = 'fs ls [-d|-f|-p|-R/--recursive|-h|--sort=option|--timestamp=option|-r] <path> ...';
  static usage = Ls.usageLine;
  static examples = ['alluxio fs ls /', 'alluxio fs ls -R -h /mnt/s3', 'alluxio fs ls --sort size -r /data'];
  static enableJsonFlag = true;
  static strict = false;
  static args = {path: Args.string({description: 'Alluxio path(s) to list', required: false})};
  static flags = {
    dir: Flags.boolean({char: 'd', description: 'List directories as plain files (the path itself, not its children).', default: false}),
    force: Flags.boolean({char: 'f', description: 'Read metadata again: file metadata is always current; on a mount point this also refreshes the owner, group and mode taken from the bucket ACL.', default: false}),
    pinned: Flags.boolean({char: 'p', description: 'List only pinned files and directories.', default: false}),
    recursive: Flags.boolean({char: 'R', description: 'List subdirectories recursively.', default: false}),
    human: Flags.boolean({char: 'h', description: 'Print sizes in human-readable form.', default: false}),
    sort: Flags.string({description: `Sort by ${SORT_FIELDS.join(', ')} (default path).`}),
    reverse: Flags.boolean({char: 'r', description: 'Reverse the sort order.', default: false}),
    timestamp: Flags.string({description: `Timestamp to show: ${TIMESTAMPS.join(', ')} (default lastModificationTime).`}),
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Ls);
    const paths = argv as string[];
    this.checkArgs('ls', paths, {atLeast: 1});
    const sort = flags.sort ?? 'path';
    if (!SORT_FIELDS.includes(sort)) throw usageError(`Invalid sort option \`${sort}\` for --sort`);
    const timestamp = (flags.timestamp ?? 'lastModificationTime') as TimestampField;
    if (!TIMESTAMPS.includes(timestamp)) throw usageError(`Unrecognized timestamp option ${timestamp}`);
    const conf = this.conf();
    const format: LsFormat = {
      withAcl: conf.getBoolean('alluxio.security.authorization.permission.enabled'),
      humanReadable: flags.human,
      timestamp,
      datePattern: conf.get('alluxio.user.date.format.pattern'),
    };
    const fs = await this.fileSystem();
    const out = new LineWriter();
    const json = this.jsonEnabled();
    let first = true;
    if (json) process.stdout.write('[');
    try {
      await this.forEachPath(paths, async (path) => {
        if (flags.force) await fs.refresh(path);
        const entries = flags.dir
          ? single(await fs.getStatus(path))
          : fs.list(path, {recursive: flags.recursive});
        const ordered = sort === 'path' && !flags.reverse ? entries : await sorted(entries, sort, flags.reverse);
        for await (const status of ordered) {
          if (flags.pinned && !status.pinned) continue;
          if (json) {
            await out.line((first ? '' : ',') + JSON.stringify(statusJson(status)));
            first = false;
          } else {
            await out.line(escapeControl(formatLsLine(status, format)));
          }
        }
      });
    } finally {
      // What the paths that succeeded listed is printed, and the JSON array closed, before any error.
      await out.flush();
      if (json) process.stdout.write(']\n');
    }
  }
}

async function* single(status: FileStatus): AsyncGenerator<FileStatus> {
  yield status;
}

/** Any order but path holds the whole listing in memory, as Alluxio does. */
async function sorted(
  entries: AsyncIterable<FileStatus>,
  field: string,
  reverse: boolean,
): Promise<FileStatus[]> {
  const all: FileStatus[] = [];
  for await (const status of entries) all.push(status);
  const key = (s: FileStatus): number | string => {
    switch (field) {
      case 'name':
        return s.name.toLowerCase();
      case 'size':
        return s.length;
      case 'inMemoryPercentage':
        return s.inAlluxioPercentage;
      case 'creationTime':
      case 'lastAccessTime':
      case 'lastModificationTime':
        return timestampOf(s, field as TimestampField) ?? 0;
      default:
        return s.path;
    }
  };
  all.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x < y ? -1 : x > y ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  });
  if (reverse) all.reverse();
  return all;
}
