import {describe, expect, it} from 'vitest';
import {type FsCommandInfo, formatFsHelp, formatFsUsageList} from '../../../src/cli/fs-usage.js';

const rm: FsCommandInfo = {
  name: 'rm',
  usage: 'rm [-R] <path>',
  description: 'Removes the specified file. '.repeat(4).trim(),
  options: [
    {short: 'R', long: 'recursive', takesValue: false, description: 'recursive'},
    {long: 'alluxioOnly', takesValue: false, description: 'only Alluxio'},
    {short: 'c', long: 'count', takesValue: true, description: 'how many'},
  ],
};
const cat: FsCommandInfo = {name: 'cat', usage: 'cat <path>', description: 'Prints a file.', options: []};

describe('fs usage list', () => {
  it("prints Alluxio's header, then \"%-60s\" of \"\\t [usage]\" per command sorted by name", () => {
    expect(formatFsUsageList([rm, cat])).toEqual([
      'Usage: alluxio fs [generic options]',
      '\t [cat <path>]'.padEnd(60),
      '\t [rm [-R] <path>]'.padEnd(60),
    ]);
  });
});

describe('fs help', () => {
  it('wraps the description at 80 columns and renders the option table as Commons CLI does', () => {
    expect(formatFsHelp([rm, cat])).toEqual([
      'cat: Prints a file.',
      'usage: cat <path>',
      '',
      'rm: Removes the specified file. Removes the specified file. Removes the',
      'specified file. Removes the specified file.',
      'usage: rm [-R] <path>',
      '    --alluxioOnly   only Alluxio',
      ' -c,--count <arg>   how many',
      ' -R,--recursive     recursive',
      '',
    ]);
  });
});
