import {Chalk} from 'chalk';
import {describe, expect, it} from 'vitest';

import {formatDiagnosis} from '../../../src/cli/doctor-format.js';
import type {DiagnosisReport} from '../../../src/fs/diagnose.js';

const REPORT: DiagnosisReport = {
  target: 's3://bucket/dir',
  ufsUri: 's3://bucket/dir',
  healthy: false,
  sections: [{title: 'Client', rows: [{name: 'endpoint', value: 'http://127.0.0.1:1', source: 'site property'}]}],
  probes: [
    {name: 'credentials', action: '', status: 'ok', detail: 'anonymous'},
    {name: 'list', action: 's3:ListBucket', status: 'failed', detail: 'denied', hint: 'Grant s3:ListBucket.'},
    {name: 'write', action: 's3:PutObject', status: 'skipped', detail: 'run with --write'},
  ],
};

const PLAIN = [
  'Diagnosis of s3://bucket/dir',
  '',
  'Client:',
  '  endpoint  http://127.0.0.1:1  [site property]',
  '',
  'Probes:',
  '  OK   credentials  anonymous',
  '  FAIL list         denied',
  '                    fix: Grant s3:ListBucket.',
  '  SKIP write        run with --write',
  '',
  'Not healthy: see the failed probes above.',
];

describe('formatDiagnosis', () => {
  it('without colours: plain lines', () => {
    expect(formatDiagnosis(REPORT)).toEqual(PLAIN);
  });

  it('with colours: the marks, the fix word and the verdict coloured, the rest plain', () => {
    const lines = formatDiagnosis(REPORT, new Chalk({level: 1}));
    expect(lines.slice(0, 6)).toEqual(PLAIN.slice(0, 6));
    expect(lines.slice(6)).toEqual([
      '  \u001b[32mOK  \u001b[39m credentials  anonymous',
      '  \u001b[31mFAIL\u001b[39m list         denied',
      '                    \u001b[36mfix:\u001b[39m Grant s3:ListBucket.',
      '  \u001b[33mSKIP\u001b[39m write        run with --write',
      '',
      '\u001b[31mNot healthy: see the failed probes above.\u001b[39m',
    ]);
    expect(formatDiagnosis({...REPORT, healthy: true, probes: REPORT.probes.slice(0, 1)}, new Chalk({level: 1})).at(-1)).toBe(
      '\u001b[32mHealthy.\u001b[39m',
    );
  });

  it('escapes control characters of what it reports (it is printed as it is), never its own colours', () => {
    const evil: DiagnosisReport = {
      ...REPORT,
      target: 's3://bucket/a\u001b[2Jb',
      sections: [{title: 'Client', rows: [{name: 'endpoint', value: 'x\ny'}]}],
      probes: [{name: 'list', action: '', status: 'failed', detail: 'no\u001b]0;t\u0007', hint: 'h\r'}],
    };
    const lines = formatDiagnosis(evil, new Chalk({level: 1}));
    expect(lines[0]).toBe('Diagnosis of s3://bucket/a\\x1b[2Jb');
    expect(lines[3]).toBe('  endpoint  x\\ny');
    expect(lines[6]).toBe('  \u001b[31mFAIL\u001b[39m list  no\\x1b]0;t\\x07');
    expect(lines[7]).toBe('             \u001b[36mfix:\u001b[39m h\\r');
  });
});
