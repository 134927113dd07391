import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {SCHEMA_DIR, expectSchema, schemaNames} from '../../helpers/json-schemas.js';

/**
 * Every `--json` output is documented by a committed schema (schemas/<command id, spaces as />.json), and every
 * schema documents a command that has --json: a new --json command without its schema, or a schema left behind by
 * a removed one, fails here. The commands come from the manifest `npm run build` generates.
 */
const manifest = JSON.parse(readFileSync(new URL('../../../oclif.manifest.json', import.meta.url), 'utf8')) as {
  commands: Record<string, {flags: Record<string, unknown>}>;
};

/** Schemas that are no command's output: the error object and the shared parts. */
const NOT_COMMANDS = (name: string) => name === 'error' || name.startsWith('defs/');

const jsonCommands = Object.keys(manifest.commands)
  .filter((id) => 'json' in manifest.commands[id].flags)
  .map((id) => id.replace(/:/g, '/'))
  .sort();

describe('JSON schemas', () => {
  it('the manifest lists the commands with --json (a stale or empty one would prove nothing)', () => {
    for (const id of ['version', 'getConf', 'fs/ls', 'fsadmin/report', 'doctor/s3']) expect(jsonCommands).toContain(id);
  });

  it('every command with --json has its schema', () => {
    const missing = jsonCommands.filter((id) => !schemaNames().includes(id));
    expect(missing, `add schemas/<id>.json for: ${missing.join(', ')}`).toEqual([]);
  });

  it('every schema but the error object and defs/* belongs to a command with --json', () => {
    const orphans = schemaNames().filter((name) => !NOT_COMMANDS(name) && !jsonCommands.includes(name));
    expect(orphans, `no command with --json for: ${orphans.join(', ')}`).toEqual([]);
  });

  it('every schema compiles (ajv strict, draft 2020-12), has its $id, a title and a description', () => {
    for (const name of schemaNames()) {
      const schema = JSON.parse(readFileSync(`${SCHEMA_DIR}/${name}.json`, 'utf8')) as Record<string, unknown>;
      expect(schema.$schema, name).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id, name).toBe(`urn:alluxio-s3:schema:${name}`);
      expect(typeof schema.title, name).toBe('string');
      expect(typeof schema.description, name).toBe('string');
      // Loads every schema into ajv (which checks each $id against its file name) and compiles this one; a shared
      // part only holds $defs, an output schema refuses what no command prints.
      if (name.startsWith('defs/')) expectSchema(name, {});
      else expect(() => expectSchema(name, {unexpected: true}), name).toThrow(/does not match/);
    }
  });
});
