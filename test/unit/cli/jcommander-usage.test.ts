import {describe, expect, it} from 'vitest';

import {jcommanderUsage} from '../../../src/cli/jcommander-usage.js';

describe('jcommanderUsage', () => {
  it('lists options by their longest name, stars the required ones, shows defaults and wraps at 79 columns', () => {
    const long = Array.from({length: 20}, (_, i) => `word${i}`).join(' ');
    expect(
      jcommanderUsage('Bench', [
        {names: ['--threads'], description: 'Threads.', default: '4'},
        {names: ['-h', '--help'], description: 'Help.'},
        {names: ['--path'], description: long, required: true},
        {names: ['--alias'], description: 'An alias.', default: ''},
      ]),
    ).toEqual([
      'Usage: Bench [options]',
      '  Options:',
      '    --alias',
      '      An alias.',
      '      Default: <empty string>',
      '    -h, --help',
      '      Help.',
      '  * --path',
      '      word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11',
      '      word12 word13 word14 word15 word16 word17 word18 word19',
      '    --threads',
      '      Threads.',
      '      Default: 4',
    ]);
  });
});
