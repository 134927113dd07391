import {Readable} from 'node:stream';
import type {FileSystem} from '../fs/file-system.js';
import {READ_TYPES, type ReadType, WRITE_TYPES, type WriteType} from '../fs/types.js';
import {joinPath, normalizeAlluxioPath} from '../namespace/alluxio-path.js';

export const OPERATIONS = ['BASIC', 'BASIC_NON_BYTE_BUFFER'] as const;
export type Operation = (typeof OPERATIONS)[number];

const NUMBERS = 20;

export interface SmokeOptions {
  directory: string;
  operations?: readonly Operation[];
  readTypes?: readonly ReadType[];
  writeTypes?: readonly WriteType[];
}

export interface SmokeResult {
  operation: Operation;
  readType: ReadType;
  writeType: WriteType;
  path: string;
  passed: boolean;
  error?: string;
  writeMs: number;
  readMs: number;
}

export interface SmokeListener {
  start(operation: Operation, readType: ReadType, writeType: WriteType): void;
  log(logger: string, message: string): void;
  finish(result: SmokeResult): void;
}

/**
 * Alluxio's runTests: for each read type, write type and operation (in that nesting), write a small file of
 * integers with the write type and read it back with the read type. The working folder is deleted first.
 */
export async function runSmokeTests(fs: FileSystem, options: SmokeOptions, listener: SmokeListener): Promise<SmokeResult[]> {
  const dir = joinPath(normalizeAlluxioPath(options.directory), 'default_tests_files');
  if (await fs.exists(dir)) await fs.delete(dir, {recursive: true, alluxioOnly: false});
  const results: SmokeResult[] = [];
  for (const readType of options.readTypes ?? READ_TYPES) {
    for (const writeType of options.writeTypes ?? WRITE_TYPES) {
      for (const operation of options.operations ?? OPERATIONS) {
        listener.start(operation, readType, writeType);
        const result = await runOne(fs, dir, operation, readType, writeType, listener);
        listener.finish(result);
        results.push(result);
      }
    }
  }
  return results;
}

async function runOne(
  fs: FileSystem,
  dir: string,
  operation: Operation,
  readType: ReadType,
  writeType: WriteType,
  listener: SmokeListener,
): Promise<SmokeResult> {
  const path = `${dir}/${operation}_${readType}_${writeType}`;
  const logger = operation === 'BASIC' ? 'BasicOperations' : 'BasicNonByteBufferOperations';
  const result: SmokeResult = {operation, readType, writeType, path, passed: false, writeMs: 0, readMs: 0};
  try {
    const expected = operation === 'BASIC' ? nativeOrderInts() : dataOutputInts();
    if (operation === 'BASIC_NON_BYTE_BUFFER' && (await fs.exists(path))) {
      await fs.delete(path, {recursive: false, alluxioOnly: false});
    }
    let started = performance.now();
    await fs.createFile(path, Readable.from([expected]), {length: expected.length, recursive: true, writeType});
    result.writeMs = Math.round(performance.now() - started);
    listener.log(logger, `writeFile to file ${path} took ${result.writeMs} ms.`);
    started = performance.now();
    const {stream} = await fs.open(path, readType);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    result.readMs = Math.round(performance.now() - started);
    listener.log(logger, `readFile file ${path} took ${result.readMs} ms.`);
    const actual = Buffer.concat(chunks);
    result.passed = actual.equals(expected);
    if (!result.passed) result.error = `read ${actual.length} bytes that differ from the ${expected.length} bytes written`;
  } catch (e) {
    result.error = (e as Error).message;
  }
  return result;
}

/** BASIC: the integers 0..19 in the machine's byte order, as a Java ByteBuffer with nativeOrder() writes them. */
function nativeOrderInts(): Buffer {
  const buffer = Buffer.alloc(NUMBERS * 4);
  const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  for (let i = 0; i < NUMBERS; i++) {
    if (little) buffer.writeInt32LE(i, i * 4);
    else buffer.writeInt32BE(i, i * 4);
  }
  return buffer;
}

/** BASIC_NON_BYTE_BUFFER: a count followed by the integers, big-endian, as Java's DataOutputStream writes them. */
function dataOutputInts(): Buffer {
  const buffer = Buffer.alloc((NUMBERS + 1) * 4);
  buffer.writeInt32BE(NUMBERS, 0);
  for (let i = 0; i < NUMBERS; i++) buffer.writeInt32BE(i, (i + 1) * 4);
  return buffer;
}
