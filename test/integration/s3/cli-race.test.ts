/**
 * One writer per path on an S3 mount: 8 `bin/alluxio` processes racing to create one path (copyFromLocal of
 * different contents with each write type, mkdir, mv) leave exactly one winner; the seven others fail with the
 * "already exists" line, exit 255, before sending any data, and the object holds exactly the winner's bytes.
 */
import {GetObjectCommand, ListMultipartUploadsCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, cleanupHomes, describeResult, lines} from '../../helpers/cli.js';
import {expectSuccess} from '../../helpers/expect-cli.js';
import {expectOneWinner, race, randomFiles, sha256} from '../../helpers/race.js';
import {emptyAndDeleteBucket, freshBucket, listAllKeys, putObjects, requestLog, s3Client} from '../../helpers/s3.js';
import {guardSecrets, s3Home} from '../../helpers/s3-cli.js';

guardSecrets();
afterAll(cleanupHomes);

const RACERS = 8;
/** Each upload lasts longer than the other processes take to start: without claims, several "succeed". */
const FILE_BYTES = 16 * 1024 * 1024;

async function objectSha(bucket: string, key: string): Promise<string> {
  const out = await s3Client().send(new GetObjectCommand({Bucket: bucket, Key: key}));
  return sha256(Buffer.from(await out.Body!.transformToByteArray()));
}

describe(`${RACERS} processes creating one path of an S3 mount at once`, () => {
  let bucket: string;
  let home: Home;
  let sources: {path: string; sha: string}[];

  beforeAll(async () => {
    ({bucket} = await freshBucket('cli-race'));
    await putObjects(bucket, {'data/': ''});
    home = s3Home({keys: 1});
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(await home.run(['fs', 'mount', '/mnt/s3', `s3://${bucket}/data`]));
    sources = randomFiles(home.mkdir('racers'), RACERS, FILE_BYTES);
  });

  afterAll(async () => {
    await emptyAndDeleteBucket(bucket);
  });

  it.each(['MUST_CACHE', 'CACHE_THROUGH', 'THROUGH', 'ASYNC_THROUGH'])(
    'copyFromLocal %s: one copies, seven are told the file exists and upload nothing',
    async (writeType) => {
      const dst = `/mnt/s3/race-${writeType}`;
      const key = `data/race-${writeType}`;
      const log = requestLog({bucket});
      const results = await race(
        home,
        sources.map((src) => ['fs', `-Dalluxio.user.file.writetype.default=${writeType}`, 'copyFromLocal', src.path, dst]),
      );
      const winner = expectOneWinner(results, () => `Not allowed to create file because path already exists: ${dst}`);
      expect(lines(results[winner].stdout)).toEqual([`Copied file://${sources[winner].path} to ${dst}`]);
      // One upload at most (none for MUST_CACHE), and no multipart upload left behind.
      const puts = (await log.writes()).filter((e) => e.method === 'PUT' && e.uri.split('?')[0] === `/${bucket}/${key}`);
      expect(puts).toHaveLength(writeType === 'MUST_CACHE' ? 0 : 1);
      expect((await s3Client().send(new ListMultipartUploadsCommand({Bucket: bucket}))).Uploads ?? []).toEqual([]);

      const cat = await home.run(['fs', 'cat', dst]);
      expect(cat.code, describeResult(cat)).toBe(0);
      expect(sha256(cat.stdoutBytes)).toBe(sources[winner].sha);
      if (writeType !== 'MUST_CACHE') expect(await objectSha(bucket, key)).toBe(sources[winner].sha);
    },
    180_000,
  );

  it('mkdir THROUGH: one creates the directory, seven are told it exists', async () => {
    const results = await race(
      home,
      Array.from({length: RACERS}, () => ['fs', '-Dalluxio.user.file.writetype.default=THROUGH', 'mkdir', '/mnt/s3/race-dir']),
    );
    const winner = expectOneWinner(results, () => 'Not allowed to create directory because path already exists: /mnt/s3/race-dir');
    expect(lines(results[winner].stdout)).toEqual(['Successfully created directory /mnt/s3/race-dir']);
    expect(await listAllKeys(bucket, {prefix: 'data/race-dir'})).toEqual(['data/race-dir/']);
  }, 120_000);

  it('mv: one renames onto the destination, seven are told it exists and keep their sources', async () => {
    const srcs = sources.map((_, i) => `/mnt/s3/mv-src-${i}`);
    await putObjects(bucket, Object.fromEntries(sources.map((src, i) => [`data/mv-src-${i}`, src.sha])));
    const results = await race(home, srcs.map((src) => ['fs', 'mv', src, '/mnt/s3/mv-dst']));
    const winner = expectOneWinner(
      results,
      (i) => `Cannot rename because destination already exists. src: ${srcs[i]} dst: /mnt/s3/mv-dst`,
    );
    expect(lines(results[winner].stdout)).toEqual([`Renamed ${srcs[winner]} to /mnt/s3/mv-dst`]);
    expect(await objectSha(bucket, 'data/mv-dst')).toBe(sha256(Buffer.from(sources[winner].sha)));
    const keys = await listAllKeys(bucket, {prefix: 'data/mv-'});
    expect(keys).toEqual(['data/mv-dst', ...srcs.flatMap((_, i) => (i === winner ? [] : [`data/mv-src-${i}`]))].sort());
  }, 120_000);
});
