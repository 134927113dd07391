import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {shutDown} from '../../../src/master/daemon.js';
import type {MasterLog} from '../../../src/master/master-log.js';
import {claimPidFile, processStartTime} from '../../../src/master/pid-file.js';

let dir: string;
let pidFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'daemon-'));
  pidFile = join(dir, 'master.pid');
  claimPidFile(pidFile, {
    pid: process.pid,
    processStart: processStartTime(process.pid)!,
    host: hostname(),
    bindHost: '127.0.0.1',
    port: 19999,
    url: 'http://127.0.0.1:19999',
    startedAt: 1,
    journalFolder: join(dir, 'journal'),
    rootUfs: join(dir, 'ufs'),
  });
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

function recordingLog(errors: string[]): MasterLog {
  return {file: '', info: () => undefined, warn: () => undefined, error: (_c, m) => errors.push(m)};
}

describe('the master\'s shutdown', () => {
  it('removes the pid file before the jobs stop (CLIs persist their own files from then on), then the server, then the metrics', async () => {
    const steps: string[] = [];
    const clean = await shutDown({
      pidFile,
      jobs: {stop: async () => void steps.push(`jobs (pid file ${existsSync(pidFile) ? 'still there' : 'gone'})`)},
      server: {close: async () => void steps.push('server')},
      flusher: {stop: () => void steps.push('metrics')},
      log: recordingLog([]),
    });
    expect(clean).toBe(true);
    expect(steps).toEqual(['jobs (pid file gone)', 'server', 'metrics']);
  });

  it('a part that fails to stop is logged and the others still stop', async () => {
    const errors: string[] = [];
    const steps: string[] = [];
    const clean = await shutDown({
      pidFile,
      jobs: {stop: () => Promise.reject(new Error('job stuck'))},
      server: {close: async () => void steps.push('server')},
      flusher: {stop: () => void steps.push('metrics')},
      log: recordingLog(errors),
    });
    expect(clean).toBe(false);
    expect(steps).toEqual(['server', 'metrics']);
    expect(existsSync(pidFile)).toBe(false);
    expect(errors[0]).toMatch(/^Error while stopping the leader jobs: Error: job stuck/);
  });
});
