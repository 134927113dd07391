import {mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Configuration} from '../../../src/conf/configuration.js';
import {openMasterLog} from '../../../src/master/master-log.js';

let dir: string;
let conf: Configuration;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'master-log-'));
  conf = new Configuration();
  conf.set('alluxio.logs.dir', dir);
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO {2}AlluxioMaster - line (\d+)$/;
const linesOf = (name: string) => readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l !== '');

describe('master.log rotation', () => {
  it('rotates at the size limit into master.log.1 ... master.log.<keep>, the oldest dropped; no line lost or split', () => {
    const log = openMasterLog(conf, {maxBytes: 1000, keep: 3});
    // Each line is about 55 bytes: 18 a file, 200 lines fill 11 files, of which master.log and 3 rotated stay.
    for (let i = 0; i < 200; i++) log.info('AlluxioMaster', `line ${i}`);
    expect(readdirSync(dir).sort()).toEqual(['master.log', 'master.log.1', 'master.log.2', 'master.log.3']);
    const kept = ['master.log.3', 'master.log.2', 'master.log.1', 'master.log'].flatMap(linesOf);
    for (const l of kept) expect(l).toMatch(LINE);
    const numbers = kept.map((l) => Number(LINE.exec(l)![1]));
    // What is kept is the newest lines, in order and contiguous.
    expect(numbers).toEqual(Array.from({length: numbers.length}, (_, i) => 200 - numbers.length + i));
    for (const name of readdirSync(dir)) {
      expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(1000);
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    }
  });

  it('counts what an earlier run left in master.log: it rotates when that fills it', () => {
    writeFileSync(join(dir, 'master.log'), 'x'.repeat(990) + '\n');
    const log = openMasterLog(conf, {maxBytes: 1000, keep: 2});
    log.info('AlluxioMaster', 'line 1');
    expect(readFileSync(join(dir, 'master.log.1'), 'utf8')).toBe('x'.repeat(990) + '\n');
    expect(linesOf('master.log')).toHaveLength(1);
  });
});
