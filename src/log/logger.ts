/**
 * A small log4j-like logger: named loggers whose levels come from log4j keys (log-config.ts), lines in log4j's
 * console layout `%d{ISO8601} %-5p %c{1} - %m%n` appended to the user log file and, with `--debug`, to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {Configuration} from '../conf/configuration.js';
import {enabledAt, type Level, type LogSettings, logSettings} from './log-config.js';
import {openPrivateLog, privateFolder} from './log-files.js';

/** Alluxio's (AWS SDK for Java's) logger of S3 and STS requests. */
export const REQUEST_LOGGER = 'com.amazonaws.request';
/** Apache HttpClient's logger of what goes over the wire; here, request and response headers. */
export const WIRE_LOGGER = 'org.apache.http.wire';

export interface Logger {
  readonly debugEnabled: boolean;
  debug(message: string): void;
}

let debugMode = false;

/** `--debug`: request lines whatever the configured level, and every log line also on stderr. */
export function enableDebugLogging(): void {
  debugMode = true;
}

/** The logger `name` as `conf` configures it; problems (bad level, unwritable file) go to `warn`, once each. */
export function getLogger(name: string, conf: Configuration, warn: (message: string) => void): Logger {
  const settings = logSettings(conf, [name]);
  settings.warnings.forEach((message) => warnOnce(message, warn));
  const configuredDebug = enabledAt(settings.levels.get(name)!, 'DEBUG');
  const enabled = () => configuredDebug || (debugMode && name === REQUEST_LOGGER);
  return {
    get debugEnabled() {
      return enabled();
    },
    debug(message) {
      if (!enabled()) return;
      const line = formatLine(new Date(), 'DEBUG', name, message);
      appendToFile(settings, line, warn);
      if (debugMode) process.stderr.write(line);
    },
  };
}

/** One line in log4j's `%d{ISO8601} %-5p %c{1} - %m%n`, local time: `2026-11-26 10:00:00,123 DEBUG request - …`. */
export function formatLine(date: Date, level: Level, logger: string, message: string): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`;
  return `${day} ${time} ${level.padEnd(5)} ${logger.slice(logger.lastIndexOf('.') + 1)} - ${message}\n`;
}

/** Open log files (undefined once one failed), kept for the life of the process. */
const files = new Map<string, number | undefined>();
const warned = new Set<string>();

function appendToFile({file, ownLogsDir}: LogSettings, line: string, warn: (message: string) => void): void {
  try {
    if (!files.has(file)) {
      files.set(file, undefined);
      // `${alluxio.logs.dir}/user/<file>`: both folders are private.
      privateFolder(path.dirname(path.dirname(file)), ownLogsDir);
      privateFolder(path.dirname(file), true);
      files.set(file, openPrivateLog(file));
    }
    const fd = files.get(file);
    if (fd !== undefined) fs.writeSync(fd, line);
  } catch (e) {
    const fd = files.get(file);
    files.set(file, undefined);
    if (fd !== undefined) fs.closeSync(fd);
    warnOnce(`Cannot write the log file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, warn);
  }
}

function warnOnce(message: string, warn: (message: string) => void): void {
  if (warned.has(message)) return;
  warned.add(message);
  warn(message);
}
