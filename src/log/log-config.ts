/**
 * Which loggers are on, read the way log4j 1.x reads its properties: `log4j.rootLogger=LEVEL[, appenders]` and
 * `log4j.logger.<name>=LEVEL[, appenders]`, a logger taking the level of its nearest configured ancestor
 * (`com.amazonaws` covers `com.amazonaws.request`). Appenders are not read: lines always go to the user log file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {Configuration} from '../conf/configuration.js';
import {parseProperties} from '../conf/properties-parser.js';
import {logsDirIsOurs} from './log-files.js';
import {currentOsUser} from '../security/os-accounts.js';

const LEVELS = ['ALL', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'OFF'] as const;
export type Level = (typeof LEVELS)[number];

const LOG4J_FILE_NAME = 'log4j.properties';
const ROOT_KEY = 'log4j.rootLogger';
/** Alluxio's own default root level. */
const ROOT_DEFAULT: Level = 'INFO';

export interface LogSettings {
  /** `${alluxio.logs.dir}/user/user_<login user>.log`, where Alluxio's clients log. */
  file: string;
  /** `alluxio.logs.dir` is the default one, ours to narrow to mode 0700. */
  ownLogsDir: boolean;
  /** The level in effect for each logger asked for. */
  levels: Map<string, Level>;
  /** Unreadable file, unknown levels. */
  warnings: string[];
}

/**
 * The log settings of a configuration for the given loggers. Each key is looked up in the configuration first
 * (site properties, `-D` system properties, mount options), then in the log4j file: `log4j.configuration`
 * (`file:` URL or path) if set, else `${alluxio.conf.dir}/log4j.properties`.
 */
export function logSettings(conf: Configuration, loggers: readonly string[]): LogSettings {
  const warnings: string[] = [];
  const fromFile = readLog4jFile(log4jFile(conf), warnings);
  const parsed = new Map<string, Level | undefined>();
  const level = (key: string): Level | undefined => {
    if (!parsed.has(key)) parsed.set(key, parseLevel(conf.lookup(key) ?? fromFile.get(key), key, warnings));
    return parsed.get(key);
  };
  const levelOf = (logger: string): Level => {
    for (let name = logger; name !== ''; name = name.slice(0, Math.max(0, name.lastIndexOf('.')))) {
      const found = level(`log4j.logger.${name}`);
      if (found !== undefined) return found;
    }
    return level(ROOT_KEY) ?? ROOT_DEFAULT;
  };
  const user = conf.getOrUndefined('alluxio.security.login.username') || currentOsUser();
  return {
    file: path.join(conf.get('alluxio.logs.dir'), 'user', `user_${user}.log`),
    ownLogsDir: logsDirIsOurs(conf),
    levels: new Map(loggers.map((logger) => [logger, levelOf(logger)])),
    warnings,
  };
}

/** Whether a logger at `configured` writes events of `level`. */
export function enabledAt(configured: Level, level: Level): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(configured) && configured !== 'OFF';
}

function log4jFile(conf: Configuration): string {
  const configured = conf.lookup('log4j.configuration');
  if (configured === undefined) return path.join(conf.get('alluxio.conf.dir'), LOG4J_FILE_NAME);
  return configured.replace(/^file:(\/\/(?=\/))?/, '');
}

function readLog4jFile(file: string, warnings: string[]): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') warnings.push(`Cannot read ${file}: ${code ?? String(e)}`);
    return new Map();
  }
  return new Map(parseProperties(text.replace(/^\uFEFF/, ''), file).map(({key, value}) => [key, value]));
}

/** The level before the first comma; empty, INHERITED and NULL mean "as the parent", as in log4j. */
function parseLevel(value: string | undefined, key: string, warnings: string[]): Level | undefined {
  const text = value?.split(',')[0]!.trim().toUpperCase();
  if (text === undefined || text === '' || text === 'INHERITED' || text === 'NULL') return undefined;
  if ((LEVELS as readonly string[]).includes(text)) return text as Level;
  warnings.push(`Ignored the log level ${value!.split(',')[0]!.trim()} of ${key}: use one of ${LEVELS.join(', ')}`);
  return undefined;
}
