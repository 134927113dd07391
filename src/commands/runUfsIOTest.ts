import {Flags} from '@oclif/core';
import {AlluxioCommand} from '../cli/base-command.js';
import {formatJackson} from '../cli/jackson-format.js';
import {jcommanderUsage} from '../cli/jcommander-usage.js';
import {parseSpaceSize} from '../cli/sizes.js';
import {displayedValue} from '../conf/display.js';
import {parseDurationMs} from '../conf/values.js';
import {invalidArgument, ioError, usageError} from '../errors.js';
import {type UfsIoSummary, runUfsIoBench} from '../smoke/ufs-io-bench.js';
import {createUnderFileSystem, isLocalUri, normalizeUfsUri, toLocalPath} from '../ufs/factory.js';

/** Fields Alluxio holds as doubles: printed with `.0` when whole, as Jackson does. */
const DOUBLE_FIELDS = new Set([
  'mDurationSeconds',
  'mTotalDurationSeconds',
  'mMaxSpeedMbps',
  'mMinSpeedMbps',
  'mAvgSpeedMbps',
  'mStdDev',
  'mWallDurationSeconds',
  'mAggregateSpeedMbps',
]);

/** Options of Alluxio's job-service and JVM launching, which a local Node process has no use for. */
const CLUSTER_FLAGS = ['cluster', 'cluster-limit', 'cluster-start-delay', 'java-opt', 'profile-agent'] as const;

export default class RunUfsIOTest extends AlluxioCommand {
  static summary = 'Measure write and read throughput of an under storage.';
  static description =
    'Writes --threads files of --io-size bytes each at once through the under storage layer (a local folder, ' +
    'file:///folder or s3://bucket/dir, with --conf settings applied as mount options), reads them back, deletes ' +
    "them, and prints Alluxio's JSON summary. Writes are timed until the file is complete in the store (Alluxio " +
    'stops before the upload on close); each speed stat also has the aggregate throughput of all threads. The files ' +
    'go in a fresh folder below --path that is removed at the end, on failure and on Ctrl-C. Local mode only.';
  static usageLine =
    'runUfsIOTest --path <ufs path> [--io-size <size>] [--threads <n>] [--conf <key=value>]... [--bench-timeout <time>]';
  static usage = RunUfsIOTest.usageLine;
  static examples = [
    'alluxio runUfsIOTest --path /tmp/bench --io-size 64m --threads 2',
    'alluxio runUfsIOTest --path s3://bucket/bench --io-size 256m --conf s3a.accessKeyId=AKIA... --conf s3a.secretKey=...',
  ];
  static enableJsonFlag = true;
  static flags = {
    path: Flags.string({description: 'The under storage folder to test in (required).'}),
    'io-size': Flags.string({description: 'Bytes each thread writes and reads (e.g. 64m, 4G).', default: '4G'}),
    threads: Flags.integer({description: 'Files written and read at once.', default: 4, min: 1}),
    conf: Flags.string({description: 'A mount option for the under storage: key=value (repeatable).', multiple: true, multipleNonGreedy: true}),
    'use-mount-conf': Flags.boolean({description: "Use the mount's options (cluster mode only).", default: false}),
    'bench-timeout': Flags.string({description: 'Give up after this long.', default: '20m'}),
    cluster: Flags.boolean({description: 'Not supported: runs on the job service in Alluxio.', default: false}),
    'cluster-limit': Flags.integer({description: 'Not supported (cluster mode).'}),
    'cluster-start-delay': Flags.string({description: 'Not supported (cluster mode).'}),
    'java-opt': Flags.string({description: 'Not supported (no JVM).', multiple: true}),
    'profile-agent': Flags.string({description: 'Not supported (no JVM).'}),
    id: Flags.string({description: 'The task id shown in the summary.', default: 'local-task-0', hidden: true}),
    distributed: Flags.boolean({description: 'Shown in the summary.', default: false, hidden: true}),
    'start-ms': Flags.integer({description: 'Shown in the summary.', default: -1, hidden: true}),
    'in-process': Flags.boolean({description: 'Shown in the summary.', default: false, hidden: true}),
    // --help is oclif's, routed here by src/cli/help.ts; -h is this command's own flag.
    help: Flags.boolean({char: 'h', description: 'Print this usage and exit.'}),
  };

