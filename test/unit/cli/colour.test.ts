import {Chalk} from 'chalk';
import {describe, expect, it} from 'vitest';

import {PLAIN, alluxioColours, alluxioColoursOn, colours, loadColours, ownColoursOn, paintHint} from '../../../src/cli/colour.js';

const TTY = {isTTY: true};
const PIPE = {isTTY: false};
const FILE = {};

/** Environment → [our colours on a terminal, our colours in a pipe, Alluxio's codes]. */
const MATRIX: [NodeJS.ProcessEnv, boolean, boolean, boolean][] = [
  [{}, true, false, true],
  [{TERM: 'xterm-256color'}, true, false, true],
  [{TERM: 'dumb'}, false, false, true],
  [{NO_COLOR: '1'}, false, false, false],
  [{NO_COLOR: 'false'}, false, false, false],
  // https://no-color.org: only a value that is not empty counts.
  [{NO_COLOR: ''}, true, false, true],
  [{FORCE_COLOR: '1'}, true, true, true],
  [{FORCE_COLOR: '3'}, true, true, true],
  [{FORCE_COLOR: 'true'}, true, true, true],
  [{FORCE_COLOR: ''}, true, true, true],
  [{FORCE_COLOR: '1', TERM: 'dumb'}, true, true, true],
  // FORCE_COLOR=0 turns our colours off; Alluxio's codes go only with NO_COLOR or --no-color.
  [{FORCE_COLOR: '0'}, false, false, true],
  [{FORCE_COLOR: 'false'}, false, false, true],
  // NO_COLOR wins over FORCE_COLOR: no colour at all.
  [{FORCE_COLOR: '1', NO_COLOR: '1'}, false, false, false],
  [{FORCE_COLOR: '0', NO_COLOR: ''}, false, false, true],
];

describe('colour policy', () => {
  describe.each(MATRIX)('env %j', (env, onTerminal, inPipe, alluxio) => {
    it(`our colours: terminal ${onTerminal}, pipe ${inPipe}; Alluxio's codes ${alluxio}`, () => {
      const settings = {env, argv: ['node', 'alluxio', 'fs', 'ls', '/']};
      expect(ownColoursOn(TTY, settings)).toBe(onTerminal);
      expect(ownColoursOn(PIPE, settings)).toBe(inPipe);
      expect(ownColoursOn(FILE, settings)).toBe(inPipe);
      expect(alluxioColoursOn(settings)).toBe(alluxio);
    });

    it('--no-color turns every colour off, whatever the environment and the stream', () => {
      const settings = {env, argv: ['node', 'alluxio', 'runTests', '--no-color']};
      expect(ownColoursOn(TTY, settings)).toBe(false);
      expect(ownColoursOn(PIPE, settings)).toBe(false);
      expect(alluxioColoursOn(settings)).toBe(false);
    });
  });

  it('--no-color after `--` is an operand, not the flag', () => {
    const settings = {env: {}, argv: ['node', 'alluxio', 'fs', 'cat', '--', '--no-color']};
    expect(ownColoursOn(TTY, settings)).toBe(true);
    expect(alluxioColoursOn(settings)).toBe(true);
    expect(alluxioColoursOn({env: {}, argv: ['node', 'alluxio', '--no-color', '--', 'x']})).toBe(false);
  });

  it('colours(): chalk with colour for a terminal, none for a pipe; chalk loaded only when a colour is on', async () => {
    const settings = {env: {}, argv: []};
    // vitest's stdout and stderr are pipes: nothing to load.
    await loadColours(settings);
    expect(colours(TTY, settings)).toBe(PLAIN);
    await loadColours({env: {FORCE_COLOR: '1'}, argv: []});
    expect(colours(TTY, settings).yellow('WARN:')).toBe('\u001b[33mWARN:\u001b[39m');
    expect(colours(PIPE, settings).yellow('WARN:')).toBe('WARN:');
    expect(colours(PIPE, {env: {FORCE_COLOR: '1'}, argv: []}).yellow('WARN:')).toBe('\u001b[33mWARN:\u001b[39m');
  });

  it("alluxioColours(): Alluxio's exact codes, a reset after each, or the bare text", () => {
    const on = alluxioColours({env: {}, argv: []});
    expect([on.green('OK'), on.red('FAILED'), on.cyan('all local')]).toEqual([
      '\u001b[32mOK\u001b[0m',
      '\u001b[31mFAILED\u001b[0m',
      '\u001b[36mall local\u001b[0m',
    ]);
    const off = alluxioColours({env: {NO_COLOR: '1'}, argv: []});
    expect([off.green('OK'), off.red('FAILED'), off.cyan('all local')]).toEqual(['OK', 'FAILED', 'all local']);
  });
});

describe('paintHint', () => {
  const c = new Chalk({level: 1});

  it('colours the Hint word of the hint line only', () => {
    expect(paintHint(['Cannot free /f', 'Hint: Persist it first.'], c)).toEqual(['Cannot free /f', '\u001b[36mHint:\u001b[39m Persist it first.']);
  });

  it('leaves a message that happens to start with "Hint: " alone, and lines without colour as they are', () => {
    expect(paintHint(['Hint: a file name', 'Usage: alluxio fs x'], c)).toEqual(['Hint: a file name', 'Usage: alluxio fs x']);
    expect(paintHint(['m', 'Hint: h'], new Chalk({level: 0}))).toEqual(['m', 'Hint: h']);
  });
});
