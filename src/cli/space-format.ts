import {formatSize} from './sizes.js';

/** Java's `%-Ns`: left-aligned, padded to at least `width`, never cut. */
function pad(text: string, width: number): string {
  return text.padEnd(width);
}

export interface DuColumns {
  humanReadable: boolean;
  /** -m/--memory: the In Memory column. */
  memory: boolean;
  /** -g: the Worker Host Name column and a line per worker. */
  grouped: boolean;
}

/** One `du` row's cells; undefined cells are left out as Alluxio's format strings leave them out. */
interface DuCells {
  size: string;
  inAlluxio: string;
  inMemory?: string;
  worker?: string;
  path: string;
}

/** Alluxio's du format strings: `%-13s %-16s [%-16s] [%-25s] %s`. */
function duRow(cells: DuCells, columns: DuColumns): string {
  const parts = [pad(cells.size, 13), pad(cells.inAlluxio, 16)];
  if (columns.memory) parts.push(pad(cells.inMemory ?? '', 16));
  if (columns.grouped) parts.push(pad(cells.worker ?? '', 25));
  parts.push(cells.path);
  return parts.join(' ');
}

export function duHeader(columns: DuColumns): string {
  return duRow({size: 'File Size', inAlluxio: 'In Alluxio', inMemory: 'In Memory', worker: 'Worker Host Name', path: 'Path'}, columns);
}

/** What one du row reports: a file, or with -s the totals below a path. */
export interface DuEntry {
  path: string;
  bytes: number;
  cachedBytes: number;
  /** Cached bytes per worker host (-g). */
  workers: Record<string, number>;
}

function sizeText(bytes: number, humanReadable: boolean): string {
  return humanReadable ? formatSize(bytes) : String(bytes);
}

/** Alluxio's `%s (%d%%)`: the part and its whole percentage of the total, rounded down (0 of nothing is 0%). */
function share(part: number, total: number, humanReadable: boolean): string {
  const percent = total === 0 ? 0 : Math.floor((part * 100) / total);
  return `${sizeText(part, humanReadable)} (${percent}%)`;
}

/** A du row, and with -g one more row per worker host holding part of the data. */
export function duLines(entry: DuEntry, columns: DuColumns): string[] {
  const h = columns.humanReadable;
  // The worker cache is the only tier, and a memory one: what is in Alluxio is in memory.
  const cached = share(entry.cachedBytes, entry.bytes, h);
  const lines = [duRow({size: sizeText(entry.bytes, h), inAlluxio: cached, inMemory: cached, worker: 'total', path: entry.path}, columns)];
  if (!columns.grouped) return lines;
  for (const [host, bytes] of Object.entries(entry.workers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    lines.push(duRow({size: '', inAlluxio: sizeText(bytes, h), inMemory: '', worker: host, path: ''}, columns));
  }
  return lines;
}

/** Alluxio's count: `%-25s%-25s%-15s` for the header and for the values. */
export function countLines(totals: {files: number; folders: number; bytes: number}, humanReadable: boolean): string[] {
  const row = (a: string, b: string, c: string) => pad(a, 25) + pad(b, 25) + pad(c, 15);
  return [
    row('File Count', 'Folder Count', 'Folder Size'),
    row(String(totals.files), String(totals.folders), sizeText(totals.bytes, humanReadable)),
  ];
}
