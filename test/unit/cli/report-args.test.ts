import {describe, expect, it} from 'vitest';

import {parseReportArgs} from '../../../src/cli/report-args.js';
import {AlluxioError} from '../../../src/errors.js';

function usageErrorOf(argv: string[]): string {
  try {
    parseReportArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(AlluxioError);
    expect((e as AlluxioError).exitCode).toBe(2);
    return (e as AlluxioError).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('fsadmin report arguments (facts §5)', () => {
  it('summary is the default; every category is accepted', () => {
    expect(parseReportArgs([])).toEqual({category: 'summary'});
    for (const category of ['summary', 'ufs', 'metrics', 'jobservice']) expect(parseReportArgs([category])).toEqual({category});
    expect(parseReportArgs(['capacity'])).toEqual({category: 'capacity', range: 'all', workers: []});
  });

  it('capacity filters: -live, -lost, -workers h1,h2 (before or after the category)', () => {
    expect(parseReportArgs(['capacity', '-live'])).toEqual({category: 'capacity', range: 'live', workers: []});
    expect(parseReportArgs(['-lost', 'capacity'])).toEqual({category: 'capacity', range: 'lost', workers: []});
    expect(parseReportArgs(['capacity', '-workers', 'h1, h2,'])).toEqual({category: 'capacity', range: 'specified', workers: ['h1', 'h2']});
  });

  it('-h prints the usage of report, or of report capacity', () => {
    expect(parseReportArgs(['-h'])).toEqual({help: 'report'});
    expect(parseReportArgs(['ufs', '-h'])).toEqual({help: 'report'});
    expect(parseReportArgs(['capacity', '-h'])).toEqual({help: 'capacity'});
    expect(parseReportArgs(['capacity', '-live', '-h'])).toEqual({help: 'capacity'});
  });

  it("refuses with Alluxio's messages", () => {
    expect(usageErrorOf(['nope'])).toBe('report category is invalid.');
    expect(usageErrorOf(['capacity', '-live', '-lost'])).toBe('Too many arguments passed in.');
    expect(usageErrorOf(['capacity', '-live', '-workers', 'h'])).toBe('Too many arguments passed in.');
    expect(usageErrorOf(['ufs', '-live'])).toBe('report ufs does not support arguments: -live');
    expect(usageErrorOf(['-workers', 'h'])).toBe('report summary does not support arguments: -workers');
    expect(usageErrorOf(['capacity', '-workers'])).toBe('Missing argument for option: workers');
    expect(usageErrorOf(['capacity', '-workers', ','])).toBe('Missing argument for option: workers');
    expect(usageErrorOf(['capacity', '-x'])).toBe('Unknown option -x for report');
    expect(usageErrorOf(['ufs', 'capacity'])).toBe('Command report requires at most 1 arguments (2 provided)');
  });
});
