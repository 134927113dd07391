import {type Server, createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';

import {Configuration} from '../../../src/conf/configuration.js';
import {AlluxioError} from '../../../src/errors.js';
import {CANNOT_CONNECT, fetchMasterInfo, masterWebAddress} from '../../../src/master/client.js';

function conf(values: Record<string, string>): Configuration {
  const c = new Configuration();
  for (const [k, v] of Object.entries(values)) c.set(k, v);
  return c;
}

describe('masterWebAddress', () => {
  it('web hostname, else master hostname (not localhost), else the bind host, else loopback', () => {
    expect(masterWebAddress(conf({}))).toEqual({host: '127.0.0.1', port: 19999});
    expect(masterWebAddress(conf({'alluxio.master.web.port': '20001'}))).toEqual({host: '127.0.0.1', port: 20001});
    expect(masterWebAddress(conf({'alluxio.master.web.bind.host': '0.0.0.0'})).host).toBe('127.0.0.1');
    expect(masterWebAddress(conf({'alluxio.master.web.bind.host': '10.1.2.3'})).host).toBe('10.1.2.3');
    expect(masterWebAddress(conf({'alluxio.master.hostname': 'localhost'})).host).toBe('127.0.0.1');
    expect(masterWebAddress(conf({'alluxio.master.hostname': 'm1', 'alluxio.master.web.bind.host': '10.1.2.3'})).host).toBe('m1');
    expect(masterWebAddress(conf({'alluxio.master.hostname': 'm1', 'alluxio.master.web.hostname': 'web1'})).host).toBe('web1');
  });
});

describe('fetchMasterInfo', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  const INFO = {
    capacity: {total: 1, used: 0}, configuration: {}, lostWorkers: [], metrics: {}, mountPoints: {},
    rpcAddress: 'localhost/127.0.0.1:19998', startTimeMs: 1, uptimeMs: 2, version: '2.9.0', tierCapacity: {},
    ufsCapacity: {total: -1, used: -1}, workers: [],
  };

  async function cannotConnect(promise: Promise<unknown>): Promise<string> {
    const e = await promise.then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(AlluxioError);
    expect((e as AlluxioError).message).toBe(CANNOT_CONNECT);
    expect((e as AlluxioError).exitCode).toBe(255);
    return (e as AlluxioError).hint ?? '';
  }

  it('reads the info of a master', async () => {
    let asked = '';
    const port = await serve((req, res) => {
      asked = req.url ?? '';
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(INFO));
    });
    expect(await fetchMasterInfo({host: '127.0.0.1', port})).toEqual(INFO);
    expect(asked).toBe('/api/v1/master/info');
  });

  it('nothing listening: cannot connect, the hint names the address', async () => {
    const port = await serve(() => undefined);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    expect(await cannotConnect(fetchMasterInfo({host: '127.0.0.1', port}))).toMatch(`No master answers at http://127.0.0.1:${port}:`);
  });

  it('a server that never answers: cannot connect after the timeout', async () => {
    const port = await serve(() => undefined);
    const started = Date.now();
    expect(await cannotConnect(fetchMasterInfo({host: '127.0.0.1', port}, 300))).toMatch('No master answered within 0.3 s');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a server that sends headers and then nothing: cannot connect after the timeout', async () => {
    const port = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'application/json'});
      res.write('{"rpcAddress":');
    });
    expect(await cannotConnect(fetchMasterInfo({host: '127.0.0.1', port}, 300))).toMatch('No master answered within 0.3 s');
  });

  it.each([
    ['HTML', 200, '<html></html>'],
    ['other JSON', 200, JSON.stringify({hello: 'world'})],
    ['an error', 500, JSON.stringify({statusCode: 'INTERNAL', message: 'x'})],
    ['workers without addresses', 200, JSON.stringify({...INFO, workers: [{id: 1}]})],
  ])('%s is not our master', async (_name, status, body) => {
    const port = await serve((_req, res) => {
      res.statusCode = status;
      res.end(body);
    });
    expect(await cannotConnect(fetchMasterInfo({host: '127.0.0.1', port}))).toMatch('Something that is not an Alluxio master answers');
  });
});
