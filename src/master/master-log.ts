/**
 * The master's log: `${alluxio.logs.dir}/master.log` in log4j's layout (`%d{ISO8601} %-5p %c{1} - %m%n`), as
 * Alluxio's master writes it, private to its owner like every log of ours. Like Alluxio's rolling appender it
 * rotates at 10 MB: master.log becomes master.log.1, which becomes master.log.2..., the oldest past the last dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {Configuration} from '../conf/configuration.js';
import {logsDirIsOurs, openPrivateLog, privateFolder} from '../log/log-files.js';
import {formatLine} from '../log/logger.js';

export interface MasterLog {
  /** `component` is the logger's short name (`AlluxioMaster`, `PersistenceChecker`, `UfsCleaner`...). */
  info(component: string, message: string): void;
  warn(component: string, message: string): void;
  error(component: string, message: string): void;
  readonly file: string;
}

export interface Rotation {
  /** Size at which master.log is rotated. */
  maxBytes: number;
  /** Rotated files kept: master.log.1 (the newest) to master.log.<keep>. */
  keep: number;
}

export const DEFAULT_ROTATION: Rotation = {maxBytes: 10 * 1024 * 1024, keep: 10};

export function masterLogFile(conf: Configuration): string {
  return path.join(conf.get('alluxio.logs.dir'), 'master.log');
}

/** Opens master.log for appending; each line is written at once, so a kill -9 loses none. */
export function openMasterLog(conf: Configuration, rotation: Rotation = DEFAULT_ROTATION): MasterLog {
  const file = masterLogFile(conf);
  privateFolder(path.dirname(file), logsDirIsOurs(conf));
  let fd = openPrivateLog(file);
  // Counted rather than asked of the file at each line; another master appending meanwhile only delays the rotation.
  let size = fs.fstatSync(fd).size;
  const write = (level: 'INFO' | 'WARN' | 'ERROR', component: string, message: string) => {
    const line = Buffer.from(formatLine(new Date(), level, component, message));
    // The file is renamed while open (POSIX allows it): if a rename fails, lines go on to the file as it is.
    if (size > 0 && size + line.length > rotation.maxBytes && rotate(file, rotation.keep)) {
      fs.closeSync(fd);
      fd = openPrivateLog(file);
      size = fs.fstatSync(fd).size;
    }
    fs.writeSync(fd, line);
    size += line.length;
  };
  return {
    file,
    info: (component, message) => write('INFO', component, message),
    warn: (component, message) => write('WARN', component, message),
    error: (component, message) => write('ERROR', component, message),
  };
}

/**
 * master.log.<n> → master.log.<n+1> from the oldest down (the last one kept is replaced), then master.log → .1;
 * false when a rename failed.
 */
function rotate(file: string, keep: number): boolean {
  for (let n = keep - 1; n >= 0; n--) {
    try {
      fs.renameSync(n === 0 ? file : `${file}.${n}`, `${file}.${n + 1}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    }
  }
  return true;
}
