/**
 * 403 answers from S3 as the user sees them (DESIGN "Errors and output", "Display rule"): the message names the
 * operation, the object as s3://bucket/key, the HTTP status and S3 error code, the credential level and the
 * access key id masked to its last four characters, with a Hint line; the secret never appears anywhere.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {Configuration} from '../../../src/conf/configuration.js';
import {createS3UnderFileSystem} from '../../../src/ufs/s3/index.js';
import {type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {type S3Fs, collect, openS3Fs, operationOf, s3Mount, s3Options} from '../../helpers/s3-fs.js';
import {s3Env} from '../../helpers/s3-env.js';
import {emptyAndDeleteBucket, freshBucket, putObjects} from '../../helpers/s3.js';
import {errorOf} from '../../helpers/unit-fs.js';

const WRONG_SECRET = 'Wr0ngSecretThatMustNeverBeShown0000000042';
const UNKNOWN_KEY = 'AKIAUNKNOWNUSER09999';
/** The Hint line of a 403 under a mount of the bucket root. */
const hintFor = (bucket: string) =>
  "Check the credentials and the user's permissions on the bucket and its objects; for a read-only user, mount with " +
  `--readonly. Run "alluxio doctor s3 s3://${bucket}/" for details.`;
const MASKED = '****************0001';

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every text a user could see of an error: message, hint, the rendered error and its causes, plus warnings. */
function visibleText(err: Error & {hint?: string}, warnings: string[] = []): string {
  const parts: string[] = [String(err), err.message, err.hint ?? '', ...warnings];
  for (let cause = (err as {cause?: unknown}).cause; cause; cause = (cause as {cause?: unknown}).cause) parts.push(String(cause));
  return parts.join('\n');
}

