import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Configuration} from '../../../src/conf/configuration.js';
import {enabledAt, logSettings} from '../../../src/log/log-config.js';

const REQUEST = 'com.amazonaws.request';
const WIRE = 'org.apache.http.wire';

let dir: string;
let conf: Configuration;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-config-'));
  conf = new Configuration();
  conf.set('alluxio.conf.dir', path.join(dir, 'conf'));
  conf.set('alluxio.logs.dir', path.join(dir, 'logs'));
  conf.set('alluxio.security.login.username', 'alice');
  fs.mkdirSync(path.join(dir, 'conf'));
});

afterEach(() => {
  fs.rmSync(dir, {recursive: true, force: true});
});

function writeLog4j(text: string, file = path.join(dir, 'conf', 'log4j.properties')): string {
  fs.writeFileSync(file, text);
  return file;
}

const levels = (loggers = [REQUEST, WIRE]) => Object.fromEntries(logSettings(conf, loggers).levels);

describe('levels', () => {
  it("are INFO (Alluxio's root level) without any configuration", () => {
    const settings = logSettings(conf, [REQUEST, WIRE]);
    expect(Object.fromEntries(settings.levels)).toEqual({[REQUEST]: 'INFO', [WIRE]: 'INFO'});
    expect(settings.warnings).toEqual([]);
  });

  it("come from ${alluxio.conf.dir}/log4j.properties, the S3 guide's keys as they are written", () => {
    writeLog4j(
      [
        'log4j.rootLogger=INFO, ${alluxio.logger.type}, ${alluxio.remote.logger.type}',
        'log4j.logger.com.amazonaws=WARN',
        'log4j.logger.com.amazonaws.request=DEBUG',
        'log4j.logger.org.apache.http.wire = debug',
      ].join('\n'),
    );
    expect(levels()).toEqual({[REQUEST]: 'DEBUG', [WIRE]: 'DEBUG'});
  });

  it('are inherited from the nearest configured ancestor, then the root logger', () => {
    writeLog4j('log4j.rootLogger=TRACE\nlog4j.logger.com.amazonaws=WARN, CONSOLE\nlog4j.logger.org.apache.http=\n');
    expect(levels()).toEqual({[REQUEST]: 'WARN', [WIRE]: 'TRACE'});
  });

  it('take INHERITED and NULL as "as the parent"', () => {
    writeLog4j('log4j.logger.com.amazonaws=DEBUG\nlog4j.logger.com.amazonaws.request=INHERITED\n');
    expect(levels([REQUEST])).toEqual({[REQUEST]: 'DEBUG'});
  });

  it('take site and system properties over the file, key by key', () => {
    writeLog4j('log4j.logger.com.amazonaws.request=DEBUG\nlog4j.logger.org.apache.http.wire=DEBUG\n');
    conf.set('log4j.logger.org.apache.http.wire', 'OFF', 'SITE_PROPERTY');
    expect(levels()).toEqual({[REQUEST]: 'DEBUG', [WIRE]: 'OFF'});
    conf.set('log4j.logger.com.amazonaws.request', 'INFO', 'SYSTEM_PROPERTY');
    expect(levels()).toEqual({[REQUEST]: 'INFO', [WIRE]: 'OFF'});
  });

  it('work from properties alone, without a file', () => {
    conf.set('log4j.logger.com.amazonaws', 'DEBUG', 'SYSTEM_PROPERTY');
    expect(levels()).toEqual({[REQUEST]: 'DEBUG', [WIRE]: 'INFO'});
  });

  it('come from the file named by log4j.configuration (file: URL or path) instead', () => {
    writeLog4j('log4j.logger.com.amazonaws.request=ERROR\n');
    const other = writeLog4j('log4j.logger.com.amazonaws.request=DEBUG\n', path.join(dir, 'other.properties'));
    conf.set('log4j.configuration', `file:${other}`, 'SYSTEM_PROPERTY');
    expect(levels([REQUEST])).toEqual({[REQUEST]: 'DEBUG'});
    conf.set('log4j.configuration', `file://${other}`, 'SYSTEM_PROPERTY');
    expect(levels([REQUEST])).toEqual({[REQUEST]: 'DEBUG'});
    conf.set('log4j.configuration', other, 'SYSTEM_PROPERTY');
    expect(levels([REQUEST])).toEqual({[REQUEST]: 'DEBUG'});
  });

  it('warn about an unknown level and ignore it', () => {
    writeLog4j('log4j.logger.com.amazonaws=WARN\nlog4j.logger.com.amazonaws.request=DEBGU, FILE\n');
    const settings = logSettings(conf, [REQUEST]);
    expect(settings.levels.get(REQUEST)).toBe('WARN');
    expect(settings.warnings).toEqual([
      'Ignored the log level DEBGU of log4j.logger.com.amazonaws.request: use one of ALL, TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF',
    ]);
  });

  it('warn when the file exists but cannot be read', () => {
    fs.mkdirSync(path.join(dir, 'conf', 'log4j.properties'));
    const settings = logSettings(conf, [REQUEST]);
    expect(settings.levels.get(REQUEST)).toBe('INFO');
    expect(settings.warnings).toEqual([`Cannot read ${path.join(dir, 'conf', 'log4j.properties')}: EISDIR`]);
  });
});

describe('log file', () => {
  it("is ${alluxio.logs.dir}/user/user_<login user>.log, as Alluxio's user log", () => {
    expect(logSettings(conf, []).file).toBe(path.join(dir, 'logs', 'user', 'user_alice.log'));
  });

  it('follows alluxio.work.dir by default', () => {
    const fresh = new Configuration();
    fresh.set('alluxio.work.dir', '/srv/alluxio');
    fresh.set('alluxio.security.login.username', 'bob');
    expect(logSettings(fresh, []).file).toBe('/srv/alluxio/logs/user/user_bob.log');
  });
});

describe('enabledAt', () => {
  it("orders levels as log4j does; OFF writes nothing", () => {
    expect(enabledAt('DEBUG', 'DEBUG')).toBe(true);
    expect(enabledAt('TRACE', 'DEBUG')).toBe(true);
    expect(enabledAt('ALL', 'DEBUG')).toBe(true);
    expect(enabledAt('INFO', 'DEBUG')).toBe(false);
    expect(enabledAt('OFF', 'DEBUG')).toBe(false);
  });
});
