/** The committed JSON Schemas (schemas/**): valid in ajv's strict mode, closed objects, one for every fs --json. */
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {SCHEMA_DIR, compiledSchema, schemaNames} from '../../helpers/json-schemas.js';

type Node = Record<string, unknown>;

function schemaOf(name: string): Node {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.json`), 'utf8')) as Node;
}

/** Every subschema that lists properties, with where it is: each must close its object. */
function objectsOf(schema: unknown, at: string): {at: string; node: Node}[] {
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Node;
  const children: [string, unknown][] = [];
  for (const key of ['properties', '$defs']) {
    for (const [name, sub] of Object.entries((node[key] as Node | undefined) ?? {})) children.push([`${key}/${name}`, sub]);
  }
  for (const key of ['oneOf', 'anyOf', 'allOf']) ((node[key] as unknown[] | undefined) ?? []).forEach((sub, i) => children.push([`${key}/${i}`, sub]));
  for (const key of ['items', 'additionalProperties']) children.push([key, node[key]]);
  const here = 'properties' in node ? [{at, node}] : [];
  return [...here, ...children.flatMap(([key, sub]) => objectsOf(sub, `${at}/${key}`))];
}

/** The fs commands that take --json, by their file's name. */
function fsJsonCommands(): string[] {
  const dir = new URL('../../../src/commands/fs/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && /static enableJsonFlag = true/.test(readFileSync(new URL(f, dir), 'utf8')))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

describe('JSON Schemas', () => {
  it('each compiles in strict mode, with its $id, draft 2020-12, a title and a description', () => {
    const names = schemaNames();
    expect(names).toContain('error');
    for (const name of names) {
      const schema = schemaOf(name);
      expect(schema.$schema, name).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(typeof schema.title, name).toBe('string');
      expect(typeof schema.description, name).toBe('string');
      // The loader checks the $id; compiling resolves every $ref.
      expect(() => compiledSchema(name), name).not.toThrow();
    }
  });

  it('closes every object, and requires only the fields it describes', () => {
    for (const name of schemaNames()) {
      for (const {at, node} of objectsOf(schemaOf(name), name)) {
        // A `...Fields` part is closed where it is used (unevaluatedProperties), so that stat can add to ls's status.
        if (/\/\$defs\/\w+Fields$/.test(at)) continue;
        expect(node.additionalProperties === false || node.unevaluatedProperties === false, `${at} is not closed`).toBe(true);
      }
      for (const {at, node} of objectsOf(schemaOf(name), name)) {
        const properties = Object.keys(node.properties as Node);
        for (const field of (node.required as string[] | undefined) ?? []) {
          if (node.$ref === undefined) expect(properties, `${at} requires ${field}`).toContain(field);
        }
      }
    }
  });

  it('has one for every fs command with --json, and none for a command without', () => {
    const commands = fsJsonCommands();
    expect(commands.length).toBeGreaterThan(20);
    const schemas = schemaNames()
      .filter((n) => n.startsWith('fs/'))
      .map((n) => n.slice(3))
      .sort();
    expect(schemas).toEqual(commands);
  });
});
