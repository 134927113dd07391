/**
 * The progress line of long work (README "Progress"), as a user sees it: on a real pseudo-terminal (util-linux
 * `script`) a live line on stderr that stdout's lines never land on, and nothing with --quiet; off a terminal
 * nothing for short work (its output stays exact), and for work past 10 s a plain line every 10 s and one at the
 * end, without escape codes.
 */
import {spawn} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BIN, type Home, cleanupHomes, makeHome, mergeEnv} from '../helpers/cli.js';
import {expectSuccess} from '../helpers/expect-cli.js';

afterAll(cleanupHomes);

let home: Home;
let big: string;

beforeAll(() => {
  home = makeHome();
  big = join(home.mkdir('local'), 'big.bin');
  writeFileSync(big, Buffer.alloc(24 * 1024 * 1024, 1));
});

/** Runs a shell command line in the home's environment; returns what came out and the exit code. */
function shell(line: string, timeoutMs = 60_000): Promise<{output: string; stderr: string; code: number | null}> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', line], {env: mergeEnv(home.env), cwd: home.dir, stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({output, stderr, code});
    });
  });
}

/** `script` gives the command a terminal for stdin, stdout and stderr; what the terminal got comes out. */
const onTerminal = (command: string) => shell(`script -qfec ${JSON.stringify(command)} /dev/null`);

const ESC = '\x1b';

describe('on a terminal', () => {
  it('shows a live line on stderr while copying, and keeps stdout clean', async () => {
    const stdoutFile = join(home.dir, 'stdout.txt');
    const r = await onTerminal(`${BIN} fs copyFromLocal ${big} /live.bin > ${stdoutFile}`);
    expect(r.code, r.output).toBe(0);
    // The terminal saw the live line (stderr), with bytes of our size format, drawn in place and cleared.
    expect(r.output).toMatch(/copyFromLocal: [\d.]+(B|KB|MB) of 24\.00MB \(\d+%\)/);
    expect(r.output).toContain(`${ESC}[2K`);
    // stdout went to the file: exactly the line it prints without a terminal.
    expect(readFileSync(stdoutFile, 'utf8')).toBe(`Copied file://${big} to /live.bin\n`);
  });

  it('prints stdout lines on a line of their own when stdout is the same terminal', async () => {
    const r = await onTerminal(`${BIN} fs cp file://${big} /shared.bin`);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('cp: ');
    // The live line was cleared to the start of the line before "Copied", which ends its own line.
    expect(r.output).toMatch(new RegExp(`${ESC}\\[2K(${ESC}\\[[0-9;?]*[a-zA-Z]|${ESC}[78])*Copied file://${big} to /shared.bin\r?\n`));
  });

  it('clears the live line before the line of an interrupt', async () => {
    // Data arrives, then the pipe stays open: the copy is under way when SIGTERM comes.
    const script = join(home.dir, 'interrupt.sh');
    writeFileSync(script, `(head -c 5000000 /dev/zero; sleep 8) | ${BIN} fs copyFromLocal /dev/stdin /interrupted.bin &\nsleep 3\nkill -TERM $!\nwait $!\n`);
    const r = await onTerminal(`sh ${script}`);
    expect(r.output).toContain('copyFromLocal: ');
    expect(r.output).toMatch(new RegExp(`${ESC}\\[2KInterrupted: removed 1 temporary file\r\n`));
  });

  it('shows nothing with --quiet', async () => {
    const r = await onTerminal(`${BIN} fs copyFromLocal --quiet ${big} /quiet.bin`);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toBe(`Copied file://${big} to /quiet.bin\r\n`);
  });

  it('shows nothing with --json: stderr stays for the one error line', async () => {
    const r = await onTerminal(`${BIN} fs copyFromLocal --json ${big} /json.bin`);
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toContain('copyFromLocal:');
    expect(r.output).not.toContain(ESC);
  });
});

describe('off a terminal', () => {
  it('prints nothing for work that ends within 10 s', async () => {
    const r = await shell(`${BIN} fs copyToLocal /live.bin ${join(home.dir, 'back.bin')}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.output).toBe(`Copied /live.bin to file://${join(home.dir, 'back.bin')}\n`);
  });

  it('past 10 s prints a plain line every 10 s and one at the end', async () => {
    // A pipe that delivers 6 MB, then the rest 11 s later: the copy lasts just over 10 s.
    const r = await shell(`(head -c 6000000 /dev/zero; sleep 11; head -c 1000 /dev/zero) | ${BIN} fs copyFromLocal /dev/stdin /slow.bin`);
    expect(r.code, r.stderr).toBe(0);
    const progress = r.stderr.split('\n').filter(Boolean);
    expect(progress).toHaveLength(2);
    // A pipe has no size up front: while it is read, what arrived is all that is known.
    expect(progress[0]).toMatch(/^copyFromLocal: 5\.72MB of 5\.72MB found so far, [\d.]+KB\/s$/);
    expect(progress[1]).toMatch(/^copyFromLocal: 5\.72MB of 5\.72MB \(100%\) in 1[01]s, [\d.]+KB\/s$/);
    expect(r.stderr).not.toContain(ESC);
    expect(r.output).toBe('Copied file:///dev/stdin to /slow.bin\n');
    expectSuccess(await home.run(['fs', 'stat', '/slow.bin']));
  }, 40_000);
});
