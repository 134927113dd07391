/**
 * Shell completion (oclif's autocomplete plugin) as a user sets it up: `alluxio autocomplete <shell>` builds the
 * scripts under the home's ~/.cache/alluxio, `alluxio autocomplete script <shell>` prints the line for the shell's
 * rc file, and the real shell completes command and flag names with our space-separated topics. bash runs its
 * completion function as readline would call it; zsh runs its whole completion system in a pseudo-terminal
 * (zsh's zpty), with compadd recording the matches; PowerShell is not in Debian, so its script is checked as text.
 */
import {execFile} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cleanupHomes, crashSigns, describeResult, type Home, lines, makeHome, type RunResult} from '../helpers/cli.js';
import {expectSuccess, expectUsageError} from '../helpers/expect-cli.js';

const run = promisify(execFile);
const hasZsh = existsSync('/usr/bin/zsh') || existsSync('/bin/zsh');
const LS_FLAGS = ['--debug', '--dir', '--force', '--human', '--json', '--no-color', '--pinned', '--recursive', '--reverse', '--sort', '--timestamp'];

/** `autocomplete` succeeded: its one progress line on stderr, nothing else there. */
function expectBuilt(r: RunResult): void {
  expect(r.code, describeResult(r)).toBe(0);
  expect(r.stderr, describeResult(r)).toBe('Building the autocomplete cache... done\n');
}

let home: Home;
let setup: Record<'bash' | 'zsh' | 'powershell', string>;

beforeAll(async () => {
  home = makeHome();
  // Builds the cache once; the three scripts come from it.
  expectBuilt(await home.run(['autocomplete', '--refresh-cache']));
  const shells = ['bash', 'zsh', 'powershell'] as const;
  const lines = await Promise.all(shells.map((shell) => home.run(['autocomplete', 'script', shell])));
  for (const r of lines) expectSuccess(r);
  setup = {bash: lines[0].stdout, zsh: lines[1].stdout, powershell: lines[2].stdout};
}, 60_000);

afterAll(cleanupHomes);

/** The environment the shells run in: the home's HOME (where the cache is), nothing of ours. */
function shellEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home.env.HOME as string, LANG: 'C.UTF-8', ...extra};
}

/** What bash offers for the words typed so far (the last one being completed), as `complete -F` calls it. */
async function bashComplete(...words: string[]): Promise<string[]> {
  const script = `
eval "$SETUP"
fn=$(complete -p alluxio | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')
[[ -n $fn ]] || { echo 'no completion for alluxio' >&2; exit 1; }
COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}
"$fn" alluxio "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"
`;
  const {stdout} = await run('bash', ['--norc', '--noprofile', '-c', script, 'bash', 'alluxio', ...words], {env: shellEnv({SETUP: setup.bash})});
  return [...new Set(stdout.split('\n').filter((w) => w !== ''))].sort();
}

describe('autocomplete', () => {
  it('prints the one-line set-up for each shell', async () => {
    const [bash, zsh, powershell] = await Promise.all(['bash', 'zsh', 'powershell'].map((shell) => home.run(['autocomplete', shell])));
    for (const r of [bash, zsh, powershell]) expectBuilt(r);
    expect(bash.stdout).toContain('printf "$(alluxio autocomplete script bash)" >> ~/.bashrc; source ~/.bashrc');
    expect(zsh.stdout).toContain('printf "$(alluxio autocomplete script zsh)" >> ~/.zshrc; source ~/.zshrc');
    expect(powershell.stdout).toContain(
      'Add-Content -Path $PROFILE -Value (Invoke-Expression -Command "alluxio autocomplete script powershell"); .$PROFILE',
    );
  });

  it("keeps its scripts in the user's cache folder", () => {
    const cache = join(home.env.HOME as string, '.cache', 'alluxio', 'autocomplete');
    expect(setup.bash).toContain(join(cache, 'bash_setup'));
    expect(setup.zsh).toContain(join(cache, 'zsh_setup'));
    expect(setup.powershell.trim()).toBe(`. ${join(cache, 'functions', 'powershell', 'alluxio.ps1')}`);
  });
});

describe.concurrent('autocomplete errors, reported as ours are', () => {
  it('a shell it does not know or an extra argument: one line, exit 2', async () => {
    const [fish, extra] = await Promise.all([home.run(['autocomplete', 'fish']), home.run(['autocomplete', 'bash', 'extra'])]);
    expect(fish.code, describeResult(fish)).toBe(2);
    expect(fish.stderr).toBe('Expected fish to be one of: zsh, bash, powershell\n');
    expectUsageError(extra, 'Unexpected argument: extra', 'autocomplete [<args>] ("alluxio autocomplete --help" shows them)');
  });

  it('under --json, the one-line error object', async () => {
    const r = await home.run(['autocomplete', 'fish', '--json']);
    expect(r.code, describeResult(r)).toBe(2);
    expect(JSON.parse(r.stderr)).toEqual({error: {kind: 'USAGE', message: 'Expected fish to be one of: zsh, bash, powershell'}});
  });

  it('help of a command that does not exist: the unknown-command line with the nearest name, exit 2, no stack', async () => {
    const [nosuch, typo] = await Promise.all([home.run(['help', 'nosuch']), home.run(['help', 'fromat'])]);
    const usage = '<command> [<args>] ("alluxio --help" lists the commands)';
    expect([nosuch.code, nosuch.stderr], describeResult(nosuch)).toEqual([2, `nosuch is an unknown command.\nUsage: alluxio ${usage}\n`]);
    expect([typo.code, typo.stderr], describeResult(typo)).toEqual([2, `fromat is an unknown command. Did you mean format?\nUsage: alluxio ${usage}\n`]);
  });

  it('a cache folder that cannot be made: what is wrong and a hint, exit 255, no Node error text', async () => {
    const other = makeHome();
    writeFileSync(join(other.env.HOME as string, '.cache'), '');
    const r = await other.run(['autocomplete', 'bash']);
    expect(r.code, describeResult(r)).toBe(255);
    expect(r.stdout).toBe('');
    const err = lines(r.stderr);
    expect(err[1]).toBe(`Cannot create folder ${join(other.env.HOME as string, '.cache', 'alluxio', 'autocomplete')}: not a directory`);
    expect(err[2]).toMatch(/^Hint: /);
    expect(r.stderr).not.toMatch(/ENOTDIR|›/);
    expect(crashSigns(r)).toEqual([]);
  });
});

