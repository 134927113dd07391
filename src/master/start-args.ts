/**
 * The command lines of `alluxio-start.sh` and `alluxio-stop.sh`, parsed as Alluxio's scripts parse them (two
 * getopts passes for start, the component then getopts for stop) so that scripts written for Alluxio work
 * unchanged. Parsing is pure: it says what to print and what to do; the commands do it.
 */

export const START_USAGE = `Usage: alluxio-start.sh [-hNwm] [-i backup] ACTION [MOPT] [-f] [-c cache]
Where ACTION is one of:
  all [MOPT] [-c cache]     \tStart all masters, proxies, and workers.
  job_master                \tStart the job_master on this node.
  job_masters               \tStart job_masters on master nodes.
  job_worker                \tStart a job_worker on this node.
  job_workers               \tStart job_workers on worker nodes.
  local [MOPT] [-c cache]   \tStart all processes locally.
  master                    \tStart the local master on this node.
  secondary_master          \tStart the local secondary master on this node.
  masters                   \tStart masters on master nodes.
  proxy                     \tStart the proxy on this node.
  proxies                   \tStart proxies on master and worker nodes.
  safe                      \tRun continuously, starting the master whenever it is not running.
  worker [MOPT] [-c cache]  \tStart a worker on this node.
  workers [MOPT] [-c cache] \tStart workers on worker nodes.
  logserver                 \tStart the logserver.
  restart_worker            \tRestart a failed worker on this node.
  restart_workers           \tRestart any failed workers on worker nodes.
alluxio-s3 runs one process, the master (web UI and leader jobs; the worker cache is a folder it shares with
every command): local, master and all start it; the other ACTIONs have no counterpart here.

MOPT (Mount Option) is one of:
  Mount    \tMount the configured RamFS if it is not already mounted.
  SudoMount\tMount the configured RamFS using sudo if it is not already mounted.
  NoMount  \tDo not mount the configured RamFS.
  NoMount is assumed if MOPT is not specified. alluxio-s3 mounts nothing: its cache is a folder.

-a         asynchronously start all processes. The script may exit before all
           processes have been started.
-c cache   populate the worker ramcache(s) from the specified directory (not supported by alluxio-s3).
-f         format the journal and the worker storage before starting.
-h         display this help.
-i backup  a journal backup to restore the master from (not supported by alluxio-s3).
-N         do not try to kill previous running processes before starting new ones.
-w         wait for processes to end before returning.

Supported environment variables:

ALLUXIO_JOB_WORKER_COUNT - identifies how many job workers to start per node (default = 1; unused by alluxio-s3)`;

export const STOP_USAGE = `Usage: alluxio-stop.sh [-h] [component] [-c cache] [-s]
Where component is one of:
  all [-c cache]      \tStop all masters, proxies, and workers.
  job_master          \tStop local job master.
  job_masters         \tStop job masters on master nodes.
  job_worker          \tStop local job worker.
  job_workers         \tStop job workers on worker nodes.
  local [-c cache]    \tStop all processes locally.
  master              \tStop local primary master.
  secondary_master    \tStop local secondary master.
  masters             \tStop masters on master nodes.
  proxy               \tStop local proxy.
  proxies             \tStop proxies on master and worker nodes.
  worker [-c cache]   \tStop local worker.
  workers [-c cache]  \tStop workers on worker nodes.
  logserver           \tStop the logserver.
alluxio-s3 runs one process, the master: local, master and all stop it.

-c cache   save the worker ramcache(s) to the specified directory (alluxio-s3's cache is a folder kept across
           restarts: nothing to save).
-s         processes won't be forcibly killed even if operation timeout.
-h         display this help.`;

/** The ACTIONs of one host's one process: the same master whichever is named. */
const OURS = ['local', 'master', 'all'] as const;
export type Action = (typeof OURS)[number];

const START_ACTIONS_ELSEWHERE = [
  'job_master', 'job_masters', 'job_worker', 'job_workers', 'secondary_master', 'masters', 'proxy', 'proxies',
  'safe', 'worker', 'workers', 'logserver', 'restart_worker', 'restart_workers',
];
const STOP_COMPONENTS_ELSEWHERE = [
  'job_master', 'job_masters', 'job_worker', 'job_workers', 'secondary_master', 'masters', 'proxy', 'proxies',
  'worker', 'workers', 'logserver',
];

export type MountOption = 'NoMount' | 'Mount' | 'SudoMount';

/** What the command does: print and exit, or run. `lines` are printed first (stdout), in order. */
export type Parsed<T> =
  | {kind: 'exit'; code: number; stdout: string[]; stderr: string[]}
  | ({kind: 'run'; lines: string[]} & T);

export interface StartOptions {
  action: Action;
  async: boolean;
  /** -N: leave a running master alone. */
  keepRunning: boolean;
  format: boolean;
  /** -w: return only when the master exits (container entrypoints rely on it). */
  wait: boolean;
}

export interface StopOptions {
  soft: boolean;
}

interface Getopts {
  /** Options in order, with their argument for those declared `x:`. */
  options: {name: string; value?: string}[];
  /** Index of the first operand. */
  next: number;
  /** The shell's one-line complaint, when getopts failed. */
  error?: string;
}

