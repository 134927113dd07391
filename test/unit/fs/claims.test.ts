/**
 * One writer per path, through the real FileSystem: two FileSystems on the same folders play two processes (one
 * metastore, one UFS folder); their writes race on purpose, with sources that take their time.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {setTimeout as sleep} from 'node:timers/promises';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

import {withClaim} from '../../../src/fs/claims.js';
import {alreadyExistsOnCreate} from '../../../src/fs/guards.js';
import {copyFromLocal} from '../../../src/fs/local-copy.js';
import {WRITE_TYPES, type WriteType} from '../../../src/fs/types.js';
import {type FsFolders, type FsOptions, type OpenedFs, errorOf, makeFolders, openFs, readAll, removeFolders} from '../../helpers/unit-fs.js';

let folders: FsFolders;
let a: OpenedFs;
let b: OpenedFs;

const LEASE = 'alluxio.user.file.persistence.lease.duration';

async function open(options: FsOptions = {}): Promise<void> {
  a = await openFs(folders, options);
  b = await openFs(folders, options);
}

beforeEach(async () => {
  folders = await makeFolders('fs-claims-');
  await open();
});
afterEach(async () => {
  await a.store.close();
  await b.store.close();
  await removeFolders(folders);
});

/** `content` in `chunks` pieces, `delayMs` apart: a write that is still going on when the other writer comes. */
function slowly(content: string, delayMs: number, chunks = 4): Readable {
  const size = Math.ceil(content.length / chunks);
  return Readable.from(
    (async function* () {
      for (let i = 0; i < content.length; i += size) {
        await sleep(delayMs);
        yield Buffer.from(content.slice(i, i + size));
      }
    })(),
  );
}

const create = (fs: OpenedFs, path: string, content: string, writeType: WriteType, delayMs = 50) =>
  fs.fs.createFile(path, slowly(content, delayMs), {length: content.length, recursive: true, writeType});

const settle = (...work: Promise<unknown>[]) => Promise.allSettled(work);
const messages = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message));

async function content(fs: OpenedFs, path: string): Promise<string> {
  return readAll((await fs.fs.open(path, 'NO_CACHE')).stream);
}

describe('racing creates of one path', () => {
  it.each(WRITE_TYPES)('%s: one succeeds, the other is told the path exists, and the file is the winner\'s', async (writeType) => {
    const results = messages(await settle(create(a, '/d/f', 'from a', writeType), create(b, '/d/f', 'from b', writeType)));
    expect([...results].sort()).toEqual(['Not allowed to create file because path already exists: /d/f', 'ok']);
    const winner = results[0] === 'ok' ? 'from a' : 'from b';
    expect(await content(b, '/d/f')).toBe(winner);
    // Both close as processes do on exit (ASYNC_THROUGH persists then): the under storage has the winner's bytes.
    await a.fs.close();
    await b.fs.close();
    await open();
    if (writeType !== 'MUST_CACHE') expect(readFileSync(join(folders.ufs, 'd/f'), 'utf8')).toBe(winner);
  });

  it('also within one process, and for a file against a directory', async () => {
    const results = messages(
      await settle(
        create(a, '/x', 'first', 'THROUGH'),
        create(a, '/x', 'second', 'THROUGH'),
        a.fs.mkdir('/x', {recursive: true, writeType: 'THROUGH'}),
      ),
    );
    const refusals = [
      'Not allowed to create file because path already exists: /x',
      'Not allowed to create file because path already exists: /x',
      'Not allowed to create directory because path already exists: /x',
    ];
    const winner = results.indexOf('ok');
    expect(results).toEqual(refusals.map((refusal, i) => (i === winner ? 'ok' : refusal)));
    const status = await a.fs.getStatus('/x');
    if (winner === 2) expect(status.isDirectory).toBe(true);
    else expect(readFileSync(join(folders.ufs, 'x'), 'utf8')).toBe(['first', 'second'][winner]);
  });

  it('mkdir: one succeeds', async () => {
    const results = await settle(
      a.fs.mkdir('/dir', {recursive: true, writeType: 'THROUGH'}),
      b.fs.mkdir('/dir', {recursive: true, writeType: 'THROUGH'}),
    );
    // either may win, exactly one does
    expect(messages(results).sort()).toEqual(['Not allowed to create directory because path already exists: /dir', 'ok']);
  });

  it('mv: of two renames to one destination one succeeds, the other source stays', async () => {
    writeFileSync(join(folders.ufs, 's1'), 'one');
    writeFileSync(join(folders.ufs, 's2'), 'two');
    const results = await settle(a.fs.rename('/s1', '/dst'), b.fs.rename('/s2', '/dst'));
    // either may win, exactly one does; the loser's source stays
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    const [won, lost] = winner === 0 ? [['s1', 'one'], ['s2', 'two']] : [['s2', 'two'], ['s1', 'one']];
    expect(messages(results).sort()).toEqual([`Cannot rename because destination already exists. src: /${lost[0]} dst: /dst`, 'ok']);
    expect(readFileSync(join(folders.ufs, 'dst'), 'utf8')).toBe(won[1]);
    expect(readFileSync(join(folders.ufs, lost[0]), 'utf8')).toBe(lost[1]);
  });
});

