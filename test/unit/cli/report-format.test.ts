import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {
  compareTierNames,
  formatCapacityReport,
  formatMetrics,
  formatSummary,
  formatUfsReport,
  formatUptime,
  selectWorkers,
} from '../../../src/cli/report-format.js';
import type {AlluxioMasterInfo, WorkerInfo} from '../../../src/master/webui/types.js';

const MB = 2 ** 20;
const GB = 2 ** 30;

const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

function worker(host: string, lastContactSec: number, capacity: Record<string, number>, used: Record<string, number>): WorkerInfo {
  const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
  return {
    id: lastContactSec,
    address: {host, containerHost: '', rpcPort: 29999, dataPort: 29999, webPort: 30000, domainSocketPath: '', tieredIdentity: {tiers: []}},
    lastContactSec,
    state: 'In Service',
    capacityBytes: sum(capacity),
    usedBytes: sum(used),
    startTimeMs: 0,
    capacityBytesOnTiers: capacity,
    usedBytesOnTiers: used,
    blockCount: 0,
  };
}

function info(overrides: Partial<AlluxioMasterInfo> = {}): AlluxioMasterInfo {
  return {
    capacity: {total: GB, used: 0},
    configuration: {},
    lostWorkers: [],
    metrics: {},
    mountPoints: {},
    rpcAddress: 'localhost/127.0.0.1:19998',
    startTimeMs: Date.UTC(2022, 11, 7, 6, 25, 0, 123),
    uptimeMs: (5 * 60 + 3) * 1000 + 999,
    version: '2.9.0',
    tierCapacity: {MEM: {total: GB, used: 0}},
    ufsCapacity: {total: -1, used: -1},
    workers: [worker('localhost', 0, {MEM: GB}, {MEM: 0})],
    ...overrides,
  };
}

