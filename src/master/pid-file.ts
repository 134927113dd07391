/**
 * The running master's pid file, `${alluxio.work.dir}/master.pid`. It lives in the work folder rather than the
 * journal folder so that `alluxio format` (which replaces the metastore) never loses track of a running master,
 * and it is one per installation, as Alluxio's logs folder is.
 *
 * It names the process by its pid AND its start time: a pid reused by another process after the master died, or
 * a stale file left by a kill -9, never leads stop to signal a stranger.
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';
import type {Configuration} from '../conf/configuration.js';
import {makeDirectoriesSync} from '../util/directories.js';
import {PRIVATE_FILE} from '../util/private-modes.js';

export interface MasterRecord {
  pid: number;
  /** The process's start time as the OS tells it (clock ticks since boot on Linux, `ps -o lstart` elsewhere). */
  processStart: string;
  /** Host name of the machine the master runs on. */
  host: string;
  /** Address the web UI listens on and the URL this host reaches it at. */
  bindHost: string;
  port: number;
  url: string;
  /** Epoch ms the master started. */
  startedAt: number;
  /** The namespace it serves: its metastore folder (absolute) and root UFS URI, see namespaceOf. */
  journalFolder: string;
  rootUfs: string;
}

/** What a master and a CLI must share for the CLI to hand its files to the master. */
export function namespaceOf(conf: Configuration): Pick<MasterRecord, 'journalFolder' | 'rootUfs'> {
  return {
    journalFolder: path.resolve(conf.get('alluxio.master.journal.folder')),
    rootUfs: conf.get('alluxio.master.mount.table.root.ufs'),
  };
}

export type LiveMaster = Pick<MasterRecord, 'pid' | 'host' | 'port' | 'url' | 'startedAt'>;

export function pidFilePath(conf: Configuration): string {
  return path.join(conf.get('alluxio.work.dir'), 'master.pid');
}

/** The start time of process `pid`, or undefined when no such process runs (a zombie counts as gone). */
export function processStartTime(pid: number): string | undefined {
  if (process.platform === 'linux') {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last `)`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  }
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim();
    return started === '' ? undefined : started;
  } catch {
    return undefined;
  }
}

function onThisHost(record: MasterRecord): boolean {
  return record.host === '' || record.host === hostname();
}

/** Whether `record` describes a process that runs now: its pid is alive and started when the record says. */
export function isRunning(record: Pick<MasterRecord, 'pid' | 'processStart'>): boolean {
  return processStartTime(record.pid) === record.processStart;
}

/** The record in the pid file, whether or not its process runs; undefined when there is no (readable) file. */
export function readPidFile(file: string): MasterRecord | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseRecord(text);
}

function parseRecord(text: string): MasterRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<MasterRecord>;
    if (!Number.isSafeInteger(r.pid) || (r.pid as number) <= 0 || typeof r.processStart !== 'string') return undefined;
    return {
      pid: r.pid as number,
      processStart: r.processStart,
      host: String(r.host ?? ''),
      bindHost: String(r.bindHost ?? ''),
      port: Number(r.port),
      url: String(r.url ?? ''),
      startedAt: Number(r.startedAt),
      journalFolder: String(r.journalFolder ?? ''),
      rootUfs: String(r.rootUfs ?? ''),
    };
  } catch {
    return undefined;
  }
}

/**
 * The master running for this configuration, or undefined. A pid file whose process is gone (or is another
 * process under a reused pid) is removed, and `onStale` told so.
 */
export function readLiveMaster(conf: Configuration, onStale?: (note: string) => void): LiveMaster | undefined {
  const file = pidFilePath(conf);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const record = parseRecord(text);
  if (record && !onThisHost(record)) {
    // A work folder shared between hosts: that process cannot be checked, nor signalled, from here.
    onStale?.(`${file} names a master on ${record.host} (pid ${record.pid}): it can only be stopped there.`);
    return undefined;
  }
  if (record && isRunning(record)) {
    const {pid, host, port, url, startedAt} = record;
    return {pid, host, port, url, startedAt};
  }
  if (removeIfUnchanged(file, text)) {
    onStale?.(
      record
        ? `Removed the stale pid file ${file}: process ${record.pid} is not the master that wrote it.`
        : `Removed the unreadable pid file ${file}.`,
    );
  }
  return undefined;
}

/**
 * Whether a master serves this namespace on this host, without touching a stale file: CLI commands then leave
 * their ASYNC_THROUGH files to it rather than uploading them before they exit. A master of another metastore or
 * another root UFS (same work folder, other -D properties) would never see those files.
 */
export function masterRunsHere(conf: Configuration): boolean {
  const record = readPidFile(pidFilePath(conf));
  if (record === undefined || record.pid === process.pid || !onThisHost(record)) return false;
  const ours = namespaceOf(conf);
  return record.journalFolder === ours.journalFolder && record.rootUfs === ours.rootUfs && isRunning(record);
}

/** Removes `file` if it still holds `text` (a master starting meanwhile may have written its own). */
function removeIfUnchanged(file: string, text: string): boolean {
  try {
    if (fs.readFileSync(file, 'utf8') !== text) return false;
    fs.rmSync(file, {force: true});
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the pid file of this process, atomically and only if no live master holds one (a stale one is replaced):
 * the complete file is linked into place, which fails when the name exists, so two masters starting at once
 * cannot both think they are the one. Returns the live master that holds it, if any.
 */
export function claimPidFile(file: string, record: MasterRecord): MasterRecord | undefined {
  makeDirectoriesSync(path.dirname(file));
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(record) + '\n', {mode: PRIVATE_FILE});
  try {
    for (;;) {
      try {
        fs.linkSync(temp, file);
        return undefined;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      const holder = parseRecord(text);
      if (holder && (!onThisHost(holder) || (holder.pid !== record.pid && isRunning(holder)))) return holder;
      removeIfUnchanged(file, text);
    }
  } finally {
    fs.rmSync(temp, {force: true});
  }
}

/** Removes the pid file if it is `pid`'s (never a newer master's). */
export function releasePidFile(file: string, pid: number): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return;
  }
  if (parseRecord(text)?.pid === pid) removeIfUnchanged(file, text);
}
