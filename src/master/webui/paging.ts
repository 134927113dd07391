/**
 * Alluxio's query parameters as its web UI resource parses them (Java's Integer/Long.parseLong), with its error
 * texts. A page is capped so that one request's memory stays bounded.
 */

/** The most entries one page may hold. */
export const MAX_PAGE_LIMIT = 10_000;
/** The file views show at most this many bytes. */
export const VIEW_BYTES = 5 * 1024;

const INT_MAX = 2 ** 31 - 1;
const LONG_MAX = 2n ** 63n - 1n;

export type Parsed<T> = {ok: true; value: T} | {ok: false; fatalError: string};

export interface Page {
  offset: number;
  limit: number;
}

/** Java's parseInt/parseLong: an optional sign and digits, in range; else NumberFormatException's message. */
function parseJavaInteger(text: string, max: bigint): bigint | string {
  if (!/^[+-]?\d+$/.test(text)) return `For input string: "${text}"`;
  const value = BigInt(text);
  if (value > max || value < -max - 1n) return `For input string: "${text}"`;
  return value;
}

export function parsePage(offsetText = '0', limitText = '20'): Parsed<Page> {
  const offset = parseJavaInteger(offsetText, BigInt(INT_MAX));
  const limit = typeof offset === 'string' ? offset : parseJavaInteger(limitText, BigInt(INT_MAX));
  if (typeof offset === 'string' || typeof limit === 'string') {
    return {ok: false, fatalError: `Error: offset or limit parse error, ${typeof offset === 'string' ? offset : limit}`};
  }
  const outOfBound = (msg: string): Parsed<Page> => ({ok: false, fatalError: `Error: offset or offset + limit is out of bound, ${msg}`});
  if (offset < 0n) return outOfBound(`fromIndex = ${offset}`);
  if (limit < 0n) return outOfBound(`limit = ${limit}`);
  if (limit > BigInt(MAX_PAGE_LIMIT)) return outOfBound(`limit = ${limit} is above ${MAX_PAGE_LIMIT}, the most one page may hold`);
  if (offset + limit > BigInt(INT_MAX)) return outOfBound(`toIndex = ${offset + limit}`);
  return {ok: true, value: {offset: Number(offset), limit: Number(limit)}};
}

/** The error of an offset past the end of a list of `total` (Java's subList). */
export function pastTheEnd(offset: number, total: number): string {
  return `Error: offset or offset + limit is out of bound, fromIndex(${offset}) > toIndex(${total})`;
}

export interface FileWindow {
  offset: number;
  length: number;
}

/**
 * The bytes a file view shows: at most 5 KB from `offset`, counted back from the end of the file when `end` is
 * non-empty, clamped to the file.
 */
export function parseWindow(offsetText: string | undefined, end: string | undefined, fileLength: number): Parsed<FileWindow> {
  let relative = 0n;
  if (offsetText !== undefined && offsetText !== '') {
    const parsed = parseJavaInteger(offsetText, LONG_MAX);
    if (typeof parsed === 'string') return {ok: false, fatalError: `Error: offset or limit parse error, ${parsed}`};
    relative = parsed;
  }
  const length = BigInt(fileLength);
  let offset = end === undefined || end === '' ? relative : length - relative;
  if (offset < 0n) offset = 0n;
  if (offset > length) offset = length;
  const start = Number(offset);
  return {ok: true, value: {offset: start, length: Math.min(VIEW_BYTES, fileLength - start)}};
}

/** What the file views show of the bytes: "in ASCII", so anything else shows as `?`. */
export function asAscii(data: Buffer): string {
  let text = '';
  for (const byte of data) text += byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127) ? String.fromCharCode(byte) : '?';
  return text;
}
