/**
 * Bad input, generated: at least 300 command lines a user could mistype (bad numbers for every numeric flag,
 * unknown flags, global flags before the command, extra arguments, bad modes, owners and groups, control
 * characters and very long names, bad -D values, bad mount URIs and options, unknown commands) run through
 * bin/alluxio exactly as typed, on the local default under storage of one fresh home.
 *
 * Every run must end by itself (no hang), print no stack trace, and either fail the DESIGN way (exit 2 with a
 * Usage line for usage errors, exit 255 with at most one Hint line otherwise) or, where the input is merely odd
 * (a global flag before the command name, an unknown mount option), succeed and do what it says.
 *
 * The inputs come from fast-check with a fixed seed, so a failure is reproducible; FUZZ_SEED=<n> tries others.
 */
import fc from 'fast-check';
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Home, type RunResult, cleanupHomes, crashSigns, describeResult, lines, makeHome} from '../helpers/cli.js';

afterAll(cleanupHomes);

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_712);
/** FUZZ_RUNS=<n> for a quicker look; the default keeps the promise of 300 inputs at least. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const RUN_TIMEOUT_MS = 30_000;
const CONCURRENCY = Math.max(2, Math.min(4, availableParallelism()));

type Outcome =
  /** Exit 2: the message, then `Usage: alluxio …`. */
  | 'usage'
  /** Exit 255: the message, at most one `Hint:` line. */
  | 'error'
  /** Exit 2 or 255, as above. */
  | 'refused'
  /** Exit 0, and `check` says it did what it says. */
  | 'accepted';

interface Case {
  kind: string;
  args: string[];
  outcome: Outcome;
  /** Extra checks on the result (the effect of an accepted input, nothing done by a refused one). */
  check?: (r: RunResult) => string | undefined;
}

/** A C0 control character or DEL (not NUL: no argv can hold it). */
const CONTROL = fc.oneof(fc.integer({min: 1, max: 0x1f}), fc.constant(0x7f)).map((c) => String.fromCharCode(c));
/** A short name of letters and digits. */
const WORD = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
/** Text that is no decimal integer. */
const NOT_AN_INTEGER = fc.oneof(
  fc.constantFrom('abc', '', ' ', '1.5', '1e3', '0x10', 'NaN', 'Infinity', '--', '١٢', '12abc', '3 4', '+-1'),
  fc.string({unit: 'binary', maxLength: 12}).filter((s) => !/^\s*[+-]?\d+\s*$/.test(s)),
);

// What the home holds before the runs (see beforeAll).
const FILE = '/data/file.txt';
const DIR = '/data';
const CONTROL_NAMES = ['ctl\nname', 'esc\u001b[31mred', 'tab\there', 'bell\u0007'];

let home: Home;
let localFile: string;
let mountSource: string;
let counter = 0;
const unique = (prefix: string) => `${prefix}${counter++}`;

/** Bad values for every numeric flag, in both `--flag value` and `--flag=value` forms. */
function numericFlags(): fc.Arbitrary<Case> {
  const flags: [cmd: string[], flag: string, min: number, max: number, rest: () => string[]][] = [
    [['fs', 'persist'], '--parallelism', 1, 1024, () => [DIR]],
    [['fs', 'persist'], '-p', 1, 1024, () => [DIR]],
    [['fs', 'persist'], '--timeout', 0, 2 ** 31 - 1, () => [DIR]],
    [['fs', 'persist'], '-w', 0, 2 ** 31 - 1, () => [DIR]],
    [['fs', 'copyFromLocal'], '--thread', 1, 1024, () => [localFile, `/${unique('cpf')}`]],
    [['fs', 'copyFromLocal'], '--buffersize', 1, 2 ** 31 - 1, () => [localFile, `/${unique('cpb')}`]],
    [['fs', 'copyToLocal'], '--thread', 1, 1024, () => [FILE, join(home.dir, unique('ctl'))]],
    [['fs', 'copyToLocal'], '--buffersize', 1, 2 ** 31 - 1, () => [FILE, join(home.dir, unique('ctb'))]],
  ];
  const outOfRange = (min: number, max: number) =>
    fc.oneof(
      fc.integer({min: -(2 ** 40), max: min - 1}),
      max < 2 ** 31 - 1 ? fc.integer({min: max + 1, max: 2 ** 40}) : fc.integer({min: 2 ** 31, max: 2 ** 40}),
    ).map(String);
  return fc
    .tuple(fc.constantFrom(...flags), fc.boolean(), fc.boolean())
    .chain(([[cmd, flag, min, max, rest], inline, range]) =>
      (range ? outOfRange(min, max) : NOT_AN_INTEGER).map((value): Case => {
        const flagArgs = inline && flag.startsWith('--') ? [`${flag}=${value}`] : [flag, value];
        return {kind: 'numeric flag', args: [...cmd, ...flagArgs, ...rest()], outcome: 'usage'};
      }),
    );
}

