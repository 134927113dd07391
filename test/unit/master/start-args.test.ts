import {describe, expect, it} from 'vitest';
import {getopts, parseStartArgs, parseStopArgs, START_USAGE, STOP_USAGE} from '../../../src/master/start-args.js';

describe('getopts', () => {
  it('takes grouped flags, an option argument joined or separate, and stops at the first operand', () => {
    expect(getopts('s', 'ahNwi:', ['-aN', '-ib', '-i', 'c', 'local', '-a'])).toEqual({
      options: [{name: 'a'}, {name: 'N'}, {name: 'i', value: 'b'}, {name: 'i', value: 'c'}],
      next: 4,
    });
  });

  it('ends at -- and leaves a lone - as an operand', () => {
    expect(getopts('s', 'a', ['-a', '--', '-a'])).toEqual({options: [{name: 'a'}], next: 2});
    expect(getopts('s', 'a', ['-', '-a'])).toEqual({options: [], next: 0});
  });

  it('complains as the shell does', () => {
    expect(getopts('alluxio-start.sh', 'ahNwi:', ['-m']).error).toBe('alluxio-start.sh: illegal option -- m');
    expect(getopts('alluxio-start.sh', 'ahNwi:', ['-i']).error).toBe('alluxio-start.sh: option requires an argument -- i');
    expect(getopts('s', 'i:', ['-:']).error).toBe('s: illegal option -- :');
  });
});

describe('parseStartArgs', () => {
  const run = (args: string[]) => parseStartArgs(args);

  it('local with no MOPT assumes NoMount', () => {
    expect(run(['local'])).toEqual({kind: 'run', lines: ['Assuming NoMount by default.'], action: 'local', async: false, keepRunning: false, format: false, wait: false});
  });

  it('reads the flags before the ACTION and -f after the MOPT', () => {
    expect(run(['-aNw', 'all', 'NoMount', '-f'])).toEqual({kind: 'run', lines: [], action: 'all', async: true, keepRunning: true, format: true, wait: true});
  });

  it('master takes no MOPT: -f right after it is the format flag, with no mount message', () => {
    expect(run(['master', '-f'])).toMatchObject({kind: 'run', lines: [], action: 'master', format: true});
  });

  it('local -f is SudoMount plus format, as in Alluxio', () => {
    const parsed = run(['local', '-f']);
    expect(parsed).toMatchObject({kind: 'run', format: true});
    expect(parsed.kind === 'run' && parsed.lines[0]).toBe('Assuming SudoMount given -f option.');
    expect(parsed.kind === 'run' && parsed.lines[1]).toMatch(/^SudoMount: nothing to mount/);
  });

  it('accepts Mount and SudoMount with one line saying there is nothing to mount', () => {
    for (const mode of ['Mount', 'SudoMount']) {
      const parsed = run(['local', mode]);
      expect(parsed).toMatchObject({kind: 'run', format: false});
      expect(parsed.kind === 'run' && parsed.lines).toEqual([
        `${mode}: nothing to mount, alluxio-s3's worker cache is a folder (alluxio.worker.tieredstore.level0.dirs.path).`,
      ]);
    }
  });

  it('-h prints the usage to stdout, exit 0, wherever it stands before the ACTION', () => {
    expect(run(['-h'])).toEqual({kind: 'exit', code: 0, stdout: [START_USAGE], stderr: []});
    expect(run(['-a', '-h', 'local'])).toEqual({kind: 'exit', code: 0, stdout: [START_USAGE], stderr: []});
  });

  it.each([
    [[], 'Error: no ACTION specified'],
    [['bogus'], 'Error: Invalid ACTION: bogus'],
    [['local', 'Bogus'], 'Invalid mount mode: Bogus'],
    [['-m', 'local'], 'alluxio-start.sh: illegal option -- m'],
    [['local', 'NoMount', '-x'], 'alluxio-start.sh: illegal option -- x'],
  ])('%j: %s, then the usage on stderr, exit 1', (args, line) => {
    expect(run(args)).toEqual({kind: 'exit', code: 1, stdout: [], stderr: [line, START_USAGE]});
  });

  it.each([['worker'], ['job_master'], ['proxy'], ['safe'], ['restart_workers']])('%s: one line, exit 1', (action) => {
    const parsed = run([action]);
    expect(parsed).toMatchObject({kind: 'exit', code: 1, stdout: []});
    expect(parsed.kind === 'exit' && parsed.stderr).toEqual([
      `Error: ACTION ${action} has no counterpart in alluxio-s3: it runs a single master process (start it with local, master or all)`,
    ]);
  });

  it('refuses -i and -c with one line each', () => {
    const i = run(['-i', 's3://b/backup.gz', 'local']);
    expect(i.kind === 'exit' && i.code).toBe(1);
    expect(i.kind === 'exit' && i.stderr).toEqual([expect.stringMatching(/^Error: -i is not supported/)]);
    const c = run(['local', 'NoMount', '-c', '/cache']);
    expect(c.kind === 'exit' && c.stderr).toEqual([expect.stringMatching(/^Error: -c is not supported/)]);
  });

  it('ignores words after the flags, as getopts leaves them', () => {
    expect(run(['master', 'extra'])).toMatchObject({kind: 'run', action: 'master', format: false});
  });
});

describe('parseStopArgs', () => {
  it('no argument and -h print the usage, exit 0', () => {
    expect(parseStopArgs([])).toEqual({kind: 'exit', code: 0, stdout: [STOP_USAGE], stderr: []});
    expect(parseStopArgs(['-h'])).toEqual({kind: 'exit', code: 0, stdout: [STOP_USAGE], stderr: []});
    expect(parseStopArgs(['local', '-h'])).toEqual({kind: 'exit', code: 0, stdout: [STOP_USAGE], stderr: []});
  });

  it('local, master and all stop the master; -s is soft', () => {
    for (const c of ['local', 'master', 'all']) expect(parseStopArgs([c])).toEqual({kind: 'run', lines: [], soft: false});
    expect(parseStopArgs(['local', '-s'])).toEqual({kind: 'run', lines: [], soft: true});
  });

  it('-c still stops, saying there is nothing to save', () => {
    expect(parseStopArgs(['all', '-c', '/x'])).toEqual({
      kind: 'run',
      lines: ["Nothing to save to /x: alluxio-s3's worker cache is a folder kept across restarts."],
      soft: false,
    });
  });

  it('an unknown component or flag: one line and the usage on stderr, exit 1', () => {
    expect(parseStopArgs(['bogus'])).toEqual({kind: 'exit', code: 1, stdout: [], stderr: ['Error: Invalid component: bogus', STOP_USAGE]});
    expect(parseStopArgs(['-s'])).toEqual({kind: 'exit', code: 1, stdout: [], stderr: ['Error: Invalid component: -s', STOP_USAGE]});
    expect(parseStopArgs(['local', '-q'])).toEqual({kind: 'exit', code: 1, stdout: [], stderr: ['alluxio-stop.sh: illegal option -- q', STOP_USAGE]});
  });

  it('another Alluxio component: one line, exit 1', () => {
    const parsed = parseStopArgs(['worker']);
    expect(parsed).toMatchObject({kind: 'exit', code: 1, stdout: []});
    expect(parsed.kind === 'exit' && parsed.stderr).toHaveLength(1);
  });
});
