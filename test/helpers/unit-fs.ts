/**
 * A real FileSystem for unit tests, assembled by the factory src/context.ts uses but on temp folders: a SQLite
 * metastore, the local UFS as the root mount, a worker cache, built-in default configuration. Nothing is faked.
 */
import {mkdirSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Readable} from 'node:stream';

import {Configuration} from '../../src/conf/configuration.js';
import {FileSystem} from '../../src/fs/file-system.js';
import {type FsContext, createFsContext} from '../../src/fs/fs-context.js';
import {openMetaStore} from '../../src/meta/open.js';
import type {MetaStore, MountRecord} from '../../src/meta/store.js';
import type {LoginUser} from '../../src/security/user.js';

export const ALICE: LoginUser = {name: 'alice', groups: ['staff', 'dev'], primaryGroup: 'staff'};

export interface FsFolders {
  /** Everything lives below this folder. */
  base: string;
  /** The root mount's UFS folder. */
  ufs: string;
  journal: string;
  cache: string;
}

export interface FsOptions {
  /** Values set on top of the built-in defaults. */
  conf?: Record<string, string>;
  user?: LoginUser;
  /** Who formatted (the superuser); alice unless given. */
  superUser?: string;
  permissionsEnabled?: boolean;
  rootReadOnly?: boolean;
  rootShared?: boolean;
  quotaBytes?: number;
}

export interface OpenedFs {
  fs: FileSystem;
  ctx: FsContext;
  store: MetaStore;
  root: MountRecord;
  warnings: string[];
}

export async function makeFolders(prefix = 'unit-fs-'): Promise<FsFolders> {
  const base = await mkdtemp(join(tmpdir(), prefix));
  const folders = {base, ufs: join(base, 'ufs'), journal: join(base, 'journal'), cache: join(base, 'ramdisk')};
  mkdirSync(folders.ufs);
  return folders;
}

export async function removeFolders(folders: FsFolders): Promise<void> {
  await rm(folders.base, {recursive: true, force: true});
}

/**
 * The configuration of a test on `folders`: its metastore and cache there, with `values` on top of the built-in
 * defaults.
 */
export function folderConf(folders: Pick<FsFolders, 'journal' | 'cache'>, values: Record<string, string> = {}): Configuration {
  const conf = new Configuration();
  conf.set('alluxio.master.journal.folder', folders.journal);
  conf.set('alluxio.worker.tieredstore.level0.dirs.path', folders.cache);
  for (const [key, value] of Object.entries(values)) conf.set(key, value);
  return conf;
}

/** A FileSystem on the folders; open several on the same folders to play several processes. */
export async function openFs(folders: FsFolders, options: FsOptions = {}): Promise<OpenedFs> {
  const conf = folderConf(folders, {
    'alluxio.worker.tieredstore.level0.dirs.quota': String(options.quotaBytes ?? 1024 * 1024),
    'alluxio.security.authorization.permission.enabled': String(options.permissionsEnabled ?? true),
    ...options.conf,
  });
  const store = await openMetaStore(conf);
  const user = options.user ?? ALICE;
  const superUser = options.superUser ?? ALICE.name;
  const root: MountRecord = {
    alluxioPath: '/',
    ufsUri: folders.ufs,
    readOnly: options.rootReadOnly ?? false,
    shared: options.rootShared ?? false,
    options: {},
    createdAt: 0,
  };
  const warnings: string[] = [];
  const ctx = await createFsContext({
    conf,
    store,
    user,
    root,
    format: {superUser, superGroup: 'staff'},
    groupsOf: (name) => (name === 'alice' ? ['staff', 'dev'] : name === 'bob' ? ['bobs'] : []),
    warn: (message) => warnings.push(message),
  });
  return {fs: new FileSystem(ctx), ctx, store, root, warnings};
}

export async function readAll(stream: Readable | AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString();
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Runs `fn` and returns the error it throws (failing when it does not). */
export async function errorOf(fn: () => Promise<unknown>): Promise<Error & {kind?: string; hint?: string}> {
  try {
    await fn();
  } catch (e) {
    return e as Error & {kind?: string; hint?: string};
  }
  throw new Error('expected an error, none was thrown');
}