/** Flags no command has, before or after the arguments. */
function unknownFlags(): fc.Arbitrary<Case> {
  const commands = [['fs', 'ls'], ['fs', 'stat'], ['fs', 'cat'], ['fs', 'mkdir'], ['fs', 'rm'], ['fs', 'free'], ['getConf'], ['doctor', 's3'], ['format']];
  const name = fc.oneof(WORD.map((w) => `--no-such-${w}`), fc.constantFrom('-Z', '-q', '--Recursive', '--jsn', '--threads'));
  return fc.tuple(fc.constantFrom(...commands), name, fc.boolean()).map(([cmd, flag, before]): Case => {
    const path = cmd[0] === 'doctor' ? [] : cmd[0] === 'fs' ? [FILE] : [];
    const target = cmd[0] === 'doctor' ? ['s3://bucket/x'] : path;
    return {kind: 'unknown flag', args: before ? [...cmd, flag, ...target] : [...cmd, ...target, flag], outcome: 'usage'};
  });
}

/** --json and --debug anywhere around the command name: accepted, and the command does its work. */
function globalFlagPlaces(): fc.Arbitrary<Case> {
  const commands: [string[], string[]][] = [
    [['fs', 'ls'], [DIR]],
    [['fs', 'stat'], [FILE]],
    [['fs', 'mount'], []],
    [['getConf'], ['alluxio.user.file.writetype.default']],
    [['version'], []],
  ];
  return fc
    .tuple(fc.constantFrom(...commands), fc.subarray(['--json', '--debug'], {minLength: 1}), fc.nat(), fc.nat())
    .map(([[cmd, rest], flags, at1, at2]): Case => {
      const words = [...cmd];
      for (const [i, flag] of flags.entries()) words.splice([at1, at2][i] % (words.length + 1), 0, flag);
      const json = flags.includes('--json');
      return {
        kind: 'global flag placement',
        args: [...words, ...rest],
        outcome: 'accepted',
        check: (r) => {
          if (json) {
            try {
              JSON.parse(r.stdout);
            } catch {
              return 'stdout is not JSON';
            }
          } else if (r.stdout.trim() === '') {
            return 'nothing on stdout';
          }
          return undefined;
        },
      };
    });
}

