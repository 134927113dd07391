/**
 * The committed JSON Schemas of every `--json` output (schemas/**), loaded once into ajv (draft 2020-12, strict):
 *
 *   expectSchema('fs/ls', JSON.parse(r.stdout));   // throws with ajv's errors when the value does not match
 *
 * A schema's name is its file under schemas/ without `.json`; its `$id` is `urn:alluxio-s3:schema:<name>`, so schemas
 * can share parts with `{"$ref": "urn:alluxio-s3:schema:<name>#/$defs/<part>"}`.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Ajv2020, type ValidateFunction} from 'ajv/dist/2020.js';

// Not cli.js's REPO_DIR: that module needs a build, and the unit tests load the schemas without one.
export const SCHEMA_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../schemas');

function schemaFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? schemaFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
  );
}

/** Every committed schema's name (`fs/ls`, `error`, ...). */
export function schemaNames(): string[] {
  return schemaFiles(SCHEMA_DIR).map((f) => relative(SCHEMA_DIR, f).replace(/\.json$/, ''));
}

let ajv: Ajv2020 | undefined;

function loaded(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({strict: true, allErrors: true});
  for (const name of schemaNames()) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.json`), 'utf8')) as {$id?: string};
    if (schema.$id !== `urn:alluxio-s3:schema:${name}`) throw new Error(`schemas/${name}.json: $id must be urn:alluxio-s3:schema:${name}`);
    ajv.addSchema(schema);
  }
  return ajv;
}

/** The compiled schema `name` (compiling it checks it, and every schema it refers to, in strict mode). */
export function compiledSchema(name: string): ValidateFunction {
  const validate = loaded().getSchema(`urn:alluxio-s3:schema:${name}`);
  if (!validate) throw new Error(`no schema schemas/${name}.json`);
  return validate;
}

/** Checks `value` against the schema `name`; throws naming every mismatch. */
export function expectSchema(name: string, value: unknown): void {
  const validate = compiledSchema(name);
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    throw new Error(`output does not match schemas/${name}.json:\n  ${problems.join('\n  ')}\nvalue: ${JSON.stringify(value).slice(0, 2000)}`);
  }
}

/** A failed --json command's stderr: exactly one line, the error object. */
export function expectErrorJson(stderr: string): {error: {kind: string; message: string; hint?: string}} {
  const lines = stderr.split('\n').filter((l) => l !== '');
  if (lines.length !== 1) throw new Error(`stderr of a failed --json command must be one line, got:\n${stderr}`);
  const value = JSON.parse(lines[0]) as {error: {kind: string; message: string; hint?: string}};
  expectSchema('error', value);
  return value;
}