describe('S3 403 errors', () => {
  let bucket: string;
  let proxy: RecordingProxy;
  const opened: S3Fs[] = [];

  async function fsWith(options: Parameters<typeof openS3Fs>[0]): Promise<S3Fs> {
    const t = await openS3Fs(options);
    opened.push(t);
    return t;
  }

  beforeAll(async () => {
    ({bucket} = await freshBucket('fs-errors'));
    await putObjects(bucket, ['dir/', 'dir/file.txt']);
    expect(s3Env().accessKey.endsWith('0001')).toBe(true);
    proxy = await startRecordingProxy(s3Env().endpoint);
  });

  afterAll(async () => {
    for (const t of opened) await t.close().catch(() => undefined);
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it('a wrong secret when mounting: ListObjectsV2, s3://bucket/, 403 SignatureDoesNotMatch, mount option level, masked key, hint', async () => {
    const t = await fsWith({});
    const err = await errorOf(() => t.fs.mount('/mnt/bad', `s3://${bucket}/`, s3Mount({options: {'s3a.secretKey': WRONG_SECRET}})));
    expect(err.kind).toBe('PERMISSION_DENIED');
    expect(err.message).toBe(
      `S3 denied ListObjectsV2 on s3://${bucket}/ (HTTP 403 SignatureDoesNotMatch) for access key ${MASKED} from mount option of /mnt/bad`,
    );
    expect(err.hint).toBe(hintFor(bucket));
    expect(visibleText(err, t.warnings)).not.toContain(WRONG_SECRET);
    expect((await t.fs.listMounts()).map((m) => m.alluxioPath)).toEqual(['/']);
  });

  it('a wrong secret on an object and a listing (UFS level): the key is named', async () => {
    const conf = new Configuration().withMountOptions(s3Options({options: {'s3a.secretKey': WRONG_SECRET}}), '/mnt/s3');
    const warnings: string[] = [];
    const ufs = await createS3UnderFileSystem(`s3://${bucket}/`, conf, {readOnly: false, warn: (w) => warnings.push(w)});
    try {
      const read = await errorOf(() => ufs.open(`s3://${bucket}/dir/file.txt`));
      expect(read.message).toBe(
        `S3 denied GetObject on s3://${bucket}/dir/file.txt (HTTP 403 SignatureDoesNotMatch) for access key ${MASKED} from mount option of /mnt/s3`,
      );
      expect(read.hint).toBe(hintFor(bucket));
      const list = await errorOf(() => collect(ufs.listStatus(`s3://${bucket}/dir`, {recursive: false})));
      expect(list.message).toMatch(
        new RegExp(`^S3 denied (ListObjectsV2 on s3://${escapeRe(bucket)}/dir/|(ListBuckets|GetBucketAcl) on s3://${escapeRe(bucket)}/) \\(HTTP 403 SignatureDoesNotMatch\\)`),
      );
      expect(list.message).toContain(`for access key ${MASKED} from mount option of /mnt/s3`);
      const mkdir = await errorOf(() => ufs.mkdirs(`s3://${bucket}/newdir`, {createParent: true}));
      expect(mkdir.message).toContain(`s3://${bucket}/newdir`);
      expect(mkdir.message).toContain('HTTP 403');
      expect(mkdir.message).toContain(`access key ${MASKED} from mount option of /mnt/s3`);
      for (const e of [read, list, mkdir]) {
        expect(visibleText(e, warnings)).not.toContain(WRONG_SECRET);
        expect(visibleText(e, warnings)).not.toContain(s3Env().secretKey);
      }
    } finally {
      await ufs.close();
    }
  });

  it('a wrong secret through the FileSystem (S3 root mount): stat and ls / name the refused request', async () => {
    const t = await fsWith({rootUfs: `s3://${bucket}/`, rootOptions: s3Options({endpoint: proxy.url, options: {'s3a.secretKey': WRONG_SECRET}})});
    const b = escapeRe(bucket);
    const who = ` for access key \\*{16}0001 from mount option of /$`;
    /** The operation of the last request the gateway refused with 403, as seen on the wire. */
    const refused = () => operationOf(proxy.requests.filter((r) => r.status === 403).at(-1)!);

    // The object's own request (a HEAD answer has no body, hence no S3 error code), or the account / bucket ACL
    // call that comes first when the mount's owner/group/mode are worked out.
    proxy.clear();
    const stat = await errorOf(() => t.fs.getStatus('/dir/file.txt'));
    expect(stat.kind).toBe('PERMISSION_DENIED');
    expect(stat.message).toMatch(
      new RegExp(`^S3 denied (HeadObject on s3://${b}/dir/file\\.txt \\(HTTP 403 \\w+\\)|(ListBuckets|GetBucketAcl) on s3://${b}/ \\(HTTP 403 SignatureDoesNotMatch\\))${who}`),
    );
    expect(stat.message.split(' ')[2]).toBe(refused());
    expect(stat.hint).toBe(hintFor(bucket));

    proxy.clear();
    const list = await errorOf(() => collect(t.fs.list('/', {recursive: false})));
    expect(list.message).toMatch(new RegExp(`^S3 denied (ListObjectsV2|ListBuckets|GetBucketAcl) on s3://${b}/ \\(HTTP 403 SignatureDoesNotMatch\\)${who}`));
    if (proxy.requests.length > 0) expect(list.message.split(' ')[2]).toBe(refused());
    expect(list.hint).toBe(hintFor(bucket));
    for (const e of [stat, list]) expect(visibleText(e, t.warnings)).not.toContain(WRONG_SECRET);
  });

  it('closing the FileSystem after such a failure does not throw the failure again', async () => {
    const t = await fsWith({rootUfs: `s3://${bucket}/`, rootOptions: s3Options({options: {'s3a.secretKey': WRONG_SECRET}})});
    expect((await errorOf(() => t.fs.getStatus('/dir/file.txt'))).kind).toBe('PERMISSION_DENIED');
    await expect(t.close()).resolves.toBeUndefined();
  });

  it('keys set as properties (not mount options): the level says so', async () => {
    const t = await fsWith({
      rootUfs: `s3://${bucket}/`,
      rootOptions: {'alluxio.underfs.s3.endpoint': s3Env().endpoint, 'alluxio.underfs.s3.disable.dns.buckets': 'true'},
      conf: {'s3a.accessKeyId': s3Env().accessKey, 's3a.secretKey': WRONG_SECRET},
    });
    const list = await errorOf(() => collect(t.fs.list('/', {recursive: false})));
    expect(list.message).toMatch(
      new RegExp(`^S3 denied (ListObjectsV2|ListBuckets|GetBucketAcl) on s3://${escapeRe(bucket)}/ \\(HTTP 403 SignatureDoesNotMatch\\) for access key \\*{16}0001 from system property`),
    );
    expect(visibleText(list, t.warnings)).not.toContain(WRONG_SECRET);
  });

  it('an unknown access key: 403 InvalidAccessKeyId, the key id masked', async () => {
    const t = await fsWith({});
    const err = await errorOf(() =>
      t.fs.mount('/mnt/unknown', `s3://${bucket}/`, s3Mount({options: {'s3a.accessKeyId': UNKNOWN_KEY, 's3a.secretKey': WRONG_SECRET}})),
    );
    expect(err.message).toBe(
      `S3 denied ListObjectsV2 on s3://${bucket}/ (HTTP 403 InvalidAccessKeyId) for access key ****************9999 from mount option of /mnt/unknown`,
    );
    expect(err.hint).toBe(hintFor(bucket));
    const text = visibleText(err, t.warnings);
    expect(text).not.toContain(WRONG_SECRET);
    expect(text).not.toContain(UNKNOWN_KEY);
  });

  it('the mount table never shows a secret', async () => {
    const t = await fsWith({});
    await t.fs.mount('/mnt/ok', `s3://${bucket}/dir`, s3Mount());
    const [, ok] = await t.fs.listMounts();
    expect(ok!.properties['s3a.secretKey']).toBe('******');
    expect(ok!.properties['s3a.accessKeyId']).toBe('******');
    expect(JSON.stringify(await t.fs.listMounts())).not.toContain(s3Env().secretKey);
  });
});