/** One to three arguments more than the command takes; nothing may be done. */
function extraArguments(): fc.Arbitrary<Case> {
  const commands: [string[], () => string[]][] = [
    [['fs', 'cat'], () => [FILE]],
    [['fs', 'rm'], () => [FILE]],
    [['fs', 'free'], () => [FILE]],
    [['fs', 'stat'], () => [FILE]],
    [['fs', 'touch'], () => [`/${unique('touched')}`]],
    [['fs', 'chmod'], () => ['755', FILE]],
    [['fs', 'chgrp'], () => ['staff', FILE]],
    [['fs', 'chown'], () => ['root', FILE]],
    [['fs', 'mv'], () => [FILE, `/${unique('moved')}`]],
    [['fs', 'unmount'], () => ['/mnt']],
    [['fs', 'copyFromLocal'], () => [localFile, `/${unique('copied')}`]],
    [['fs', 'copyToLocal'], () => [FILE, join(home.dir, unique('out'))]],
    [['getConf'], () => ['alluxio.home']],
    [['doctor', 's3'], () => ['s3://bucket/x']],
    [['version'], () => []],
    [['runTests'], () => []],
    [['format'], () => []],
  ];
  return fc
    .tuple(fc.constantFrom(...commands), fc.array(fc.oneof(WORD, WORD.map((w) => `/${w}`)), {minLength: 1, maxLength: 3}))
    .map(([[cmd, args], extra]): Case => {
      const given = args();
      const created = [...given, ...extra].filter((a) => a.startsWith('/') && !a.startsWith(home.dir) && /\/(touched|moved|copied)\d+$/.test(a));
      return {
        kind: 'extra arguments',
        args: [...cmd, ...given, ...extra],
        outcome: 'usage',
        check: () => {
          const made = created.find((p) => existsSync(join(home.ufs, p)));
          if (made) return `${made} was created anyway`;
          if (!existsSync(join(home.ufs, FILE))) return `${FILE} is gone`;
          return undefined;
        },
      };
    });
}

/** Modes above 07777 or malformed, owners and groups that are no names. */
function modesOwnersGroups(): fc.Arbitrary<Case> {
  const mode = fc.oneof(
    fc.integer({min: 0o10000, max: 0o7777777}).map((n) => n.toString(8)),
    fc.constantFrom('', ' ', '8', '999', 'u+x', 'rwx', 'u=rwx,', 'a=', '0o755', '7 5 5'),
    fc.string({unit: 'grapheme-ascii', minLength: 1, maxLength: 8}).filter((s) => !/^[0-7]{1,4}$/.test(s) && !s.startsWith('-')),
  );
  const owner = fc.oneof(
    fc.constantFrom('', ':', ':staff', 'root:', 'a b', 'a:b:c', '.x', 'jöhn'),
    fc.tuple(WORD, CONTROL).map(([w, c]) => `${w}${c}`),
  );
  const group = fc.oneof(fc.constantFrom('', ' ', '\t'), fc.tuple(WORD, CONTROL).map(([w, c]) => `${c}${w}`));
  return fc.oneof(
    mode.map((m): Case => ({kind: 'bad mode', args: ['fs', 'chmod', m, FILE], outcome: 'refused'})),
    owner.map((o): Case => ({kind: 'bad owner', args: ['fs', 'chown', o, FILE], outcome: 'refused'})),
    group.map((g): Case => ({kind: 'bad group', args: ['fs', 'chgrp', g, FILE], outcome: 'refused'})),
  );
}

/** New names with control characters or too long for the local file system; existing odd names listed. */
function pathNames(): fc.Arbitrary<Case> {
  const controlName = fc.tuple(WORD, CONTROL, WORD).map(([a, c, b]) => `${a}${c}${b}`);
  const longName = fc.tuple(fc.constantFrom('a', 'é', '日'), fc.integer({min: 256, max: 5000})).map(([c, n]) => c.repeat(n));
  const create = (name: string): fc.Arbitrary<string[]> =>
    fc.constantFrom(
      ['fs', 'mkdir', `/${name}`],
      ['fs', 'touch', `/${name}`],
      ['fs', 'mkdir', `${DIR}/${name}/sub`],
      ['fs', 'copyFromLocal', localFile, `/${name}`],
      ['fs', 'mount', `/${name}`, mountSource],
    );
  const refusedCreate = fc.oneof(controlName, longName).chain((name) =>
    create(name).map((args): Case => ({
      kind: 'bad new name',
      args,
      outcome: 'refused',
      check: () => (readdirSync(home.ufs).some((n) => n === name) ? 'the name was created' : undefined),
    })),
  );
  const refusedMove = controlName.map((name): Case => ({kind: 'bad mv destination', args: ['fs', 'mv', FILE, `/${name}`], outcome: 'refused'}));
  const listed = fc
    .constantFrom(['fs', 'ls', DIR], ['fs', 'ls', '-R', '/'], ['fs', 'ls', '--sort', 'size', DIR], ...CONTROL_NAMES.map((n) => ['fs', 'stat', `${DIR}/${n}`]))
    .map((args): Case => ({
      kind: 'existing odd names',
      args,
      outcome: 'accepted',
      // eslint-disable-next-line no-control-regex
      check: (r) => (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(r.stdout) ? 'a raw control character was printed' : undefined),
    }));
  return fc.oneof({arbitrary: refusedCreate, weight: 3}, refusedMove, listed);
}