  /** Alluxio's help of UfsIOBench: what it does and an example, then JCommander's list of the options. */
  static helpLines(): string[] {
    const flags: Record<string, {description?: string; hidden?: boolean; char?: string; default?: unknown}> = {...this.baseFlags, ...this.flags};
    const options = Object.entries(flags)
      .filter(([, flag]) => !flag.hidden)
      .map(([name, flag]) => ({
        names: flag.char ? [`-${flag.char}`, `--${name}`] : [`--${name}`],
        description: flag.description ?? '',
        required: name === 'path',
        // JCommander shows no default for its help option.
        default: flag.default === undefined || name === 'help' ? undefined : String(flag.default),
      }));
    options.push({names: ['--json'], description: 'Print the summary as plain JSON.', required: false, default: undefined});
    return [
      'A benchmarking tool for the I/O between this host and an under storage.',
      this.description,
      '',
      'Example:',
      '# Each of 2 threads writes then reads 512m of data',
      '$ alluxio runUfsIOTest --path s3://<bucket>/<dir> --io-size 512m --threads 2',
      '',
      ...jcommanderUsage('UfsIOBench', options),
    ];
  }

  async run(): Promise<UfsIoSummary | undefined> {
    const {flags} = await this.parse(RunUfsIOTest);
    if (flags.help) {
      // Asked for, so printed under --json too (as oclif's --help is).
      process.stdout.write(RunUfsIOTest.helpLines().join('\n') + '\n');
      return undefined;
    }
    // JCommander's message for the missing option, as Alluxio prints it.
    if (flags.path === undefined) throw usageError('The following option is required: [--path]');
    const unsupported = CLUSTER_FLAGS.find((name) => flags[name] !== undefined && flags[name] !== false);
    if (unsupported) {
      throw invalidArgument(
        `--${unsupported} is not supported: runUfsIOTest runs in local mode only`,
        'Leave out the cluster options; run it on each host to measure that host.',
      );
    }
    if (flags['use-mount-conf']) {
      throw invalidArgument('alluxio.stress.cli.UfsIOBench can not use the ufs conf if it is not running in cluster mode');
    }
    const ioSize = parseSpaceSize(flags['io-size']);
    // Alluxio's rounding takes "-1" to -0: the sign of what was typed is what says it is negative.
    if (ioSize === undefined || flags['io-size'].trim().startsWith('-')) throw usageError(`Fail to parse ${flags['io-size']} to bytes`);
    const benchTimeoutMs = parseDurationMs(flags['bench-timeout']);
    if (benchTimeoutMs === undefined || benchTimeoutMs <= 0) throw usageError(`Fail to parse ${flags['bench-timeout']} to milliseconds`);
    const options = parseConf(flags.conf ?? []);
    const local = isLocalUri(flags.path);
    const conf = this.conf().withMountOptions(options, flags.path);
    for (const warning of conf.warnings) this.warnLine(warning);
    const ufs = await createUnderFileSystem(flags.path, conf, {
      readOnly: false,
      triple: {owner: '', group: '', mode: 0},
      warn: (message) => this.warnLine(message),
    });
    let summary: UfsIoSummary;
    try {
      summary = await runUfsIoBench(ufs, {
        dir: local ? toLocalPath(flags.path) : normalizeUfsUri(flags.path),
        path: flags.path,
        ioSize,
        dataSize: flags['io-size'],
        threads: flags.threads,
        conf: Object.fromEntries(Object.entries(options).map(([k, v]) => [k, displayedValue(k, v)])),
        id: flags.id,
        startMs: flags['start-ms'],
        distributed: flags.distributed,
        inProcess: flags['in-process'],
        benchTimeout: flags['bench-timeout'],
        benchTimeoutMs,
      });
    } finally {
      await ufs.close();
    }
    // JSON escapes every control character of a path: printed as it is.
    if (!this.jsonEnabled()) this.logRaw(formatJackson(summary, DOUBLE_FIELDS));
    if (summary.errors.length > 0) {
      const message = `${summary.errors.length} of the writes and reads failed, the first: ${summary.errors[0]}`;
      if (this.jsonEnabled()) {
        // As a multi-path command's partial results: the summary on stdout, the failure as the error object.
        this.logJson(summary);
        throw ioError(message);
      }
      this.warnLine(message);
      process.exitCode = 255;
    }
    return summary;
  }
}

function parseConf(entries: string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw usageError(`Invalid --conf ${entry}: expected key=value`);
    options[entry.slice(0, eq).trim()] = entry.slice(eq + 1);
  }
  return options;
}
