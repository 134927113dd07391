/**
 * Colour as a user sees it, from the real CLI: Alluxio's own codes (runTests, runUfsTests, the start script's
 * monitor) printed into pipes as Alluxio prints them and dropped only by NO_COLOR or --no-color; our
 * own colours (warnings, the Hint word, doctor's marks) only on a terminal or with FORCE_COLOR, never in --json.
 */
import {spawn} from 'node:child_process';
import {chmodSync, readFileSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import {join} from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';

import {BIN, type Home, type RunResult, cleanupHomes, collect, describeResult, lines, makeHome} from '../helpers/cli.js';
import {expectNoCrash} from '../helpers/expect-cli.js';
import {freePort, killMasters, runScript, trackHome} from '../helpers/master.js';

afterEach(killMasters);
afterAll(cleanupHomes);

const ESC = '\u001b';
const PASSED = `${ESC}[32mPassed the test!${ESC}[0m`;
const FAILED = `${ESC}[31mFailed the test!${ESC}[0m`;
const WARN = `${ESC}[33mWARN:${ESC}[39m `;
const HINT = `${ESC}[36mHint:${ESC}[39m `;

/** Two quick runTests tests (NO_CACHE read, THROUGH write). */
const RUN_TESTS = ['runTests', '--readType', 'NO_CACHE', '--writeType', 'THROUGH'];
/** Two runTests tests that fail: a 10-byte cache cannot hold MUST_CACHE's files. */
const FAILING_RUN_TESTS = ['runTests', '--readType', 'CACHE', '--writeType', 'MUST_CACHE', '-Dalluxio.worker.tieredstore.level0.dirs.quota=10B'];

function expectNoEscape(text: string, r: RunResult): void {
  expect(text, describeResult(r)).not.toContain(ESC);
}

describe("Alluxio's own codes: kept in pipes, dropped only when asked", () => {
  it('runTests in a pipe prints the green verdicts', async () => {
    const r = await makeHome().run(RUN_TESTS);
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout).filter((l) => l === PASSED)).toHaveLength(2);
  });

  it.each([
    ['NO_COLOR=1', [], {NO_COLOR: '1'}],
    ['--no-color', ['--no-color'], {}],
    ['--no-color before the command name', [], {}, ['--no-color', ...RUN_TESTS]],
  ] as [string, string[], Record<string, string>, string[]?][])('%s: plain verdicts', async (_name, extra, env, argv) => {
    const r = await makeHome().run(argv ?? [...RUN_TESTS, ...extra], {env});
    expect(r.code, describeResult(r)).toBe(0);
    expect(lines(r.stdout).filter((l) => l === 'Passed the test!'), describeResult(r)).toHaveLength(2);
    expectNoEscape(r.stdout, r);
  });

  it("NO_COLOR wins over FORCE_COLOR; FORCE_COLOR=0 alone keeps Alluxio's codes (only NO_COLOR and --no-color drop them)", async () => {
    const [both, forcedOff] = await Promise.all([
      makeHome().run(RUN_TESTS, {env: {NO_COLOR: '1', FORCE_COLOR: '1'}}),
      makeHome().run(RUN_TESTS, {env: {FORCE_COLOR: '0'}}),
    ]);
    expect(lines(both.stdout).filter((l) => l === 'Passed the test!'), describeResult(both)).toHaveLength(2);
    expectNoEscape(both.stdout, both);
    expect(lines(forcedOff.stdout).filter((l) => l === PASSED), describeResult(forcedOff)).toHaveLength(2);
  });

  it('the failure path: red verdicts in a pipe, plain under NO_COLOR and --no-color', async () => {
    const home = makeHome();
    const red = await home.run(FAILING_RUN_TESTS);
    expectNoCrash(red);
    expect(red.code, describeResult(red)).toBe(2);
    expect(lines(red.stdout).filter((l) => l === FAILED), describeResult(red)).toHaveLength(2);
    for (const [extra, env] of [[[], {NO_COLOR: '1'}], [['--no-color'], {}]] as [string[], Record<string, string>][]) {
      const plain = await home.run([...FAILING_RUN_TESTS, ...extra], {env});
      expect(plain.code, describeResult(plain)).toBe(2);
      expect(lines(plain.stdout).filter((l) => l === 'Failed the test!'), describeResult(plain)).toHaveLength(2);
      expectNoEscape(plain.stdout, plain);
    }
  });

  it('runUfsTests: green in a pipe, plain under NO_COLOR', async () => {
    const home = makeHome();
    const dir = home.mkdir('ufs');
    const args = ['runUfsTests', '--path', dir, '--test', 'createAtomicTest'];
    const green = await home.run(args);
    expect(green.code, describeResult(green)).toBe(0);
    expect(lines(green.stdout), describeResult(green)).toContain(PASSED);
    const plain = await home.run(args, {env: {NO_COLOR: '1'}});
    expect(lines(plain.stdout), describeResult(plain)).toContain('Passed the test!');
    expectNoEscape(plain.stdout, plain);
  });
});