/** Malformed values of typed keys, given with -D anywhere on the line; unknown keys only warn. */
function systemProperties(): fc.Arbitrary<Case> {
  const typed: [string, fc.Arbitrary<string>][] = [
    ['alluxio.user.file.writetype.default', fc.oneof(WORD.filter((w) => !/^(must_cache|cache_through|through|async_through)$/.test(w)), fc.constantFrom('', 'THROUGH_', 'MUST-CACHE'))],
    ['alluxio.user.block.size.bytes.default', fc.constantFrom('', '0', 'big', '-1MB', '64 apples', '1ZB', '99999999PB')],
    ['alluxio.user.file.metadata.sync.interval', fc.constantFrom('soon', '1 fortnight', '1.5h', '--1', '')],
    ['alluxio.underfs.listing.length', fc.constantFrom('0', '-5', 'x', '1e3', '99999999999')],
    ['alluxio.security.authorization.permission.umask', fc.constantFrom('999', '8', 'rwx', '077777', '')],
    ['alluxio.security.authorization.permission.enabled', fc.constantFrom('yes', '1', 'TRUEish', '')],
    ['alluxio.user.date.format.pattern', fc.constant('${alluxio.nope}')],
    ['alluxio.work.dir', fc.constant('${alluxio.work.dir}')],
  ];
  const bad = fc.tuple(fc.constantFrom(...typed).chain(([k, v]) => v.map((value) => `-D${k}=${value}`)), fc.nat(3)).map(
    ([property, at]): Case => {
      const args = ['fs', 'ls', DIR];
      args.splice(at % (args.length + 1), 0, property);
      return {kind: 'bad -D value', args, outcome: 'error'};
    },
  );
  const unknown = WORD.map((w): Case => ({
    kind: 'unknown -D key',
    args: ['fs', `-Dalluxio.no.such.${w}=1`, 'ls', DIR],
    outcome: 'accepted',
    check: (r) => (/^WARN: Unrecognized property key alluxio\.no\.such\./m.test(r.stderr) ? undefined : 'no warning about the key'),
  }));
  return fc.oneof({arbitrary: bad, weight: 4}, unknown);
}

/** Mount URIs that name nothing mountable, bad option values, and unknown option keys (warned, then mounted). */
function mounts(): fc.Arbitrary<Case> {
  // Every s3:// URI points at a closed loopback port: a URI that parses still never leaves the machine.
  const noNetwork = '-Dalluxio.underfs.s3.endpoint=http://127.0.0.1:9';
  const badUri = fc.oneof(
    fc.constantFrom('ftp://host/x', 'hdfs://nn:8020/x', 's3://', 's3:///x', '://x', 'relative/dir', '', ' ', 's3://Bad_Bucket!/x', 's3://a/x', 'file:///no/such/dir'),
    WORD.map((w) => `/no/such/${w}`),
    WORD.map((w) => `${w}://${w}`),
  );
  const uriCases = badUri.map((uri): Case => ({kind: 'bad mount URI', args: ['fs', 'mount', noNetwork, `/${unique('m')}`, uri], outcome: 'refused'}));
  // A folder of its own for each mount that may succeed: one UFS folder cannot be mounted twice.
  const source = () => home.mkdir(unique('src'));
  const badValue = fc.constantFrom(
    'alluxio.underfs.s3.streaming.upload.partition.size=0',
    'alluxio.underfs.s3.streaming.upload.partition.size=1PB',
    'alluxio.underfs.s3.multipart.upload.partition.size=1',
    'alluxio.underfs.s3.upload.threads.max=0',
    'alluxio.underfs.s3.threads.max=-3',
    'alluxio.underfs.s3.admin.threads.max=0',
    'alluxio.underfs.object.store.service.threads=0',
    'alluxio.underfs.s3.endpoint=',
    'alluxio.underfs.s3.socket.timeout=soon',
  );
  const valueCases = fc.tuple(badValue, fc.boolean()).map(([option, s3]): Case => ({
    kind: 'bad mount option value',
    args: ['fs', 'mount', noNetwork, '--option', option, `/${unique('m')}`, s3 ? 's3://bucket/dir' : source()],
    outcome: 'error',
  }));
  const malformed = fc.constantFrom('novalue', '=x', '').map((option): Case => ({
    kind: 'malformed --option',
    args: ['fs', 'mount', '--option', option, `/${unique('m')}`, source()],
    outcome: 'refused',
  }));
  const unknownKey = fc.oneof(WORD.map((w) => `colour.${w}`), WORD.map((w) => `alluxio.underfs.s3.${w}`)).map((key): Case => {
    const point = `/${unique('m')}`;
    return {
      kind: 'unknown mount option',
      args: ['fs', 'mount', noNetwork, '--option', `${key}=1`, point, source()],
      outcome: 'accepted',
      check: (r) =>
        !r.stderr.includes(`WARN: Unrecognized property key ${key} in the options of mount ${point}`)
          ? 'no warning about the key'
          : !r.stdout.includes(`at ${point}`)
            ? 'not mounted'
            : undefined,
    };
  });
  return fc.oneof(uriCases, valueCases, malformed, unknownKey);
}

