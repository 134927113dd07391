import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';

import {SecretKeyFileError, isSealed, seal, unseal} from '../../../src/security/secret-box.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'secret-box-')), 'journal', 'secret.key');

describe('secret box', () => {
  it('seals a value that opens again with the same key file and name, and hides the value', () => {
    const keyFile = fresh();
    const sealed = seal('s3a.secretKey', 'very-secret-value', keyFile);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('very-secret-value');
    expect(unseal('s3a.secretKey', sealed, keyFile)).toBe('very-secret-value');
    // a fresh random nonce each time: the same secret never seals to the same text
    expect(seal('s3a.secretKey', 'very-secret-value', keyFile)).not.toBe(sealed);
  });

  it('creates the key file on first use, private to its owner, and keeps it', () => {
    const keyFile = fresh();
    seal('s3a.secretKey', 'x', keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');
    expect(key.trim()).toMatch(/^[0-9a-f]{64}$/);
    seal('s3a.secretKey', 'y', keyFile);
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
  });

  it('refuses another key file, another option name, a missing file, a damaged value, a file without a key', () => {
    const keyFile = fresh();
    const sealed = seal('s3a.secretKey', 'v', keyFile);
    const other = fresh();
    seal('s3a.secretKey', 'w', other);
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(SecretKeyFileError);
        return (e as Error).message;
      }
      throw new Error('expected a failure');
    };
    expect(reason(() => unseal('s3a.secretKey', sealed, other))).toBe('is not the key the secret was sealed with');
    expect(reason(() => unseal('other.secretKey', sealed, keyFile))).toBe('is not the key the secret was sealed with');
    expect(reason(() => unseal('s3a.secretKey', sealed, fresh()))).toBe('cannot be read (ENOENT)');
    expect(reason(() => unseal('s3a.secretKey', 'enc:v1:AAAA', keyFile))).toBe('does not match: the stored value is damaged');
    writeFileSync(other, 'not a key\n');
    expect(reason(() => unseal('s3a.secretKey', sealed, other))).toBe('does not hold a key (64 hexadecimal digits)');
  });
});