describe("alluxio-start.sh's monitor", () => {
  async function masterHome(port?: number): Promise<Home> {
    return trackHome(makeHome({site: {'alluxio.master.web.port': String(port ?? (await freePort()))}}));
  }

  it('--no-color (before or after the ACTION) prints the monitor plain; alluxio-stop.sh takes it too', async () => {
    const home = await masterHome();
    for (const args of [['--no-color', 'local'], ['local', '--no-color']]) {
      const r = await runScript(home, 'start', args);
      expect(r.code, describeResult(r)).toBe(0);
      expect(lines(r.stdout), describeResult(r)).toContain('Starting to monitor all local services.');
      expect(lines(r.stdout).at(-1), describeResult(r)).toMatch(/^--- \[ OK \] The master service @ \S+ is in a healthy state\.$/);
      expectNoEscape(r.stdout, r);
      expect(r.stderr, describeResult(r)).toBe('');
    }
    const s = await runScript(home, 'stop', ['local', '--no-color']);
    expect(s.code, describeResult(s)).toBe(0);
    expect(lines(s.stdout), describeResult(s)).toEqual([expect.stringMatching(/^Successfully Killed 1 process\(es\) successfully on /)]);
  });

  it("FORCE_COLOR colours the monitor but never master.out, whose Hint the start script prints back plain", async () => {
    const port = await freePort();
    const home = await masterHome(port);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const r = await runScript(home, 'start', ['local'], {FORCE_COLOR: '1'});
      expect(r.code, describeResult(r)).toBe(1);
      expect(lines(r.stdout), describeResult(r)).toContain(`Starting to monitor ${ESC}[36mall local${ESC}[0m services.`);
      expect(lines(r.stderr), describeResult(r)).toEqual([
        `Cannot start the web UI: port ${port} is in use (127.0.0.1:${port})`,
        'Hint: Stop what listens there, or set alluxio.master.web.port to a free port.',
      ]);
      expect(readFileSync(join(home.dir, 'logs', 'master.out'), 'utf8')).not.toContain(ESC);
    } finally {
      squatter.close();
    }
  });
});

