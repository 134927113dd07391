/**
 * Every fs command's --json output against its committed schema (schemas/fs/*.json), on the local default:
 * success (one path, and a wildcard where the command takes one) on stdout, and failure as the one-line error
 * object of schemas/error.json on stderr with exit 2 (USAGE) or 255. S3-only shapes: test/integration/s3/.
 */
import {createHash} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Home, type RunResult, ME, MY_GROUP, cleanupHomes, describeResult, makeHome} from '../helpers/cli.js';
import {expectErrorJson, expectSchema} from '../helpers/json-schemas.js';

afterAll(cleanupHomes);

const MUST_CACHE = '-Dalluxio.user.file.writetype.default=MUST_CACHE';

let home: Home;

/** Files in the root under storage, seen by Alluxio as PERSISTED. */
function ufsFiles(files: Record<string, string>): void {
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(dirname(join(home.ufs, path)), {recursive: true});
    writeFileSync(join(home.ufs, path), data);
  }
}

/** `fs <args> --json`: exit 0, nothing on stderr, stdout valid against schemas/fs/<command>.json. */
async function ok(args: string[]): Promise<unknown> {
  const r = await home.run(['fs', ...args, '--json']);
  expect(r.code, describeResult(r)).toBe(0);
  expect(r.stderr, describeResult(r)).toBe('');
  const value: unknown = JSON.parse(r.stdout);
  expectSchema(`fs/${args[0]}`, value);
  return value;
}

/**
 * `fs <args> --json` that fails: exit 2 for USAGE, else 255; stderr the one-line error object of this kind; stdout
 * empty, or (partial) the results of the paths that succeeded, valid against the command's schema.
 */
async function fails(args: string[], kind: string, opts: {partial?: boolean} = {}): Promise<{r: RunResult; error: ReturnType<typeof expectErrorJson>['error']}> {
  const r = await home.run(['fs', ...args, '--json']);
  const d = describeResult(r);
  expect(r.code, d).toBe(kind === 'USAGE' ? 2 : 255);
  const {error} = expectErrorJson(r.stderr);
  expect(error.kind, d).toBe(kind);
  if (opts.partial) expectSchema(`fs/${args.find((a) => !a.startsWith('-D'))}`, JSON.parse(r.stdout));
  else expect(r.stdout, d).toBe('');
  return {r, error};
}

beforeAll(async () => {
  home = makeHome();
  ufsFiles({'p/a.txt': 'alpha\n', 'p/b.txt': 'bravo\n', 'p/sub/c.txt': 'charlie\n', 'local/one.txt': 'one\n'});
  mkdirSync(join(home.dir, 'src-dir/inner'), {recursive: true});
  writeFileSync(join(home.dir, 'src-dir/x.txt'), 'x\n');
  writeFileSync(join(home.dir, 'src-dir/inner/y.txt'), 'y\n');
});

