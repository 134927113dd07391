import {describe, expect, it} from 'vitest';
import {commandNames, suggestCommand, unknownCommandMessage} from '../../../src/cli/unknown-command.js';

const FS = ['cat', 'copyFromLocal', 'copyToLocal', 'cp', 'du', 'help', 'ls', 'mkdir', 'mount', 'rm', 'touch', 'umount', 'unmount'];
const TOP = ['doctor', 'format', 'fs', 'fsadmin', 'getConf', 'runTests', 'runUfsIOTest', 'runUfsTests', 'version'];

describe('suggestCommand', () => {
  it('names the command a typo meant', () => {
    expect(suggestCommand('copyFromLocl', FS)).toBe('copyFromLocal');
    expect(suggestCommand('cpoyToLocal', FS)).toBe('copyToLocal');
    expect(suggestCommand('mkdri', FS)).toBe('mkdir');
    expect(suggestCommand('runTest', TOP)).toBe('runTests');
    expect(suggestCommand('fss', TOP)).toBe('fs');
    expect(suggestCommand('getconf', TOP)).toBe('getConf');
    expect(suggestCommand('runUfsTest', TOP)).toBe('runUfsTests');
  });

  it('allows one edit in four letters, so an unrelated word gets no suggestion', () => {
    expect(suggestCommand('nosuch', FS)).toBeUndefined();
    expect(suggestCommand('mkdrx', FS)).toBeUndefined();
    expect(suggestCommand('copyFrmLcl', FS)).toBeUndefined();
    expect(suggestCommand('cpyFrmLocal', FS)).toBe('copyFromLocal');
    expect(suggestCommand('banana', TOP)).toBeUndefined();
  });

  it('leaves names of one or two letters alone', () => {
    expect(suggestCommand('l', FS)).toBeUndefined();
    expect(suggestCommand('lx', FS)).toBeUndefined();
  });
});

describe('unknownCommandMessage', () => {
  it("keeps Alluxio's text and adds the suggestion on the same line", () => {
    expect(unknownCommandMessage('copyFromLocl', FS)).toBe('copyFromLocl is an unknown command. Did you mean copyFromLocal?');
    expect(unknownCommandMessage('nosuch', FS)).toBe('nosuch is an unknown command.');
  });
});

describe('commandNames', () => {
  const config = {
    commands: [
      {id: 'version', hidden: false},
      {id: 'fs', hidden: false},
      {id: 'fs:ls', hidden: false},
      {id: 'fs:umount', hidden: false},
      {id: 'doctor:s3', hidden: false},
      {id: 'autocomplete', hidden: false},
      {id: 'autocomplete:script', hidden: true},
      {id: 'secret', hidden: true},
    ],
  } as unknown as Parameters<typeof commandNames>[0];

  it('lists the top-level commands and topics, hidden ones left out', () => {
    expect(commandNames(config)).toEqual(['autocomplete', 'doctor', 'fs', 'version']);
  });

  it("lists a topic's commands, aliases included", () => {
    expect(commandNames(config, 'fs')).toEqual(['ls', 'umount']);
    expect(commandNames(config, 'autocomplete')).toEqual([]);
  });
});