describe('our own colours follow the stream', () => {
  /** A home whose readable site file holds a secret: every command warns. */
  function warningHome(): Home {
    const home = makeHome();
    writeFileSync(home.siteFile, 's3a.secretKey=notASecretOfAnyone\n');
    chmodSync(home.siteFile, 0o644);
    return home;
  }

  it('WARN and Hint: plain in a pipe, coloured with FORCE_COLOR, plain again with --no-color', async () => {
    const home = warningHome();
    const plain = await home.run(['fs', 'cat', '/']);
    expect(lines(plain.stderr), describeResult(plain)).toEqual([
      expect.stringMatching(/^WARN: \S+ holds s3a\.secretKey and other users can read it/),
      'Path "/" must be a file.',
      'Hint: / is a directory.',
    ]);
    const forced = await home.run(['fs', 'cat', '/'], {env: {FORCE_COLOR: '1'}});
    expect(lines(forced.stderr), describeResult(forced)).toEqual([
      expect.stringMatching(new RegExp(`^${ESC}\\[33mWARN:${ESC}\\[39m \\S+ holds s3a\\.secretKey`)),
      'Path "/" must be a file.',
      `${HINT}/ is a directory.`,
    ]);
    expect(forced.stderr.startsWith(WARN)).toBe(true);
    const off = await home.run(['fs', 'cat', '/', '--no-color'], {env: {FORCE_COLOR: '1'}});
    expect(lines(off.stderr), describeResult(off)).toEqual(lines(plain.stderr));
  });

  it('--json stays plain under FORCE_COLOR: the error object and the output', async () => {
    const home = makeHome();
    const r = await home.run(['fs', 'ls', '--json', 's3://bucket/x'], {env: {FORCE_COLOR: '1'}});
    expect(r.code, describeResult(r)).toBe(255);
    expect(JSON.parse(r.stderr).error, describeResult(r)).toMatchObject({message: 'Path "s3://bucket/x" is invalid.', hint: expect.stringMatching(/^Alluxio paths/)});
    expectNoEscape(r.stdout + r.stderr, r);
    // A warning before the error object is plain too.
    const warned = await warningHome().run(['fs', 'ls', '--json', '/'], {env: {FORCE_COLOR: '1'}});
    expect(lines(warned.stderr)[0], describeResult(warned)).toMatch(/^WARN: \S+ holds s3a\.secretKey/);
    expectNoEscape(warned.stdout + warned.stderr, warned);
  });

  it("fsadmin report's Hint, when no master answers", async () => {
    const home = makeHome({site: {'alluxio.master.web.port': String(await freePort())}});
    const plain = await home.run(['fsadmin', 'report']);
    expect(lines(plain.stderr), describeResult(plain)).toEqual([expect.stringMatching(/^Hint: No master answers at /)]);
    const forced = await home.run(['fsadmin', 'report'], {env: {FORCE_COLOR: '1'}});
    expect(lines(forced.stderr), describeResult(forced)).toEqual([expect.stringMatching(new RegExp(`^${ESC}\\[36mHint:${ESC}\\[39m No master answers at `))]);
  });

  describe('doctor s3 (an endpoint where nothing listens: failed probes, exit 1)', () => {
    const args = async () => ['doctor', 's3', 's3://bucket/dir', `-Dalluxio.underfs.s3.endpoint=http://127.0.0.1:${await freePort()}`];
    const env = {AWS_ACCESS_KEY_ID: 'AKIACOLOURTEST000001', AWS_SECRET_ACCESS_KEY: 'colourTestSecretNotReal'};

    it('marks and verdict coloured with FORCE_COLOR, plain in a pipe', async () => {
      const home = makeHome();
      const argv = await args();
      const plain = await home.run(argv, {env});
      expect(plain.code, describeResult(plain)).toBe(1);
      expect(lines(plain.stdout), describeResult(plain)).toContain('Not healthy: see the failed probes above.');
      expect(lines(plain.stdout).filter((l) => l.startsWith('  FAIL ')).length, describeResult(plain)).toBeGreaterThan(0);
      expectNoEscape(plain.stdout, plain);

      const forced = await home.run(argv, {env: {...env, FORCE_COLOR: '1'}});
      expect(forced.code, describeResult(forced)).toBe(1);
      const out = lines(forced.stdout);
      expect(out, describeResult(forced)).toContain(`${ESC}[31mNot healthy: see the failed probes above.${ESC}[39m`);
      expect(out.filter((l) => l.startsWith(`  ${ESC}[31mFAIL${ESC}[39m `)).length, describeResult(forced)).toBeGreaterThan(0);
      expect(out.filter((l) => l.startsWith(`  ${ESC}[32mOK  ${ESC}[39m credentials `)), describeResult(forced)).toHaveLength(1);
      // Everything but the colours is the same report.
      expect(forced.stdout.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), '')).toBe(plain.stdout);
    });

    it('--json: no colour even with FORCE_COLOR', async () => {
      const r = await makeHome().run([...(await args()), '--json'], {env: {...env, FORCE_COLOR: '1'}});
      expect(r.code, describeResult(r)).toBe(1);
      expect(JSON.parse(r.stdout).healthy, describeResult(r)).toBe(false);
      expectNoEscape(r.stdout, r);
    });
  });
});

describe('on a terminal (a pseudo-terminal through script(1))', () => {
  /** Runs `bin/alluxio args` under `script`, stdout and stderr both on the terminal. */
  function onTerminal(home: Home, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    const command = [BIN, ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: home.dir,
      env: {PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', TZ: 'UTC', TERM: 'xterm', AWS_EC2_METADATA_DISABLED: 'true', ...home.env, ...env} as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return collect(child, args);
  }

  it('colours the Hint word by default, not under NO_COLOR', async () => {
    const home = makeHome();
    const tty = await onTerminal(home, ['fs', 'cat', '/']);
    expect(tty.code, describeResult(tty)).toBe(255);
    expect(tty.stdout.split('\r\n'), describeResult(tty)).toContain(`${HINT}/ is a directory.`);
    const noColor = await onTerminal(home, ['fs', 'cat', '/'], {NO_COLOR: '1'});
    expect(noColor.stdout.split('\r\n'), describeResult(noColor)).toContain('Hint: / is a directory.');
    expectNoEscape(noColor.stdout, noColor);
  });

  it("Alluxio's codes on a terminal too", async () => {
    const tty = await onTerminal(makeHome(), RUN_TESTS);
    expect(tty.code, describeResult(tty)).toBe(0);
    expect(tty.stdout.split('\r\n').filter((l) => l === PASSED), describeResult(tty)).toHaveLength(2);
  });
});
