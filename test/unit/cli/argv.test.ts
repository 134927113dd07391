import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {TOPICS, moveGlobalFlags} from '../../../src/cli/argv.js';

describe('moveGlobalFlags', () => {
  it.each([
    [['fs', '--json', 'ls', '/'], ['fs', 'ls', '--json', '/']],
    [['--debug', 'fs', 'copyFromLocal', 'a', '/b'], ['fs', 'copyFromLocal', '--debug', 'a', '/b']],
    [['fs', '--debug', '--json', 'ls', '-R', '/'], ['fs', 'ls', '--debug', '--json', '-R', '/']],
    [['--json', 'version'], ['version', '--json']],
    [['doctor', '--json', 's3', '/mnt'], ['doctor', 's3', '--json', '/mnt']],
    [['--no-color', 'runTests'], ['runTests', '--no-color']],
    [['fs', '--no-color', 'ls', '/'], ['fs', 'ls', '--no-color', '/']],
  ])('%j → %j', (argv, moved) => {
    expect(moveGlobalFlags(argv)).toEqual(moved);
  });

  it.each([
    [['fs', 'ls', '--json', '/']],
    [['fs', 'ls', '/', '--debug']],
    [['fs', '--help']],
    [['fs', '-R', 'ls']],
    [['getConf', '--json']],
    [[]],
  ])('leaves %j as it is', (argv) => {
    expect(moveGlobalFlags(argv)).toEqual(argv);
  });

  it('never moves a --json that is an argument of the command (after its name)', () => {
    expect(moveGlobalFlags(['fs', 'mkdir', '/a', '--json'])).toEqual(['fs', 'mkdir', '/a', '--json']);
  });

  it("knows package.json's topics", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {oclif: {topics: Record<string, unknown>}};
    expect([...TOPICS].sort()).toEqual(Object.keys(pkg.oclif.topics).sort());
  });
});