describe.concurrent('bash completion', () => {
  it('completes the commands of a topic after a space', async () => {
    expect(await bashComplete('fs', 'cop')).toEqual(['copyFromLocal', 'copyToLocal']);
    expect(await bashComplete('fs', 'um')).toEqual(['umount']);
    expect(await bashComplete('doctor', '')).toEqual(['s3']);
  });

  it("completes a command's flags", async () => {
    expect(await bashComplete('fs', 'ls', '--')).toEqual(LS_FLAGS);
    expect(await bashComplete('fs', 'cp', '--r')).toEqual(['--recursive']);
  });

  it('completes the top-level commands and topics', async () => {
    expect(await bashComplete('run')).toEqual(['runTests', 'runUfsIOTest', 'runUfsTests']);
    const all = await bashComplete('');
    for (const name of ['autocomplete', 'doctor', 'format', 'fs', 'fsadmin', 'getConf', 'runTests', 'version']) expect(all).toContain(name);
  });
});

/** What zsh's completion system offers for `line` followed by a TAB, in an interactive zsh set up as a user does. */
async function zshComplete(line: string): Promise<string[]> {
  const dir = home.mkdir(`zsh-${Math.random().toString(36).slice(2)}`);
  const out = join(dir, 'matches');
  // The user's set-up line, then a compadd that records what matches the word under the cursor.
  writeFileSync(
    join(dir, '.zshrc'),
    `PS1='> '
${setup.zsh}
compadd() {
  if (( ! \${@[(I)-[OAD]]} )); then
    local -a matches
    builtin compadd -O matches "$@"
    (( \${#matches} )) && print -rl -- $matches >> $COMP_OUT
  fi
  builtin compadd "$@"
}
_comp_done() { print -r -- '<done>' >> $COMP_OUT }
comppostfuncs=(_comp_done)
print -r -- '<ready>' >> $COMP_OUT
`,
  );
  const driver = `
zmodload zsh/zpty
wait_for() {
  repeat 400; do
    [[ -f $COMP_OUT ]] && grep -qxF -- $1 $COMP_OUT && return 0
    sleep 0.05
  done
  print -u2 "timed out waiting for $1"; return 1
}
zpty comp zsh -i
wait_for '<ready>' || exit 1
zpty -w -n comp "$1"$'\\t'
wait_for '<done>'; rc=$?
zpty -d comp
exit $rc
`;
  await run('zsh', ['-f', '-c', driver, 'zsh', line], {env: shellEnv({ZDOTDIR: dir, COMP_OUT: out})});
  return [...new Set(readFileSync(out, 'utf8').split('\n').filter((w) => w !== '' && !w.startsWith('<')))].sort();
}

describe.runIf(hasZsh).concurrent('zsh completion', () => {
  it('completes the commands of a topic after a space', async () => {
    expect(await zshComplete('alluxio fs cop')).toEqual(['copyFromLocal', 'copyToLocal']);
  });

  it("completes a command's flags, short ones too", async () => {
    expect(await zshComplete('alluxio fs ls --')).toEqual([...LS_FLAGS, '--help'].sort());
    expect(await zshComplete('alluxio fs ls -')).toEqual(expect.arrayContaining(['-R', '-d', '-h', '--recursive']));
  });

  it('completes the top-level commands', async () => {
    expect(await zshComplete('alluxio run')).toEqual(['runTests', 'runUfsIOTest', 'runUfsTests']);
  });
});

describe('PowerShell completion script', () => {
  it('registers a completer for alluxio holding our commands, topics and flags', () => {
    const script = readFileSync(setup.powershell.trim().slice(2), 'utf8');
    expect(script).toContain('Register-ArgumentCompleter -Native -CommandName alluxio');
    for (const name of ['fs', 'doctor', 'fsadmin', 'copyFromLocal', 'copyToLocal', 'runTests', 'getConf', 's3', 'report']) {
      expect(script).toContain(`"${name}" = @{`);
    }
    const ls = /^"ls" = @\{\n"_command" = @\{\n.*\n {2}"flags" = @\{\n((?: {4}".*\n)+)/m.exec(script);
    const flags = [...(ls?.[1] ?? '').matchAll(/^ {4}"([\w-]+)"/gm)].map((m) => `--${m[1]}`);
    expect(flags.sort()).toEqual([...LS_FLAGS, '--help'].sort());
  });
});
