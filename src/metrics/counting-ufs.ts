import {type Readable, Transform, type Writable, pipeline} from 'node:stream';
import type {UnderFileSystem} from '../ufs/types.js';
import {type UfsOp, count, ufsBytesCounter, ufsOpCounter} from './counters.js';

/**
 * The UFS of a mount, counting its calls (`Master.UfsOp<Op>.UFS:<uri>`) and the bytes through its streams
 * (`Cluster.Bytes{Read,Written}Ufs.UFS:<uri>`). Requests are unchanged: every call goes straight through.
 */
export function countingUfs(ufs: UnderFileSystem, ufsUri: string): UnderFileSystem {
  const op = (name: UfsOp) => count(ufsOpCounter(name, ufsUri));
  const read = ufsBytesCounter('Read', ufsUri);
  const written = ufsBytesCounter('Written', ufsUri);
  const counted: UnderFileSystem = {
    type: ufs.type,
    isObjectStore: ufs.isObjectStore,
    getStatus(path) {
      op('GetStatus');
      return ufs.getStatus(path);
    },
    listStatus(path, options) {
      op('ListStatus');
      return ufs.listStatus(path, options);
    },
    mkdirs(path, options) {
      op('Mkdirs');
      return ufs.mkdirs(path, options);
    },
    async create(path, options) {
      op('Create');
      const writer: Writable = await ufs.create(path, options);
      // Every caller gives the length up front, and a write that finishes has written exactly that much.
      writer.once('finish', () => count(written, options.contentLength ?? 0));
      return writer;
    },
    async createFromFile(path, sourceFile, length, progress) {
      op('Create');
      await ufs.createFromFile(path, sourceFile, length, progress);
      count(written, length);
    },
    async open(path, options) {
      op('Open');
      return countedReader(await ufs.open(path, options), read);
    },
    deleteFile(path) {
      op('Delete');
      return ufs.deleteFile(path);
    },
    deleteDirectory(path, options) {
      op('Delete');
      return ufs.deleteDirectory(path, options);
    },
    renameFile(src, dst) {
      op('Rename');
      return ufs.renameFile(src, dst);
    },
    renameDirectory(src, dst, progress) {
      op('Rename');
      return ufs.renameDirectory(src, dst, progress);
    },
    getSpace: (path) => ufs.getSpace(path),
    close: () => ufs.close(),
  };
  const {cleanup, diagnose, getPermissions, copyScope, copyObject} = ufs;
  if (copyScope) counted.copyScope = () => copyScope.call(ufs);
  if (copyObject) {
    counted.copyObject = (src, path, source) => {
      op('Create');
      return copyObject.call(ufs, src, path, source);
    };
  }
  if (cleanup) {
    counted.cleanup = (options) => {
      op('Cleanup');
      return cleanup.call(ufs, options);
    };
  }
  if (diagnose) counted.diagnose = (path, options) => diagnose.call(ufs, path, options);
  if (getPermissions) {
    counted.getPermissions = () => {
      op('GetPermissions');
      return getPermissions.call(ufs);
    };
  }
  return counted;
}

/**
 * The stream's data through a transform that counts it: errors reach the reader, and a reader that stops early
 * (destroys it) stops the source too.
 */
function countedReader(source: Readable, counter: string): Readable {
  const through = new Transform({
    highWaterMark: source.readableHighWaterMark,
    transform(chunk: Buffer, _encoding, done) {
      count(counter, chunk.length);
      done(null, chunk);
    },
  });
  pipeline(source, through, () => undefined);
  return through;
}
