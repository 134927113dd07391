import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {Configuration} from '../../../src/conf/configuration.js';
import {enableDebugLogging, formatLine, getLogger, REQUEST_LOGGER, WIRE_LOGGER} from '../../../src/log/logger.js';

let dir: string;
let conf: Configuration;
let warnings: string[];
const warn = (message: string) => warnings.push(message);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logger-'));
  conf = new Configuration();
  conf.set('alluxio.conf.dir', path.join(dir, 'conf'));
  // alluxio.logs.dir keeps its default, ${alluxio.work.dir}/logs: a folder of ours
  conf.set('alluxio.work.dir', dir);
  conf.set('alluxio.security.login.username', 'alice');
  warnings = [];
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, {recursive: true, force: true});
});

const logFile = () => path.join(dir, 'logs', 'user', 'user_alice.log');
const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} DEBUG (request|wire) - .+$/;

describe('formatLine', () => {
  it("uses log4j's %d{ISO8601} %-5p %c{1} - %m%n in local time", () => {
    const date = new Date(2026, 10, 26, 9, 5, 7, 42);
    expect(formatLine(date, 'DEBUG', REQUEST_LOGGER, 'GET x')).toBe('2026-11-26 09:05:07,042 DEBUG request - GET x\n');
    expect(formatLine(date, 'WARN', WIRE_LOGGER, 'm')).toBe('2026-11-26 09:05:07,042 WARN  wire - m\n');
  });
});

describe('getLogger', () => {
  it('writes nothing, and makes no folder, when the logger is not at DEBUG', () => {
    const logger = getLogger(REQUEST_LOGGER, conf, warn);
    expect(logger.debugEnabled).toBe(false);
    logger.debug('GET GetObject');
    expect(fs.existsSync(path.join(dir, 'logs'))).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('appends DEBUG lines to the user log file (0600), making its folders', () => {
    conf.set('log4j.logger.com.amazonaws.request', 'DEBUG', 'SYSTEM_PROPERTY');
    const stderr = vi.spyOn(process.stderr, 'write');
    const logger = getLogger(REQUEST_LOGGER, conf, warn);
    expect(logger.debugEnabled).toBe(true);
    logger.debug('PUT PutObject bucket=b key=k status=200 1.0ms attempt=1');
    getLogger(REQUEST_LOGGER, conf, warn).debug('second');
    const lines = fs.readFileSync(logFile(), 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(LINE);
    expect(lines[0]).toMatch(/ DEBUG request - PUT PutObject bucket=b key=k status=200 1\.0ms attempt=1$/);
    expect(lines[1]).toMatch(/ DEBUG request - second$/);
    expect(fs.statSync(logFile()).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'logs')).mode & 0o777).toBe(0o700);
    expect(stderr).not.toHaveBeenCalled();
  });

  it('keeps the log folders 0700 and the file 0600, narrowing ones an older version made wider', () => {
    conf.set('log4j.logger.com.amazonaws.request', 'DEBUG', 'SYSTEM_PROPERTY');
    fs.mkdirSync(path.join(dir, 'logs', 'user'), {recursive: true, mode: 0o755});
    fs.chmodSync(path.join(dir, 'logs'), 0o755);
    fs.writeFileSync(logFile(), 'old line\n', {mode: 0o644});
    fs.chmodSync(logFile(), 0o644);
    getLogger(REQUEST_LOGGER, conf, warn).debug('new line');
    expect(fs.statSync(path.join(dir, 'logs')).mode & 0o7777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'logs', 'user')).mode & 0o7777).toBe(0o700);
    expect(fs.statSync(logFile()).mode & 0o7777).toBe(0o600);
    expect(fs.readFileSync(logFile(), 'utf8')).toMatch(/^old line\n.* DEBUG request - new line\n$/);
  });

  it('leaves the mode of a logs folder the operator chose (alluxio.logs.dir), keeping its own files private', () => {
    const chosen = path.join(dir, 'var-log');
    fs.mkdirSync(chosen, {mode: 0o755});
    fs.chmodSync(chosen, 0o755);
    conf.set('alluxio.logs.dir', chosen, 'SITE_PROPERTY');
    conf.set('log4j.logger.com.amazonaws.request', 'DEBUG', 'SYSTEM_PROPERTY');
    getLogger(REQUEST_LOGGER, conf, warn).debug('a line');
    expect(fs.statSync(chosen).mode & 0o7777).toBe(0o755);
    expect(fs.statSync(path.join(chosen, 'user')).mode & 0o7777).toBe(0o700);
    expect(fs.statSync(path.join(chosen, 'user', path.basename(logFile()))).mode & 0o7777).toBe(0o600);
  });

  it('follows each logger its own level', () => {
    conf.set('log4j.logger.org.apache.http.wire', 'DEBUG', 'SITE_PROPERTY');
    expect(getLogger(REQUEST_LOGGER, conf, warn).debugEnabled).toBe(false);
    getLogger(WIRE_LOGGER, conf, warn).debug('>> GET /b');
    expect(fs.readFileSync(logFile(), 'utf8')).toMatch(/ DEBUG wire - >> GET \/b\n$/);
  });

  it('warns once when the log file cannot be written, and goes on', () => {
    fs.writeFileSync(path.join(dir, 'logs'), 'a file where the folder should be');
    conf.set('log4j.logger.com.amazonaws.request', 'DEBUG', 'SYSTEM_PROPERTY');
    const logger = getLogger(REQUEST_LOGGER, conf, warn);
    logger.debug('one');
    logger.debug('two');
    expect(warnings).toEqual([`Cannot write the log file ${logFile()}: ENOTDIR`]);
  });

  it('warns about a bad level once, however many loggers read it', () => {
    conf.set('log4j.rootLogger', 'VERBOSE', 'SITE_PROPERTY');
    getLogger(REQUEST_LOGGER, conf, warn);
    getLogger(WIRE_LOGGER, conf, warn);
    expect(warnings).toEqual(['Ignored the log level VERBOSE of log4j.rootLogger: use one of ALL, TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF']);
  });
});

// Last: --debug is a switch for the rest of the process.
describe('--debug', () => {
  it('turns request lines on whatever the configuration, and copies every line to stderr', () => {
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    conf.set('log4j.logger.com.amazonaws', 'OFF', 'SITE_PROPERTY');
    const request = getLogger(REQUEST_LOGGER, conf, warn);
    const wire = getLogger(WIRE_LOGGER, conf, warn);
    expect(request.debugEnabled).toBe(false);
    enableDebugLogging();
    expect(request.debugEnabled).toBe(true);
    expect(wire.debugEnabled).toBe(false);
    request.debug('GET GetObject bucket=b key=k status=200 1.0ms attempt=1');
    wire.debug('>> GET /b/k');
    expect(stderr).toHaveLength(1);
    expect(stderr[0]!.trimEnd()).toMatch(LINE);
    expect(fs.readFileSync(logFile(), 'utf8')).toBe(stderr[0]);
  });
});
