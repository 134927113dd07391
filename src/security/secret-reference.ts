/** Secrets given by reference: `env:NAME` and `file:/path` keep them out of argv, site files and the metastore. */
import fs from 'node:fs';
import os from 'node:os';

import {configurationError} from '../errors.js';

/**
 * The secret `value` of `key` stands for: an `env:NAME` or `file:/path` reference read (trimmed), anything else as
 * it is. `origin` says where the value was set, for the error when the reference cannot be read.
 */
export function dereferenceSecret(key: string, value: string, env: NodeJS.ProcessEnv, origin?: string): string {
  const from = origin ? ` (${origin})` : '';
  if (value.startsWith('env:')) {
    const name = value.slice('env:'.length);
    const resolved = env[name]?.trim();
    if (!resolved) {
      throw configurationError(
        `${key} refers to ${value}${from} but the environment variable ${name} is not set`,
        `Export ${name} before running the command, or change ${key}`,
      );
    }
    return resolved;
  }
  if (value.startsWith('file:')) {
    const file = value.slice('file:'.length).replace(/^~(?=\/|$)/, os.homedir());
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
      throw configurationError(
        `${key} refers to ${value}${from} but the file cannot be read (${reason})`,
        `Check that ${file} exists and is readable by this user`,
      );
    }
    if (text === '') throw configurationError(`${key} refers to ${value}${from} but the file is empty`);
    return text;
  }
  return value;
}
