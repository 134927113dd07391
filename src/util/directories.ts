import {existsSync, mkdirSync, promises as fsp} from 'node:fs';
import {dirname, resolve} from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node 20's recursive mkdir loops forever on a path it cannot create (anything
 * under /proc, say); creating each missing level in turn fails with a plain ENOENT or EACCES instead.
 */
export function makeDirectoriesSync(path: string, mode?: number): void {
  for (const dir of missingLevels(path)) {
    try {
      mkdirSync(dir, {mode});
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

export async function makeDirectories(path: string, mode?: number): Promise<void> {
  for (const dir of missingLevels(path)) {
    try {
      await fsp.mkdir(dir, {mode});
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** The folders from the deepest existing ancestor (excluded) down to `path`. */
function missingLevels(path: string): string[] {
  const missing: string[] = [];
  for (let current = resolve(path); !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  return missing.reverse();
}