function unknownCommands(): fc.Arbitrary<Case> {
  return fc.tuple(fc.boolean(), WORD.filter((w) => !['ls', 'cat', 'rm', 'mv', 'format', 'version', 'free', 'stat', 'touch', 'mkdir', 'mount'].includes(w)), fc.boolean()).map(
    ([inFs, word, withArg]): Case => ({
      kind: 'unknown command',
      args: [...(inFs ? ['fs'] : []), `${word}x`, ...(withArg ? ['/x'] : [])],
      outcome: 'usage',
      check: (r) => {
        const [first] = lines(r.stderr);
        const rest = first.startsWith(`${word}x is an unknown command.`) ? first.slice(`${word}x is an unknown command.`.length) : undefined;
        if (rest === undefined) return 'the command is not named as typed';
        return rest === '' || /^ Did you mean \S+\?$/.test(rest) ? undefined : `not one line with a suggestion: ${first}`;
      },
    }),
  );
}

function fixedCases(): Case[] {
  return [
    {kind: 'junit into a missing folder', args: ['runTests', '--junit', '/no/such/dir/r.xml'], outcome: 'usage'},
    {kind: 'junit onto a folder', args: ['runTests', '--junit', '/tmp'], outcome: 'usage'},
    {kind: 'bad choice', args: ['runTests', '--operation', 'FOO'], outcome: 'usage'},
    {kind: 'bad choice', args: ['fs', 'ls', '--sort', 'colour', DIR], outcome: 'usage'},
    {kind: 'bad choice', args: ['fs', 'ls', '--timestamp', 'never', DIR], outcome: 'usage'},
    {kind: 'bad unit', args: ['getConf', '--unit', 'XB', 'alluxio.user.block.size.bytes.default'], outcome: 'usage'},
    {kind: 'unit without key', args: ['getConf', '--unit', 'KB'], outcome: 'usage'},
    {kind: 'flag without value', args: ['fs', 'persist', '-p'], outcome: 'usage'},
    {kind: 'missing file', args: ['fs', 'copyFromLocal', '/no/such/file', '/x'], outcome: 'error'},
    {kind: 'missing folder', args: ['fs', 'copyToLocal', FILE, '/no/such/dir/x'], outcome: 'error'},
  ];
}

interface Failure {
  input: Case;
  problem: string;
  result: RunResult;
}

