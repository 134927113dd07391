import {Errors} from '@oclif/core';
import {describe, expect, it} from 'vitest';

import {PathFailures, jsonRequested, renderError} from '../../../src/cli/errors.js';
import {AlluxioError, type ErrorKind, failedPrecondition, ioError, notFound, usageError} from '../../../src/errors.js';
import {expectSchema} from '../../helpers/json-schemas.js';

const BUG_LINE = 'This is a bug in alluxio-s3: please report it with the stack trace below.';

describe('renderError', () => {
  it('an AlluxioError with a hint: message line and Hint line, exit 255', () => {
    const r = renderError(failedPrecondition('Cannot free /f', 'Persist it first.'), {debug: false});
    expect(r.lines).toEqual(['Cannot free /f', 'Hint: Persist it first.']);
    expect(r.exitCode).toBe(255);
    expect(r.json).toEqual({error: {kind: 'FAILED_PRECONDITION', message: 'Cannot free /f', hint: 'Persist it first.'}});
  });

  it('an AlluxioError without a hint: one line, no hint key in JSON', () => {
    const r = renderError(notFound('Path "/x" does not exist.'), {debug: false});
    expect(r.lines).toEqual(['Path "/x" does not exist.']);
    expect(r.exitCode).toBe(255);
    expect(r.json).toEqual({error: {kind: 'NOT_FOUND', message: 'Path "/x" does not exist.'}});
    expect(Object.keys(r.json.error)).toEqual(['kind', 'message']);
  });

  it('a usage error: message and the Usage line, exit 2', () => {
    const r = renderError(usageError('Command chmod takes 2 arguments, not 1'), {
      usage: 'fs chmod [-R] <mode> <path>',
      debug: false,
    });
    expect(r.lines).toEqual(['Command chmod takes 2 arguments, not 1', 'Usage: alluxio fs chmod [-R] <mode> <path>']);
    expect(r.exitCode).toBe(2);
    expect(r.json).toEqual({error: {kind: 'USAGE', message: 'Command chmod takes 2 arguments, not 1'}});
  });

  it('a usage error with a hint shows the Usage line instead of the hint', () => {
    const r = renderError(usageError('Bad', 'Do this.'), {usage: 'fs x <p>', debug: false});
    expect(r.lines).toEqual(['Bad', 'Usage: alluxio fs x <p>']);
    const noUsage = renderError(usageError('Bad', 'Do this.'), {debug: false});
    expect(noUsage.lines).toEqual(['Bad', 'Hint: Do this.']);
    expect(noUsage.exitCode).toBe(2);
  });

  it("oclif's flag and argument errors are usage errors", () => {
    const r = renderError(new Errors.CLIError('Nonexistent flag: --bogus'), {usage: 'fs ls <path>', debug: false});
    expect(r.lines).toEqual(['Nonexistent flag: --bogus', 'Usage: alluxio fs ls <path>']);
    expect(r.exitCode).toBe(2);
    expect(r.json.error.kind).toBe('USAGE');
    const multi = renderError(new Errors.CLIError('Unexpected argument: x\nSee more help with --help'), {debug: false});
    expect(multi.lines).toEqual(['Unexpected argument: x']);
    expect(multi.exitCode).toBe(2);
  });

  it('an unknown Error is a bug: "Unexpected error", the bug line and the stack, even without --debug', () => {
    const err = new TypeError("Cannot read properties of undefined (reading 'x')");
    const r = renderError(err, {debug: false});
    expect(r.lines).toEqual(["Unexpected error: Cannot read properties of undefined (reading 'x')", BUG_LINE, err.stack]);
    expect(r.exitCode).toBe(255);
    expect(r.json).toEqual({error: {kind: 'BUG', message: "Cannot read properties of undefined (reading 'x')"}});
  });

  it('user errors never show a stack without --debug', () => {
    const r = renderError(failedPrecondition('Nope', 'Try again.'), {debug: false});
    expect(r.lines.join('\n')).not.toContain('    at ');
  });

  it('a thrown non-Error is a bug too', () => {
    const r = renderError('boom', {debug: false});
    expect(r.lines[0]).toBe('Unexpected error: boom');
    expect(r.lines[1]).toBe(BUG_LINE);
    expect(r.json.error).toEqual({kind: 'BUG', message: 'boom'});
  });

  it("an operating-system error (errno code) is an IO error in our words, never Node's", () => {
    const err = Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC', errno: -28, syscall: 'write'});
    const r = renderError(err, {debug: false});
    expect(r.lines).toEqual(['Local write failed: no space left on device', 'Hint: Free space on that file system, or use a folder on another one.']);
    expect(r.exitCode).toBe(255);
    expect(r.json.error).toMatchObject({kind: 'IO', message: 'Local write failed: no space left on device'});
  });

  it.each([
    ['ENOENT', 'open', '/d/x', 'Cannot open /d/x: no such file or directory'],
    ['ENAMETOOLONG', 'mkdir', '/d/long', 'Cannot create folder /d/long: name too long'],
    ['EACCES', 'scandir', '/root', 'Cannot list /root: permission denied'],
    ['EISDIR', 'open', '/tmp', 'Cannot open /tmp: is a directory'],
    ['ENOTDIR', 'stat', '/f/x', 'Cannot read the status of /f/x: not a directory'],
    ['EWEIRD', 'open', '/x', 'Cannot open /x: system error EWEIRD'],
  ])('%s from %s names the path: %s', (code, syscall, path, message) => {
    const err = Object.assign(new Error(`${code}: raw text, ${syscall} '${path}'`), {code, syscall, path});
    const r = renderError(err, {debug: false});
    expect(r.lines[0]).toBe(message);
    expect(r.lines.join('\n')).not.toContain(`${code}:`);
    expect(r.lines.length).toBe(code === 'EWEIRD' ? 1 : 2);
  });

  it('a very long path is shortened in the middle', () => {
    const path = '/' + 'a'.repeat(5000);
    const err = Object.assign(new Error('ENAMETOOLONG'), {code: 'ENAMETOOLONG', syscall: 'open', path});
    const [line] = renderError(err, {debug: false}).lines;
    expect(line.length).toBeLessThan(400);
    expect(line).toMatch(/^Cannot open \/a+\.\.\.a+ \(5001 characters\): name too long$/);
  });

  it("oclif's wrapper around a flag parser's error is taken off", () => {
    const ours = usageError('Invalid value "x" for --thread: expected an integer of at least 1');
    ours.message = `Parsing --thread \n\t${ours.message}\nSee more help with --help`;
    expect(renderError(ours, {usage: 'fs cp', debug: false}).lines).toEqual([
      'Invalid value "x" for --thread: expected an integer of at least 1',
      'Usage: alluxio fs cp',
    ]);
    const theirs = new Errors.CLIError('Parsing --n \n\tExpected an integer but received: x\nSee more help with --help');
    expect(renderError(theirs, {debug: false}).lines).toEqual(['Invalid value for --n: Expected an integer but received: x']);
  });

  it('control characters in a message (a name from the under storage) are escaped: one line, no terminal codes', () => {
    const r = renderError(notFound('Path "/a\nb\u001b[31m" does not exist.'), {debug: false});
    expect(r.lines).toEqual(['Path "/a\\nb\\x1b[31m" does not exist.']);
    expect(r.json.error.message).toBe('Path "/a\\nb\\x1b[31m" does not exist.');
  });

  it('a code that is not an errno name does not make an IO error', () => {
    const err = Object.assign(new Error('weird'), {code: 'ERR_INVALID_ARG_TYPE'});
    expect(renderError(err, {debug: false}).json.error.kind).toBe('BUG');
  });

  it("oclif's multi-line parse errors are folded into one line; a bug shows its first line; ours is trimmed", () => {
    const parse = Object.assign(new Errors.CLIError('Missing 1 required arg:\ntarget  Alluxio path\nSee more help with --help'), {parse: {}});
    expect(renderError(parse, {debug: false}).lines).toEqual(['Missing 1 required arg: target  Alluxio path']);
    const bug = renderError(new Error('\n  \n  kaput  \n  at somewhere'), {debug: false});
    expect(bug.lines[0]).toBe('Unexpected error: kaput');
    const own = renderError(ioError('\n  Failed to write /f: disk full  \n'), {debug: false});
    expect(own.lines).toEqual(['Failed to write /f: disk full']);
  });

  it('--debug adds the stack after the other lines, for every kind', () => {
    const user = failedPrecondition('Nope', 'Try again.');
    const r = renderError(user, {debug: true});
    expect(r.lines).toEqual(['Nope', 'Hint: Try again.', user.stack]);
    expect(r.lines[2]).toContain('AlluxioError: Nope');

    const bug = new Error('kaput');
    const b = renderError(bug, {debug: true});
    expect(b.lines).toEqual(['Unexpected error: kaput', BUG_LINE, bug.stack]);

    const io = Object.assign(new Error('EACCES: permission denied'), {code: 'EACCES', syscall: 'open', path: '/x'});
    expect(renderError(io, {debug: true}).lines).toEqual([
      'Cannot open /x: permission denied',
      'Hint: Check the permissions of the path and its parent folders, or use another path.',
      io.stack,
    ]);
  });

  it('the JSON shape is stable', () => {
    const r = renderError(new AlluxioError('PERMISSION_DENIED', 'Permission denied: x', {hint: 'h'}), {debug: true});
    expect(JSON.parse(JSON.stringify(r.json))).toEqual({
      error: {kind: 'PERMISSION_DENIED', message: 'Permission denied: x', hint: 'h'},
    });
  });
});

