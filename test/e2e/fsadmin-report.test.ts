/**
 * `alluxio fsadmin report` against a stub of the master's `GET /api/v1/master/info` (our own interface, served by
 * this test process on a free port), and with nothing listening. The real master's run is in the master's tests.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {type Server, createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {hostname} from 'node:os';
import {dirname} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Configuration} from '../../src/conf/configuration.js';
import {pidFilePath, processStartTime} from '../../src/master/pid-file.js';
import type {AlluxioMasterInfo, WorkerInfo} from '../../src/master/webui/types.js';
import {cleanupHomes, crashSigns, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

const GB = 2 ** 30;
const USAGE = 'fsadmin report [summary | ufs | metrics | jobservice | capacity [-live | -lost | -workers <names>]]';

function worker(host: string, lastContactSec: number, capacity: number, used: number): WorkerInfo {
  return {
    id: lastContactSec,
    address: {host, containerHost: '', rpcPort: 29999, dataPort: 29999, webPort: 30000, domainSocketPath: '', tieredIdentity: {tiers: []}},
    lastContactSec,
    state: 'In Service',
    capacityBytes: capacity,
    usedBytes: used,
    startTimeMs: 0,
    capacityBytesOnTiers: {MEM: capacity},
    usedBytesOnTiers: {MEM: used},
    blockCount: 0,
  };
}

const INFO: AlluxioMasterInfo = {
  capacity: {total: GB, used: GB / 4},
  configuration: {'alluxio.master.web.port': '19999'},
  lostWorkers: [worker('lost-host', 400, GB, 0)],
  metrics: {'Master.FilesCreated': 7, 'Master.FilesPinned': 0},
  mountPoints: {
    '/': {mountId: 1, ufsUri: '/srv/ufs', ufsType: 'local', ufsCapacityBytes: 4 * GB, ufsUsedBytes: GB, readOnly: false, properties: {}, shared: false},
    '/mnt/s3': {
      mountId: 2, ufsUri: 's3://bucket/dir', ufsType: 's3', ufsCapacityBytes: -1, ufsUsedBytes: -1, readOnly: true,
      properties: {'s3a.accessKeyId': '******', 's3a.secretKey': '******'}, shared: false,
    },
  },
  rpcAddress: 'localhost/127.0.0.1:19998',
  startTimeMs: Date.UTC(2022, 11, 7, 6, 25, 0, 123),
  uptimeMs: 3_723_000,
  version: '0.1.0',
  tierCapacity: {MEM: {total: GB, used: GB / 4}},
  ufsCapacity: {total: 4 * GB, used: GB},
  workers: [worker('localhost', 0, GB, GB / 4)],
};

let server: Server;
let port: number;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    if (req.url !== '/api/v1/master/info') {
      res.statusCode = 404;
      res.end('{}');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(INFO));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const home = () => makeHome({site: {'alluxio.master.web.port': String(port)}});

describe.concurrent('fsadmin report with a master', () => {
  it('summary (the default) asks /api/v1/master/info and prints the web port it reached', async () => {
    const h = home();
    const expected = [
      'Alluxio cluster summary: ',
      '    Master Address: localhost/127.0.0.1:19998',
      `    Web Port: ${port}`,
      '    Rpc Port: 19998',
      '    Started: 12-07-2022 06:25:00:123',
      '    Uptime: 0 day(s), 1 hour(s), 2 minute(s), and 3 second(s)',
      '    Version: 0.1.0',
      '    Safe Mode: false',
      '    Zookeeper Enabled: false',
      '    Raft-based Journal: false',
      '    Live Workers: 1',
      '    Lost Workers: 1',
      '    Total Capacity: 1024.00MB',
      '        Tier: MEM  Size: 1024.00MB',
      '    Used Capacity: 256.00MB',
      '        Tier: MEM  Size: 256.00MB',
      '    Free Capacity: 768.00MB',
    ];
    expectSuccess(await h.run(['fsadmin', 'report']), expected);
    expectSuccess(await h.run(['fsadmin', 'report', 'summary']), expected);
    expect(asked).toContain('/api/v1/master/info');
  });

  it('ufs', async () => {
    expectSuccess(await home().run(['fsadmin', 'report', 'ufs']), [
      'Alluxio under storage system information:',
      '/srv/ufs         on  /        (local, capacity=4096.00MB, used=1024.00MB(25%), not read-only, not shared, properties={})',
      's3://bucket/dir  on  /mnt/s3  (s3, capacity=-1B, used=-1B, read-only, not shared, properties={s3a.accessKeyId=******, s3a.secretKey=******})',
    ]);
  });

  it('capacity, all and filtered', async () => {
    const h = home();
    expectSuccess(await h.run(['fsadmin', 'report', 'capacity', '-live']), [
      'Capacity information for live workers: ',
      '    Total Capacity: 1024.00MB',
      '        Tier: MEM  Size: 1024.00MB',
      '    Used Capacity: 256.00MB',
      '        Tier: MEM  Size: 256.00MB',
      '    Used Percentage: 25%',
      '    Free Percentage: 75%',
      '',
      'Worker Name      Last Heartbeat   Storage       MEM',
      'localhost        0                capacity      1024.00MB',
      '                                  used          256.00MB (25%)',
    ]);
    const all = await h.run(['fsadmin', 'report', 'capacity']);
    expectSuccess(all);
    expect(lines(all.stdout).slice(0, 2)).toEqual(['Capacity information for all workers: ', '    Total Capacity: 2048.00MB']);
    expect(lines(all.stdout).slice(-2)).toEqual(['lost-host        400              capacity      1024.00MB', '                                  used          0B (0%)']);
    expectSuccess(await h.run(['fsadmin', 'report', 'capacity', '-workers', 'nobody,nowhere']), ['No workers found.']);
  });

  it('metrics and jobservice', async () => {
    const h = home();
    expectSuccess(await h.run(['fsadmin', 'report', 'metrics']), [
      'Master.FilesCreated  (Type: COUNTER, Value: 7)',
      'Master.FilesPinned  (Type: GAUGE, Value: 0)',
    ]);
    const jobs = await h.run(['fsadmin', 'report', 'jobservice']);
    expectSuccess(jobs);
    expect(lines(jobs.stdout)).toHaveLength(1);
  });

  it('--json gives what the report was made from', async () => {
    const r = await home().run(['fsadmin', 'report', 'ufs', '--json']);
    expectSuccess(r);
    expect(JSON.parse(r.stdout)).toEqual({mountPoints: INFO.mountPoints});
  });

  it('capacity -h prints its usage', async () => {
    const r = await home().run(['fsadmin', 'report', 'capacity', '-h']);
    expectSuccess(r);
    expect(lines(r.stdout)[0]).toBe('alluxio fsadmin report capacity [filter arg]');
  });
});

describe('fsadmin report and the pid file of a master running here', () => {
  // The S3 guide sets alluxio.master.hostname to the machine's address or name, which the master (bound to
  // loopback) does not listen on: the URL the running master wrote in its pid file is asked first.
  const site = () => ({'alluxio.master.hostname': 'alluxio-master.invalid', 'alluxio.master.web.port': String(port)});
  function writePidFile(h: ReturnType<typeof makeHome>, pid: number, processStart: string): void {
    const conf = Configuration.load({env: h.env, installDir: h.dir, homeDir: h.userHome});
    const file = pidFilePath(conf);
    mkdirSync(dirname(file), {recursive: true});
    const url = `http://127.0.0.1:${port}`;
    writeFileSync(file, JSON.stringify({pid, processStart, host: hostname(), bindHost: '127.0.0.1', port, url, startedAt: Date.now()}));
  }

  it('asks the URL in the pid file of a live master first', async () => {
    const h = makeHome({site: site()});
    writePidFile(h, process.pid, processStartTime(process.pid)!);
    const r = await h.run(['fsadmin', 'report', 'ufs']);
    expectSuccess(r);
    expect(lines(r.stdout)[0]).toBe('Alluxio under storage system information:');
  });

  it('a pid file of a process that is gone is not asked: the configured address is, and named in the hint', async () => {
    const h = makeHome({site: site()});
    writePidFile(h, process.pid, 'not-its-start-time');
    const r = await h.run(['fsadmin', 'report']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(r.stdout).toBe('Cannot connect to Alluxio leader master.\n');
    expect(r.stderr).toContain(`at http://alluxio-master.invalid:${port}:`);
  });
});

describe('fsadmin report usage errors', () => {
  it('exit 2 without asking the master', async () => {
    let requests = 0;
    const counting = createServer((_req, res) => {
      requests++;
      res.end(JSON.stringify(INFO));
    });
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
    const h = makeHome({site: {'alluxio.master.web.port': String((counting.address() as AddressInfo).port)}});
    try {
      expectUsageError(await h.run(['fsadmin', 'report', 'nope']), 'report category is invalid.', USAGE);
      expectUsageError(await h.run(['fsadmin', 'report', 'capacity', '-live', '-lost']), 'Too many arguments passed in.', USAGE);
      expectUsageError(await h.run(['fsadmin', 'report', 'ufs', '-live']), 'report ufs does not support arguments: -live', USAGE);
      expect(requests).toBe(0);
      expectSuccess(await h.run(['fsadmin', 'report', 'metrics']));
      expect(requests).toBe(1);
    } finally {
      await new Promise((resolve) => counting.close(resolve));
    }
  });
});

describe('fsadmin report with no master', () => {
  it("prints Alluxio's line on stdout and exits 255, the reason on stderr", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const h = makeHome({site: {'alluxio.master.web.port': String(freePort)}});
    for (const args of [['fsadmin', 'report'], ['fsadmin', 'report', 'capacity', '-live'], ['fsadmin', 'report', 'ufs']]) {
      const r = await h.run(args);
      const d = describeResult(r);
      expect(r.code, d).toBe(255);
      expect(r.stdout, d).toBe('Cannot connect to Alluxio leader master.\n');
      expect(lines(r.stderr), d).toEqual([
        `Hint: No master answers at http://127.0.0.1:${freePort}: start it with bin/alluxio-start.sh local, or set ` +
          'alluxio.master.web.port and alluxio.master.web.hostname to where it runs.',
      ]);
      expect(crashSigns(r), d).toEqual([]);
    }
    // --json: the error as JSON on stderr, stdout empty
    const json = await h.run(['fsadmin', 'report', '--json']);
    expect(json.code, describeResult(json)).toBe(255);
    expect(json.stdout, describeResult(json)).toBe('');
    expect(JSON.parse(json.stderr).error).toMatchObject({kind: 'UNAVAILABLE', message: 'Cannot connect to Alluxio leader master.'});
  });
});