// Raw control characters in output are what these checks look for.
/* eslint-disable no-control-regex */
/** Why a result breaks the contract, or undefined. */
function problemOf(c: Case, r: RunResult): string | undefined {
  if (r.timedOut) return 'hung (timed out)';
  if (r.signal) return `killed by ${r.signal}`;
  const crash = crashSigns(r);
  if (crash.length > 0) return `crash signs ${crash.join(', ')}`;
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(r.stderr)) return 'a raw control character on stderr';
  const errLines = lines(r.stderr).filter((l) => !l.startsWith('WARN: '));
  if (c.outcome === 'accepted') {
    if (r.code !== 0) return `refused (exit ${r.code})`;
    return c.check?.(r);
  }
  if (r.code === 0) return 'exit 0 for a bad input';
  const usage = r.code === 2;
  if (c.outcome === 'usage' && !usage) return `exit ${r.code}, not 2`;
  if (c.outcome === 'error' && r.code !== 255) return `exit ${r.code}, not 255`;
  if (r.code !== 2 && r.code !== 255) return `exit ${r.code}`;
  if (errLines.length === 0) return 'no message';
  if (errLines.length > 2) return `${errLines.length} lines of error`;
  if (usage && !/^Usage: alluxio \S/.test(errLines[1] ?? '')) return 'no Usage line';
  if (!usage && errLines.length === 2 && !/^Hint: \S/.test(errLines[1])) return 'a second line that is no Hint';
  if (/\bE[A-Z]{3,}: /.test(r.stderr)) return "Node's raw error text";
  return c.check?.(r);
}
/* eslint-enable no-control-regex */

/** Very long names would bury the other failures. */
function clip(text: string): string {
  return text.replace(/(.)\1{40,}/gu, (run, c: string) => `${c.repeat(8)}…(${[...run].length}×)`).slice(0, 2000);
}

async function runAll(cases: Case[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      const r = await home.run(c.args, {timeoutMs: RUN_TIMEOUT_MS});
      const problem = problemOf(c, r);
      if (problem) failures.push({input: c, problem, result: r});
    }
  };
  await Promise.all(Array.from({length: CONCURRENCY}, worker));
  return failures;
}

describe('generated bad input', () => {
  beforeAll(async () => {
    home = makeHome();
    const first = await home.run(['fs', 'mkdir', DIR], {env: {ALLUXIO_USER_JAVA_OPTS: '-Dalluxio.user.file.writetype.default=THROUGH'}});
    expect(first.code, describeResult(first)).toBe(0);
    writeFileSync(join(home.ufs, FILE), 'hello\n');
    for (const name of CONTROL_NAMES) writeFileSync(join(home.ufs, DIR, name), 'odd\n');
    localFile = join(home.dir, 'local.txt');
    writeFileSync(localFile, 'local\n');
    mountSource = home.mkdir('mount-source');
    mkdirSync(join(mountSource, 'inside'));
  });

  it('300+ inputs: no stack trace, no hang, refused the DESIGN way or done as said', {timeout: 900_000}, async () => {
    const generated = fc.sample(
      fc.oneof(
        {arbitrary: numericFlags(), weight: 6},
        {arbitrary: unknownFlags(), weight: 3},
        {arbitrary: globalFlagPlaces(), weight: 2},
        {arbitrary: extraArguments(), weight: 4},
        {arbitrary: modesOwnersGroups(), weight: 4},
        {arbitrary: pathNames(), weight: 5},
        {arbitrary: systemProperties(), weight: 3},
        {arbitrary: mounts(), weight: 3},
        {arbitrary: unknownCommands(), weight: 1},
      ),
      {numRuns: RUNS, seed: SEED},
    );
    const cases = [...fixedCases(), ...generated];
    const started = Date.now();
    const failures = await runAll(cases);
    const kinds = new Map<string, number>();
    for (const c of cases) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
    console.log(
      `${cases.length} inputs (seed ${SEED}) in ${((Date.now() - started) / 1000).toFixed(1)} s, ${failures.length} failed: ` +
        [...kinds].map(([k, n]) => `${k} ${n}`).join(', '),
    );
    if (process.env.FUZZ_RUNS === undefined) expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(failures.map((f) => `[${f.input.kind}] ${f.problem}\n${clip(describeResult(f.result))}`)).toEqual([]);
  });
});