describe('the error object under --json (schemas/error.json)', () => {
  const KINDS: ErrorKind[] = ['USAGE', 'INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'FAILED_PRECONDITION', 'CONFIGURATION', 'UNAVAILABLE', 'IO'];
  const systemError = Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC', errno: -28, syscall: 'write'});
  const parseError = Object.assign(new Errors.CLIError('Missing 1 required arg:\ntarget  Alluxio path\nSee more help with --help'), {parse: {}});

  it.each<[string, unknown]>([
    ...KINDS.map((kind): [string, unknown] => [kind, new AlluxioError(kind, `a ${kind} message`)]),
    ['a user error with a hint', failedPrecondition('Cannot free /f', 'Persist it first.')],
    ['a usage error with a hint', usageError('Bad', 'Do this.')],
    ["oclif's unknown flag", new Errors.CLIError('Nonexistent flag: --bogus')],
    ["oclif's missing argument", parseError],
    ["oclif's flag parser", new Errors.CLIError('Parsing --n \n\tExpected an integer but received: x\nSee more help with --help')],
    ['an operating-system error', systemError],
    ['a bug', new TypeError('x is undefined')],
    ['a thrown non-Error', 'boom'],
    ['control characters', notFound('Path "/a\nb\u001b[31m" does not exist.')],
  ])('%s matches the schema, on one line', (_, error) => {
    const {json} = renderError(error, {usage: 'fs ls <path>', debug: true});
    expectSchema('error', json);
    expect(JSON.stringify(json)).not.toContain('\n');
  });

  it('several paths failing: MULTIPLE with one entry per path, hints kept', () => {
    const failures = new PathFailures([
      {path: '/a', kind: 'NOT_FOUND', message: 'Path "/a" does not exist.'},
      {path: '/b', kind: 'PERMISSION_DENIED', message: 'Permission denied: /b', hint: 'Ask its owner.'},
    ]);
    const {json, exitCode} = renderError(failures, {debug: false});
    expectSchema('error', json);
    expect(exitCode).toBe(255);
    expect(json.error).toMatchObject({kind: 'MULTIPLE', message: 'Path "/a" does not exist.\nPermission denied: /b'});
  });

  it('the schema refuses what the code must never print: an unknown kind, a missing message, an extra field', () => {
    expect(() => expectSchema('error', {error: {kind: 'OOPS', message: 'm'}})).toThrow(/does not match/);
    expect(() => expectSchema('error', {error: {kind: 'IO'}})).toThrow(/does not match/);
    expect(() => expectSchema('error', {error: {kind: 'IO', message: 'm', stack: 's'}})).toThrow(/does not match/);
    expect(() => expectSchema('error', {error: {kind: 'MULTIPLE', message: 'm', errors: [{path: '/a', kind: 'BUG', message: 'm'}, {path: '/b', kind: 'IO', message: 'm'}]}})).toThrow(/does not match/);
  });
});

describe('jsonRequested', () => {
  it.each([
    [['fs', 'nosuch', '--json'], true],
    [['--json'], true],
    [['fs', 'cat', '/x'], false],
    [['fs', 'cat', '--', '--json'], false],
    [['fs', 'ls', '--json', '--', '-x'], true],
    [['fs', 'ls', '--jsonx'], false],
  ])('%j: %s', (argv, expected) => {
    expect(jsonRequested(argv)).toBe(expected);
  });
});
