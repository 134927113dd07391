import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {makeDirectoriesSync} from '../util/directories.js';

/**
 * Literal secrets given as mount options are stored in the metastore sealed with AES-256-GCM under a key kept in
 * a file beside it (`alluxio.master.metastore.secret.key.file`), so a copy of the metastore alone gives nothing
 * away. The option's name is authenticated with the value: a sealed value moved to another key does not open.
 */
export const SECRET_KEY_FILE_KEY = 'alluxio.master.metastore.secret.key.file';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_PATTERN = /^[0-9a-f]{64}$/;

/** Why a sealed value could not be opened, in words that fit after "the key file …". */
export class SecretKeyFileError extends Error {}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** Seals `value` for the option `name`, creating the key file (0600) on first use. */
export function seal(name: string, value: string, keyFile: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', readOrCreateKey(keyFile), iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Opens a value made by `seal` for the same option name; throws SecretKeyFileError when it cannot. */
export function unseal(name: string, sealed: string, keyFile: string): string {
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretKeyFileError('does not match: the stored value is damaged');
  const decipher = createDecipheriv('aes-256-gcm', readKey(keyFile), raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(name, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretKeyFileError('is not the key the secret was sealed with');
  }
}

function readKey(keyFile: string): Buffer {
  let text: string;
  try {
    text = fs.readFileSync(keyFile, 'utf8').trim();
  } catch (e) {
    throw new SecretKeyFileError(`cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  if (!KEY_PATTERN.test(text)) throw new SecretKeyFileError('does not hold a key (64 hexadecimal digits)');
  return Buffer.from(text, 'hex');
}

/**
 * The key, created when the file is missing. The new key is written to a private temporary file and linked into
 * place, which fails if another process got there first: then both use the one that won.
 */
function readOrCreateKey(keyFile: string): Buffer {
  if (fs.existsSync(keyFile)) return readKey(keyFile);
  makeDirectoriesSync(path.dirname(keyFile), 0o700);
  const temporary = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, randomBytes(32).toString('hex') + '\n', {mode: 0o600, flag: 'wx'});
  try {
    fs.linkSync(temporary, keyFile);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    fs.rmSync(temporary, {force: true});
  }
  return readKey(keyFile);
}
