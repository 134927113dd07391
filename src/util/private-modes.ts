import type {Stats} from 'node:fs';

/** Modes of what only its owner may read: cached data, logs, staging files. */
export const PRIVATE_FOLDER = 0o700;
export const PRIVATE_FILE = 0o600;

/** Whether `st` is this user's and allows more than `mode`: only the owner can narrow it, another user's is left. */
export function ownedWithWiderMode(st: Stats, mode: number): boolean {
  return (st.mode & 0o7777 & ~mode) !== 0 && st.uid === process.getuid?.();
}