describe('report summary (facts §5.1)', () => {
  it("prints Alluxio's lines, trailing space of the title included", () => {
    expect(formatSummary(info(), {webPort: 19999, datePattern: 'MM-dd-yyyy HH:mm:ss:SSS'})).toEqual([
      'Alluxio cluster summary: ',
      '    Master Address: localhost/127.0.0.1:19998',
      '    Web Port: 19999',
      '    Rpc Port: 19998',
      '    Started: 12-07-2022 06:25:00:123',
      '    Uptime: 0 day(s), 0 hour(s), 5 minute(s), and 3 second(s)',
      '    Version: 2.9.0',
      '    Safe Mode: false',
      '    Zookeeper Enabled: false',
      '    Raft-based Journal: false',
      '    Live Workers: 1',
      '    Lost Workers: 0',
      '    Total Capacity: 1024.00MB',
      '        Tier: MEM  Size: 1024.00MB',
      '    Used Capacity: 0B',
      '        Tier: MEM  Size: 0B',
      '    Free Capacity: 1024.00MB',
    ]);
  });

  it('orders tiers MEM, SSD, HDD, then the others A-Z, and uses the given ports, pattern and counts', () => {
    const lines = formatSummary(
      info({
        rpcAddress: 'master.example/10.0.0.5:20998',
        capacity: {total: 15 * GB, used: 3 * GB},
        tierCapacity: {
          ZETA: {total: GB, used: 0},
          HDD: {total: 10 * GB, used: 2 * GB},
          MEM: {total: GB, used: GB},
          ALPHA: {total: GB, used: 0},
          SSD: {total: 2 * GB, used: 0},
        },
        workers: [],
        lostWorkers: [worker('a', 400, {}, {}), worker('b', 500, {}, {})],
        uptimeMs: ((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000,
      }),
      {webPort: 41234, datePattern: 'yyyy/MM/dd'},
    );
    expect(lines.slice(1, 6)).toEqual([
      '    Master Address: master.example/10.0.0.5:20998',
      '    Web Port: 41234',
      '    Rpc Port: 20998',
      '    Started: 2022/12/07',
      '    Uptime: 2 day(s), 3 hour(s), 4 minute(s), and 5 second(s)',
    ]);
    expect(lines.slice(10)).toEqual([
      '    Live Workers: 0',
      '    Lost Workers: 2',
      '    Total Capacity: 15.00GB',
      '        Tier: MEM  Size: 1024.00MB',
      '        Tier: SSD  Size: 2048.00MB',
      '        Tier: HDD  Size: 10.00GB',
      '        Tier: ALPHA  Size: 1024.00MB',
      '        Tier: ZETA  Size: 1024.00MB',
      '    Used Capacity: 3072.00MB',
      '        Tier: MEM  Size: 1024.00MB',
      '        Tier: SSD  Size: 0B',
      '        Tier: HDD  Size: 2048.00MB',
      '        Tier: ALPHA  Size: 0B',
      '        Tier: ZETA  Size: 0B',
      '    Free Capacity: 12.00GB',
    ]);
  });

  it('compareTierNames and formatUptime', () => {
    expect(['b', 'HDD', 'A', 'SSD', 'MEM', 'a'].sort(compareTierNames)).toEqual(['MEM', 'SSD', 'HDD', 'A', 'a', 'b']);
    expect(formatUptime(0)).toBe('0 day(s), 0 hour(s), 0 minute(s), and 0 second(s)');
    expect(formatUptime(86_399_999)).toBe('0 day(s), 23 hour(s), 59 minute(s), and 59 second(s)');
    expect(formatUptime(400 * 86_400_000)).toBe('400 day(s), 0 hour(s), 0 minute(s), and 0 second(s)');
  });
});

describe('report ufs (facts §5.2)', () => {
  it('pads the URI and mount point columns, two spaces around "on", percentage only with a known capacity', () => {
    expect(
      formatUfsReport({
        '/': {mountId: 1, ufsUri: 's3://bkt/data', ufsType: 's3', ufsCapacityBytes: -1, ufsUsedBytes: -1, readOnly: false, properties: {}, shared: false},
        '/mnt/local': {
          mountId: 2,
          ufsUri: '/srv/x',
          ufsType: 'local',
          ufsCapacityBytes: 100 * GB,
          ufsUsedBytes: 25 * GB,
          readOnly: true,
          properties: {'aws.accessKeyId': '******', 'alluxio.underfs.s3.endpoint': 'http://127.0.0.1:7480'},
          shared: true,
        },
      }),
    ).toEqual([
      'Alluxio under storage system information:',
      's3://bkt/data  on  /           (s3, capacity=-1B, used=-1B, not read-only, not shared, properties={})',
      '/srv/x         on  /mnt/local  (local, capacity=100.00GB, used=25.00GB(25%), read-only, shared, ' +
        'properties={aws.accessKeyId=******, alluxio.underfs.s3.endpoint=http://127.0.0.1:7480})',
    ]);
  });
});

describe('report capacity (facts §5.3)', () => {
  it("single tier: Alluxio's unit-test layout", () => {
    const w = worker('215.42.95.24', 953, {RAM: 10_000_000_000}, {RAM: 500_000_000});
    expect(formatCapacityReport([w], 'all')).toEqual([
      'Capacity information for all workers: ',
      '    Total Capacity: 9.31GB',
      '        Tier: RAM  Size: 9.31GB',
      '    Used Capacity: 476.84MB',
      '        Tier: RAM  Size: 476.84MB',
      '    Used Percentage: 5%',
      '    Free Percentage: 95%',
      '',
      'Worker Name      Last Heartbeat   Storage       RAM',
      '215.42.95.24     953              capacity      9.31GB',
      '                                  used          476.84MB (5%)',
    ]);
  });

  it('several tiers: a Total column, one padded column per tier, "-" where a worker lacks one, wide names', () => {
    const long = worker('worker-with-a-long-name', 3, {SSD: 10 * GB, MEM: GB}, {MEM: 512 * MB, SSD: 0});
    const short = worker('short', 1, {MEM: 2 * GB}, {MEM: GB});
    const lines = formatCapacityReport(selectWorkers(info({workers: [long], lostWorkers: [short]}), 'all'), 'all');
    expect(lines).toEqual([
      'Capacity information for all workers: ',
      '    Total Capacity: 13.00GB',
      '        Tier: MEM  Size: 3072.00MB',
      '        Tier: SSD  Size: 10.00GB',
      '    Used Capacity: 1536.00MB',
      '        Tier: MEM  Size: 1536.00MB',
      '        Tier: SSD  Size: 0B',
      '    Used Percentage: 11%',
      '    Free Percentage: 89%',
      '',
      'Worker Name                  Last Heartbeat   Storage       Total            MEM           SSD           ',
      'short                        1                capacity      2048.00MB        2048.00MB     -             ',
      '                                              used          1024.00MB (50%)  1024.00MB     -             ',
      'worker-with-a-long-name      3                capacity      11.00GB          1024.00MB     10.00GB       ',
      '                                              used          512.00MB (4%)    512.00MB      0B            ',
    ]);
  });

  it('a name of exactly 16 characters widens the column to 21', () => {
    const lines = formatCapacityReport([worker('sixteen-chars-ok', 0, {MEM: 0}, {MEM: 0})], 'live');
    expect(lines).toEqual([
      'Capacity information for live workers: ',
      '    Total Capacity: 0B',
      '        Tier: MEM  Size: 0B',
      '    Used Capacity: 0B',
      '        Tier: MEM  Size: 0B',
      '',
      'Worker Name           Last Heartbeat   Storage       MEM',
      'sixteen-chars-ok      0                capacity      0B',
      '                                       used          0B',
    ]);
  });

  it('selects live, lost or named workers, sorted by seconds since the last heartbeat', () => {
    const a = worker('a', 30, {MEM: GB}, {MEM: 0});
    const b = worker('b', 10, {MEM: GB}, {MEM: 0});
    const c = worker('c', 20, {MEM: GB}, {MEM: 0});
    const all = info({workers: [a, b], lostWorkers: [c]});
    const hosts = (ws: WorkerInfo[]) => ws.map((w) => w.address.host);
    expect(hosts(selectWorkers(all, 'all'))).toEqual(['b', 'c', 'a']);
    expect(hosts(selectWorkers(all, 'live'))).toEqual(['b', 'a']);
    expect(hosts(selectWorkers(all, 'lost'))).toEqual(['c']);
    expect(hosts(selectWorkers(all, 'specified', ['a', 'c', 'nope']))).toEqual(['c', 'a']);
    expect(formatCapacityReport(selectWorkers(all, 'specified', ['nope']), 'specified')).toEqual(['No workers found.']);
    expect(formatCapacityReport(selectWorkers(all, 'specified', ['a']), 'specified')[0]).toBe('Capacity information for specified workers: ');
  });
});

describe('report metrics', () => {
  it('one line per metric, sorted, FilesPinned a gauge', () => {
    expect(formatMetrics({'Master.FilesCreated': 12, 'Master.FilesPinned': 0, 'Master.DirectoriesCreated': 3})).toEqual([
      'Master.DirectoriesCreated  (Type: COUNTER, Value: 3)',
      'Master.FilesCreated  (Type: COUNTER, Value: 12)',
      'Master.FilesPinned  (Type: GAUGE, Value: 0)',
    ]);
  });
});