/** POSIX getopts over `args` from `start`: stops at the first operand or after `--`; `-ab` and `-ivalue` work. */
export function getopts(script: string, spec: string, args: string[], start = 0): Getopts {
  const options: Getopts['options'] = [];
  let i = start;
  while (i < args.length) {
    const token = args[i];
    if (token === '--') return {options, next: i + 1};
    if (!token.startsWith('-') || token === '-') break;
    i++;
    for (let c = 1; c < token.length; c++) {
      const name = token[c];
      const at = name === ':' ? -1 : spec.indexOf(name);
      if (at < 0) return {options, next: i, error: `${script}: illegal option -- ${name}`};
      if (spec[at + 1] !== ':') {
        options.push({name});
        continue;
      }
      if (c + 1 < token.length) {
        options.push({name, value: token.slice(c + 1)});
      } else if (i < args.length) {
        options.push({name, value: args[i++]});
      } else {
        return {options, next: i, error: `${script}: option requires an argument -- ${name}`};
      }
      break;
    }
  }
  return {options, next: i};
}

const startUsageError = (...lines: string[]): Parsed<StartOptions> => ({kind: 'exit', code: 1, stdout: [], stderr: [...lines, START_USAGE]});

export function parseStartArgs(args: string[]): Parsed<StartOptions> {
  const first = getopts('alluxio-start.sh', 'ahNwi:', args);
  if (first.error) return startUsageError(first.error);
  let async = false;
  let keepRunning = false;
  let wait = false;
  for (const {name} of first.options) {
    if (name === 'h') return {kind: 'exit', code: 0, stdout: [START_USAGE], stderr: []};
    if (name === 'a') async = true;
    if (name === 'N') keepRunning = true;
    if (name === 'i') return refusal('Error: -i is not supported: alluxio-s3 keeps its metadata in a metastore, not a journal to restore from a backup (alluxio format makes a fresh one)');
    if (name === 'w') wait = true;
  }
  let i = first.next;
  const action = args[i++];
  if (action === undefined || action === '') return startUsageError('Error: no ACTION specified');
  if (START_ACTIONS_ELSEWHERE.includes(action)) {
    return refusal(`Error: ACTION ${action} has no counterpart in alluxio-s3: it runs a single master process (start it with local, master or all)`);
  }
  if (!(OURS as readonly string[]).includes(action)) return startUsageError(`Error: Invalid ACTION: ${action}`);

  const lines: string[] = [];
  if (action !== 'master') {
    const mopt = args[i];
    let mode: MountOption;
    if (mopt === undefined || mopt === '') {
      lines.push('Assuming NoMount by default.');
      mode = 'NoMount';
      i++;
    } else if (mopt === '-f') {
      // As Alluxio's script: `local -f` takes -f for the MOPT slot, leaves it for the format flag, and means SudoMount.
      lines.push('Assuming SudoMount given -f option.');
      mode = 'SudoMount';
    } else if (mopt === 'NoMount' || mopt === 'Mount' || mopt === 'SudoMount') {
      mode = mopt;
      i++;
    } else {
      return startUsageError(`Invalid mount mode: ${mopt}`);
    }
    if (mode !== 'NoMount') {
      lines.push(`${mode}: nothing to mount, alluxio-s3's worker cache is a folder (alluxio.worker.tieredstore.level0.dirs.path).`);
    }
  }

  const second = getopts('alluxio-start.sh', 'fc:', args, i);
  if (second.error) return startUsageError(second.error);
  let format = false;
  for (const {name} of second.options) {
    if (name === 'f') format = true;
    if (name === 'c') return refusal('Error: -c is not supported: alluxio-s3 has no ramcache to preload; its worker cache is a folder kept across restarts');
  }
  return {kind: 'run', lines, action: action as Action, async, keepRunning, format, wait};
}

function refusal(line: string): {kind: 'exit'; code: number; stdout: string[]; stderr: string[]} {
  return {kind: 'exit', code: 1, stdout: [], stderr: [line]};
}

const stopUsageError = (...lines: string[]): Parsed<StopOptions> => ({kind: 'exit', code: 1, stdout: [], stderr: [...lines, STOP_USAGE]});

export function parseStopArgs(args: string[]): Parsed<StopOptions> {
  const component = args[0];
  if (component === undefined || component === '-h') return {kind: 'exit', code: 0, stdout: [STOP_USAGE], stderr: []};
  if (STOP_COMPONENTS_ELSEWHERE.includes(component)) {
    return refusal(`Error: component ${component} has no counterpart in alluxio-s3: it runs a single master process (stop it with local, master or all)`);
  }
  if (!(OURS as readonly string[]).includes(component)) return stopUsageError(`Error: Invalid component: ${component}`);
  const rest = getopts('alluxio-stop.sh', 'c:sh', args, 1);
  if (rest.error) return stopUsageError(rest.error);
  const lines: string[] = [];
  let soft = false;
  for (const {name, value} of rest.options) {
    if (name === 'h') return {kind: 'exit', code: 0, stdout: [STOP_USAGE], stderr: []};
    if (name === 's') soft = true;
    if (name === 'c') lines.push(`Nothing to save to ${value}: alluxio-s3's worker cache is a folder kept across restarts.`);
  }
  return {kind: 'run', lines, soft};
}
