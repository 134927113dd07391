/**
 * `fs getfacl` / `fs setfacl` on an S3 mount (radosgw), through `bin/alluxio`: ACLs live in the metastore only,
 * so the recording proxy between our client and radosgw sees no write for them, and they are enforced on the
 * mount's paths as on any other.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {type Home, cleanupHomes, lines} from '../../helpers/cli.js';
import {expectError, expectSuccess} from '../../helpers/expect-cli.js';
import {type RecordingProxy, startRecordingProxy} from '../../helpers/recording-proxy.js';
import {emptyAndDeleteBucket, freshBucket, putObjects} from '../../helpers/s3.js';
import {guardSecrets, s3Home} from '../../helpers/s3-cli.js';
import {s3Env} from '../../helpers/s3-env.js';

guardSecrets();
afterAll(cleanupHomes);

const PRESTO = '-Dalluxio.security.login.username=presto';

describe('ACLs on an S3 mount', () => {
  let bucket: string;
  let home: Home;
  let proxy: RecordingProxy;

  beforeAll(async () => {
    ({bucket} = await freshBucket('cli-acl'));
    // Every folder has its marker, so no breadcrumb PUT can be mistaken for a write of an ACL.
    await putObjects(bucket, {'data/': '', 'data/dir/': '', 'data/dir/secret.txt': 'top secret', 'data/dir/sub/': '', 'data/dir/sub/deep.txt': 'deep'});
    proxy = await startRecordingProxy(s3Env().endpoint);
    home = s3Home({keys: 1});
    expectSuccess(await home.run(['fs', 'mkdir', '/mnt']));
    expectSuccess(
      await home.run(['fs', 'mount', '--shared', '--option', `alluxio.underfs.s3.endpoint=${proxy.url}`, '/mnt/s3', `s3://${bucket}/data`]),
    );
    // Shared: presto may go through the mount point (0700 → 0707), so the ACLs below decide.
    expectSuccess(await home.run(['fs', 'chmod', '700', '/mnt/s3/dir']));
    expectSuccess(await home.run(['fs', 'chmod', '600', '/mnt/s3/dir/secret.txt']));
  });

  afterAll(async () => {
    await proxy?.close();
    await emptyAndDeleteBucket(bucket);
  });

  it('setfacl writes nothing to the bucket; getfacl shows the entries; a named user entry lets presto read', async () => {
    const denied = await home.run(['fs', PRESTO, 'cat', '/mnt/s3/dir/secret.txt']);
    expectError(denied, /^Permission denied: user=presto, access=--x, path=\/mnt\/s3\/dir\/secret\.txt: failed at dir, /);

    proxy.clear();
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:--x', '/mnt/s3/dir']), []);
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'user:presto:r--', '/mnt/s3/dir/secret.txt']), []);
    expectSuccess(await home.run(['fs', 'setfacl', '-R', '-m', 'user:presto:r-x,default:user:presto:r-x', '/mnt/s3/dir/sub']), []);
    expectSuccess(await home.run(['fs', 'setfacl', '-x', 'user:presto', '/mnt/s3/dir/sub/deep.txt']), []);
    expect(proxy.writes().map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(proxy.requests.length).toBeGreaterThan(0);

    const acl = await home.run(['fs', 'getfacl', '/mnt/s3/dir/secret.txt']);
    expectSuccess(acl);
    expect(lines(acl.stdout).slice(1)).toEqual([expect.stringMatching(/^# owner: \S/), expect.stringMatching(/^# group: /), 'user::rw-', 'group::---', 'other::---', 'user:presto:r--', 'mask::r--']);
    const sub = await home.run(['fs', 'getfacl', '/mnt/s3/dir/sub']);
    expectSuccess(sub);
    expect(lines(sub.stdout)).toContain('default:user:presto:r-x');

    const read = await home.run(['fs', PRESTO, 'cat', '/mnt/s3/dir/secret.txt']);
    expectSuccess(read);
    expect(read.stdout).toBe('top secret');
  });

  it('a mask denies what the named entry grants', async () => {
    expectSuccess(await home.run(['fs', 'setfacl', '-m', 'mask::---', '/mnt/s3/dir/secret.txt']), []);
    expectError(
      await home.run(['fs', PRESTO, 'cat', '/mnt/s3/dir/secret.txt']),
      /^Permission denied: user=presto, access=r--, path=\/mnt\/s3\/dir\/secret\.txt: failed at secret\.txt, .* inode mode=rw-------$/,
    );
  });

  it('bad input changes nothing and sends nothing', async () => {
    const before = await home.run(['fs', 'getfacl', '/mnt/s3/dir']);
    proxy.clear();
    const r = await home.run(['fs', 'setfacl', '-m', 'user:presto:rwq', '/mnt/s3/dir']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)[0]).toBe('Invalid mode string: rwq');
    expect(proxy.requests).toEqual([]);
    expect((await home.run(['fs', 'getfacl', '/mnt/s3/dir'])).stdout).toBe(before.stdout);
  });
});
