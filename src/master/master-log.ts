/**
 * The master's log: `${alluxio.logs.dir}/master.log` in log4j's layout (`%d{ISO8601} %-5p %c{1} - %m%n`), as
 * Alluxio's master writes it, private to its owner like every log of ours.
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

export function masterLogFile(conf: Configuration): string {
  return path.join(conf.get('alluxio.logs.dir'), 'master.log');
}

/** Opens master.log for appending; each line is written at once, so a kill -9 loses none. */
export function openMasterLog(conf: Configuration): MasterLog {
  const file = masterLogFile(conf);
  privateFolder(path.dirname(file), logsDirIsOurs(conf));
  const fd = openPrivateLog(file);
  const write = (level: 'INFO' | 'WARN' | 'ERROR', component: string, message: string) =>
    fs.writeSync(fd, formatLine(new Date(), level, component, message));
  return {
    file,
    info: (component, message) => write('INFO', component, message),
    warn: (component, message) => write('WARN', component, message),
    error: (component, message) => write('ERROR', component, message),
  };
}