describe('claims', () => {
  it('are renewed while a write takes longer than the lease, and lapse when their writer is gone', async () => {
    await a.store.close();
    await b.store.close();
    await open({conf: {[LEASE]: '300ms'}});
    const slow = create(a, '/slow', 'slow data', 'THROUGH', 300);
    await sleep(900);
    const e = await errorOf(() => create(b, '/slow', 'late', 'THROUGH', 0));
    expect(e.message).toBe('Not allowed to create file because path already exists: /slow');
    await slow;
    expect(await content(b, '/slow')).toBe('slow data');

    // A writer that died holding a claim: refused until its lease has passed.
    expect(await b.store.tryClaimPath('/orphan', 'dead-writer', {viewedAt: 0, now: Date.now(), ttlMs: 300})).toBe(true);
    const refused = await errorOf(() => create(b, '/orphan', 'x', 'THROUGH', 0));
    expect(refused.message).toBe('Not allowed to create file because path already exists: /orphan');
    await sleep(350);
    await create(b, '/orphan', 'x', 'THROUGH', 0);
    expect(await content(b, '/orphan')).toBe('x');
  });

  it('refuse a writer that saw the path missing before another one created it', async () => {
    const viewedAt = Date.now();
    await create(a, '/f', 'from a', 'THROUGH', 0);
    const refused = () => alreadyExistsOnCreate('/f', false);
    let wrote = false;
    const e = await errorOf(() => withClaim(b.ctx, '/f', viewedAt, refused, async () => void (wrote = true)));
    expect(e.message).toBe('Not allowed to create file because path already exists: /f');
    expect(wrote).toBe(false);
    // One that looked later and saw nothing (it was removed behind our back) may create it.
    await sleep(2);
    await withClaim(b.ctx, '/f', Date.now(), refused, async () => void (wrote = true));
    expect(wrote).toBe(true);
  });

  it('warn when a claim lapsed while its writer was stopped and another writer took the path', async () => {
    const refused = () => alreadyExistsOnCreate('/slow', false);
    await withClaim(a.ctx, '/slow', Date.now(), refused, async () => {
      // as seen a lease later: a's claim expired, b takes the path
      expect(await b.store.tryClaimPath('/slow', 'b', {viewedAt: 0, now: Date.now() + 120_000, ttlMs: 60_000})).toBe(true);
    });
    expect(a.warnings).toEqual([
      'The claim on /slow lapsed while it was written (the writer was stopped for longer than ' +
        'alluxio.user.file.persistence.lease.duration): another writer may have created it meanwhile, and one of the two writes is lost.',
    ]);
  });

  it('are released by a failed write: the path is free again at once', async () => {
    await a.store.close();
    await b.store.close();
    await open({quotaBytes: 10});
    const short = await errorOf(() =>
      a.fs.createFile('/short', Readable.from([Buffer.from('abc')]), {length: 10, recursive: false, writeType: 'MUST_CACHE'}),
    );
    expect(short.message).toContain('the source gave 3 bytes, 10 expected');
    const tooBig = await errorOf(() => create(a, '/big', 'x'.repeat(20), 'MUST_CACHE', 0));
    expect(tooBig.message).toContain('do not fit in the Alluxio worker cache');
    for (const path of ['/short', '/big']) {
      await create(b, path, 'ok', 'MUST_CACHE', 0);
      expect(await content(b, path)).toBe('ok');
    }
  });

  it('of a deleted or renamed-away path do not stand in the way of creating it again', async () => {
    for (let i = 0; i < 3; i++) {
      await create(a, '/again', `round ${i}`, 'THROUGH', 0);
      await a.fs.delete('/again', {recursive: false, alluxioOnly: false});
      await a.fs.mkdir('/dir', {recursive: false, writeType: 'THROUGH'});
      await a.fs.delete('/dir', {recursive: true, alluxioOnly: false});
      await create(a, '/moved', 'm', 'MUST_CACHE', 0);
      await a.fs.rename('/moved', `/moved-${i}`);
    }
    expect(await a.fs.exists('/again')).toBe(false);
    expect(await content(a, '/moved-2')).toBe('m');
    // Their completed claims are gone, not merely older than a new look: even a writer that looked long ago may go.
    const claim = (path: string) => a.store.tryClaimPath(path, 'other', {viewedAt: 0, now: Date.now(), ttlMs: 1000});
    const claimed: boolean[] = [];
    for (const path of ['/again', '/dir', '/moved', '/moved-2']) claimed.push(await claim(path));
    expect(claimed).toEqual([true, true, true, false]);
  });

  it('of many files at once in one process (copyFromLocal --thread) do not block each other', async () => {
    const local = join(folders.base, 'local');
    mkdirSync(join(local, 'sub'), {recursive: true});
    for (let i = 0; i < 40; i++) writeFileSync(join(local, i % 2 ? 'sub' : '', `f${i}`), `file ${i}`);
    a.fs.transferThreads = 16;
    expect(await copyFromLocal(a.fs, local, '/copy', () => undefined)).toBe(40);
    expect(await content(a, '/copy/sub/f39')).toBe('file 39');
  });
});