// Each test runs a dozen commands or more, several tests at once on a busy machine.
describe.concurrent('fs --json outputs match schemas/fs/*.json', {timeout: 240_000}, () => {
  it('ls: statuses (ACL entries, pins, a file only the cache holds), also of a root; a failing path after the others', async () => {
    const r0 = await home.run(['fs', 'mkdir', '/ls/acl']);
    expect(r0.code, describeResult(r0)).toBe(0);
    for (const args of [
      ['setfacl', '-m', 'user:bob:r-x', '/ls/acl'],
      ['setfacl', '-d', '-m', 'user:bob:rwx', '/ls/acl'],
      [MUST_CACHE, 'touch', '/ls/cached'],
      ['touch', '/ls/pinned'],
      ['pin', '/ls/pinned', 'MEM'],
    ]) {
      const r = await home.run(['fs', ...args]);
      expect(r.code, describeResult(r)).toBe(0);
    }
    const listed = (await ok(['ls', '/ls'])) as Record<string, unknown>[];
    expect(listed.map((s) => s.path)).toEqual(['/ls/acl', '/ls/cached', '/ls/pinned']);
    expect(listed[0]).toHaveProperty('defaultAclEntries');
    expect(listed[1]).toMatchObject({persistenceState: 'NOT_PERSISTED', cacheHost: expect.any(String)});
    expect(listed[2]).toMatchObject({pinned: true, pinnedMedia: ['MEM']});
    await ok(['ls', '-R', '/p']);
    await ok(['ls', '-d', '/']);
    expect(await ok(['ls', '/ls/acl'])).toEqual([]);
    const {r} = await fails(['ls', '/p/a.txt', '/nope'], 'NOT_FOUND', {partial: true});
    expect((JSON.parse(r.stdout) as {path: string}[]).map((s) => s.path)).toEqual(['/p/a.txt']);
    await fails(['ls', '--sort', 'colour', '/'], 'USAGE');
  });

  it('stat: one path, a wildcard, a file id; bad and unknown ids', async () => {
    const one = (await ok(['stat', '/p/a.txt'])) as {fileId: number};
    expect(await ok(['stat', '/p/*.txt'])).toHaveLength(2);
    await ok(['stat', '--file-id', String(one.fileId)]);
    await ok(['stat', '/']);
    await fails(['stat', '--file-id', 'abc'], 'USAGE');
    await fails(['stat', '--file-id', '12345'], 'NOT_FOUND');
    await fails(['stat', '/nope'], 'NOT_FOUND');
  });

  it('checksum', async () => {
    expect(await ok(['checksum', '/p/a.txt'])).toEqual({path: '/p/a.txt', md5: createHash('md5').update('alpha\n').digest('hex')});
    expect(await ok(['checksum', '/p/*.txt'])).toHaveLength(2);
    await fails(['checksum', '/nope'], 'NOT_FOUND');
    await fails(['checksum'], 'USAGE');
  });

  it('chmod, chgrp, chown (with and without a group), one path and a wildcard', async () => {
    ufsFiles({'own/f1': '1', 'own/f2': '2'});
    expect(await ok(['chmod', '640', '/own/f1'])).toEqual({path: '/own/f1', mode: '640'});
    expect(await ok(['chmod', '7', '/own/f1'])).toEqual({path: '/own/f1', mode: '7'});
    expect(await ok(['chmod', '-R', 'u=rwx', '/own/*'])).toHaveLength(2);
    await fails(['chmod', '9z9', '/own/f1'], 'INVALID_ARGUMENT');
    await fails(['chmod', '700', '/nope'], 'NOT_FOUND');
    expect(await ok(['chgrp', 'staff', '/own/f1'])).toEqual({path: '/own/f1', group: 'staff'});
    expect(await ok(['chgrp', 'staff', '/own/*'])).toHaveLength(2);
    await fails(['chgrp', 'staff', '/nope'], 'NOT_FOUND');
    expect(await ok(['chown', ME, '/own/f1'])).toEqual({path: '/own/f1', owner: ME});
    expect(await ok(['chown', `${ME}:${MY_GROUP}`, '/own/f2'])).toEqual({path: '/own/f2', owner: ME, group: MY_GROUP});
    expect(await ok(['chown', ME, '/own/*'])).toHaveLength(2);
    await fails(['chown', ME, '/nope'], 'NOT_FOUND');
    await fails(['chown', ME], 'USAGE');
  });

  it('getfacl and setfacl', async () => {
    ufsFiles({'acl/f': 'f', 'acl/d/g': 'g'});
    expect(await ok(['setfacl', '-m', 'user:bob:r--', '/acl/f'])).toEqual({path: '/acl/f'});
    expect(await ok(['setfacl', '-m', 'user:bob:r--', '/acl/*'])).toHaveLength(2);
    await ok(['setfacl', '-d', '-m', 'user:bob:rwx', '/acl/d']);
    expect(await ok(['getfacl', '/acl/f'])).toMatchObject({defaultEntries: []});
    expect(await ok(['getfacl', '/acl/d'])).toMatchObject({defaultEntries: expect.arrayContaining(['default:user:bob:rwx'])});
    expect(await ok(['getfacl', '/acl/*'])).toHaveLength(2);
    await fails(['setfacl', '-m', 'bogus', '/acl/f'], 'USAGE');
    await fails(['setfacl', '-m', 'user:bob:r--', '/nope'], 'NOT_FOUND');
    await fails(['getfacl', '/nope'], 'NOT_FOUND');
  });

  it('count and du (each file, -s, a wildcard, an empty folder)', async () => {
    expect(await ok(['count', '/p'])).toEqual({path: '/p', files: 3, folders: 1, bytes: 20});
    await fails(['count', '/nope'], 'NOT_FOUND');
    expect(await ok(['du', '/p'])).toHaveLength(3);
    expect(await ok(['du', '-s', '/p'])).toHaveLength(1);
    expect(await ok(['du', '-s', '/p/*'])).toHaveLength(3);
    const r = await home.run(['fs', 'mkdir', '/du-empty']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(await ok(['du', '/du-empty'])).toEqual([]);
    await fails(['du', '/nope'], 'NOT_FOUND');
  });

  it('load, free, pin and unpin', async () => {
    ufsFiles({'cache/f1': '1', 'cache/f2': '2'});
    const loaded = (await ok(['load', '/cache'])) as {loaded: {top: boolean}[]};
    expect(loaded.loaded.filter((e) => e.top)).toHaveLength(1);
    await ok(['load', '/cache/f1']);
    await fails(['load', '/nope'], 'NOT_FOUND');
    expect(await ok(['pin', '/cache/f1', 'MEM'])).toEqual({path: '/cache/f1', media: ['MEM']});
    expect(await ok(['pin', '/cache/*'])).toEqual([
      {path: '/cache/f1', media: []},
      {path: '/cache/f2', media: []},
    ]);
    await fails(['pin', '/cache/f1', 'BOGUS'], 'INVALID_ARGUMENT');
    expect(await ok(['unpin', '/cache/f1'])).toEqual({path: '/cache/f1'});
    expect(await ok(['unpin', '/cache/*'])).toHaveLength(2);
    await fails(['unpin', '/nope'], 'NOT_FOUND');
    expect(await ok(['free', '/cache/f1'])).toEqual({path: '/cache/f1'});
    expect(await ok(['free', '/cache/*'])).toHaveLength(2);
    await fails(['free', '/nope'], 'NOT_FOUND');
  });

  it('load of a wildcard as a user who may not read one match: what loaded on stdout, PERMISSION_DENIED on stderr', async () => {
    ufsFiles({'lp/open/f': 'f', 'lp/closed/g': 'g'});
    const r0 = await home.run(['fs', 'chmod', '700', '/lp/closed']);
    expect(r0.code, describeResult(r0)).toBe(0);
    const {r} = await fails(['-Dalluxio.security.login.username=bob', 'load', '/lp/*'], 'PERMISSION_DENIED', {partial: true});
    expect(JSON.parse(r.stdout)).toEqual({
      loaded: [
        {path: '/lp/open/f', isDirectory: false, loaded: true, top: false},
        {path: '/lp/open', isDirectory: true, loaded: true, top: true},
      ],
    });
  });

  it('free of a wildcard with some failures: the successes on stdout, MULTIPLE on stderr', async () => {
    ufsFiles({'mixed/a-persisted': 'a'});
    for (const path of ['/mixed/b-cache-only', '/mixed/c-cache-only']) {
      const r = await home.run(['fs', MUST_CACHE, 'touch', path]);
      expect(r.code, describeResult(r)).toBe(0);
    }
    const {r, error} = await fails(['free', '/mixed/*'], 'MULTIPLE', {partial: true});
    expect(JSON.parse(r.stdout)).toEqual([{path: '/mixed/a-persisted'}]);
    expect(error).toMatchObject({
      errors: [
        {path: '/mixed/b-cache-only', kind: 'FAILED_PRECONDITION'},
        {path: '/mixed/c-cache-only', kind: 'FAILED_PRECONDITION'},
      ],
    });
  });

  it('mkdir, touch, mv and rm; mkdir prints what it made before a failure', async () => {
    expect(await ok(['mkdir', '/mk/a', '/mk/b'])).toEqual({created: ['/mk/a', '/mk/b']});
    const {r} = await fails(['mkdir', '/mk/c', '/mk/a', '/mk/d'], 'ALREADY_EXISTS', {partial: true});
    expect(JSON.parse(r.stdout)).toEqual({created: ['/mk/c']});
    await fails(['mkdir', '/mk/a'], 'ALREADY_EXISTS');
    expect(await ok(['touch', '/mk/a/f'])).toEqual({path: '/mk/a/f'});
    await fails(['touch', '/mk/a/f'], 'ALREADY_EXISTS');
    expect(await ok(['mv', '/mk/a/f', '/mk/a/g'])).toEqual({src: '/mk/a/f', dst: '/mk/a/g'});
    await fails(['mv', '/nope', '/mk/x'], 'NOT_FOUND');
    expect(await ok(['rm', '/mk/a/g'])).toEqual({path: '/mk/a/g', alluxioOnly: false});
    expect(await ok(['rm', '-R', '--alluxioOnly', '/mk/*'])).toHaveLength(3);
    await fails(['rm', '/p'], 'FAILED_PRECONDITION');
    await fails(['rm', '/mk', '/p'], 'USAGE');
  });

  it('copyFromLocal, copyToLocal and cp (a file, a folder, a wildcard counted whole)', async () => {
    const local = join(home.dir, 'src-dir');
    const file = (await ok(['copyFromLocal', join(local, 'x.txt'), '/cp/x.txt'])) as {src: string};
    expect(file).toEqual({src: `file://${join(local, 'x.txt')}`, dst: '/cp/x.txt', files: 1});
    expect(await ok(['copyFromLocal', local, '/cp/dir'])).toMatchObject({files: 2});
    await fails(['copyFromLocal', join(home.dir, 'nope'), '/cp/n'], 'NOT_FOUND');
    await fails(['copyFromLocal', '--thread', '0', local, '/cp/n'], 'USAGE');
    expect(await ok(['copyToLocal', '/cp/dir', join(home.dir, 'out-dir')])).toMatchObject({files: 2});
    expect(await ok(['copyToLocal', '/cp/x.txt', join(home.dir, 'out.txt')])).toMatchObject({files: 1});
    await fails(['copyToLocal', '/nope', join(home.dir, 'out-n')], 'NOT_FOUND');
    expect(await ok(['cp', '/cp/x.txt', '/cp/x2.txt'])).toEqual({src: '/cp/x.txt', dst: '/cp/x2.txt', files: 1});
    expect(await ok(['cp', '-R', '/cp/dir', '/cp/dir2'])).toMatchObject({files: 2});
    expect(await ok(['cp', '/p/*.txt', '/cp/star'])).toMatchObject({files: 2});
    await fails(['cp', '/nope', '/cp/n'], 'NOT_FOUND');
    await fails(['cp', '/cp/x.txt', '/cp/x2.txt'], 'ALREADY_EXISTS');
  });

  it('a copy where several files fail: MULTIPLE, one message per line', async () => {
    const local = join(home.dir, 'src-dir');
    const r0 = await home.run(['fs', 'copyFromLocal', local, '/twice']);
    expect(r0.code, describeResult(r0)).toBe(0);
    for (const args of [['copyFromLocal', local, '/twice'], ['cp', '-R', `file://${local}`, '/twice']]) {
      const {error} = await fails(args, 'MULTIPLE');
      expect(error.message.split('\n')).toHaveLength(2);
    }
    const r1 = await home.run(['fs', 'rm', '/twice/x.txt']);
    expect(r1.code, describeResult(r1)).toBe(0);
    const {error} = await fails(['copyFromLocal', local, '/twice'], 'IO');
    expect(error.message).toMatch(/^Failed to copy .*y\.txt/);
  });

  it('persist: the files persisted; failures as the error object, the persisted ones still on stdout', async () => {
    for (const path of ['/per/ok', '/blocked/a', '/blocked/b']) {
      const r = await home.run(['fs', MUST_CACHE, 'touch', path]);
      expect(r.code, describeResult(r)).toBe(0);
    }
    // A file where the under storage needs a folder: persisting below it fails.
    writeFileSync(join(home.ufs, 'blocked'), 'in the way');
    expect(await ok(['persist', '/per'])).toEqual({persisted: ['/per/ok'], failed: []});
    expect(await ok(['persist', '/per'])).toEqual({persisted: [], failed: []});
    const r = await home.run(['fs', MUST_CACHE, 'touch', '/per/again']);
    expect(r.code, describeResult(r)).toBe(0);
    const several = await fails(['persist', '/per/again', '/blocked'], 'MULTIPLE', {partial: true});
    expect(JSON.parse(several.r.stdout)).toMatchObject({persisted: ['/per/again'], failed: expect.arrayContaining(['/blocked/a', '/blocked/b'])});
    expect(several.error).toMatchObject({errors: [{kind: 'IO'}, {kind: 'IO'}]});
    const one = await fails(['persist', '/blocked/a'], 'IO', {partial: true});
    expect(JSON.parse(one.r.stdout)).toEqual({persisted: [], failed: ['/blocked/a']});
    await fails(['persist', '/nope'], 'NOT_FOUND');
  });

  it('mount (the table, a mount, a dry run), updateMount and unmount', async () => {
    const ufs = home.mkdir('ufs-m1');
    const table = (await ok(['mount'])) as {mounts: unknown[]};
    expect(table.mounts).toHaveLength(1);
    expect(await ok(['mount', '--dry-run', '/m1', ufs])).toEqual({dryRun: {alluxioPath: '/m1', ufsUri: ufs}});
    expect(await ok(['mount', '/m1', ufs])).toEqual({mounted: {alluxioPath: '/m1', ufsUri: ufs}});
    await fails(['mount', '/m1', ufs], 'ALREADY_EXISTS');
    await fails(['mount', '/m1'], 'USAGE');
    expect(await ok(['updateMount', '--readonly', '--option', 'alluxio.underfs.s3.threads.max=8', '/m1'])).toEqual({updated: {alluxioPath: '/m1', readOnly: true, shared: false}});
    const mounts = (await ok(['mount'])) as {mounts: {properties: Record<string, string>}[]};
    expect(mounts.mounts[1].properties).toEqual({'alluxio.underfs.s3.threads.max': '8'});
    await fails(['updateMount', '/p'], 'INVALID_ARGUMENT');
    expect(await ok(['unmount', '/m1'])).toEqual({path: '/m1'});
    await fails(['unmount', '/m1'], 'NOT_FOUND');
    await fails(['unmount', '/p'], 'INVALID_ARGUMENT');
  });

  it('cleanup (a local mount is skipped), with --dry-run; a bad duration', async () => {
    const result = (await ok(['cleanup'])) as {mounts: {skipped?: string}[]};
    expect(result.mounts[0].skipped).toMatch(/local/);
    await ok(['cleanup', '--dry-run', '--older-than', '0']);
    await fails(['cleanup', '--older-than', 'xx'], 'USAGE');
    await fails(['cleanup', '/nope'], 'INVALID_ARGUMENT');
  });
});
