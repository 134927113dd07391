/**
 * The arguments of `alluxio fsadmin report [category] [category args]` in Alluxio's single-dash style
 * (`report capacity -workers h1,h2`), with its messages for what it refuses.
 */
import {usageError} from '../errors.js';
import {REPORT_CATEGORIES, type ReportCategory, type WorkerRange} from './report-format.js';

export type ReportRequest =
  | {help: 'report' | 'capacity'}
  | {category: Exclude<ReportCategory, 'capacity'>}
  | {category: 'capacity'; range: WorkerRange; workers: string[]};

export const REPORT_USAGE = [
  'alluxio fsadmin report [category] [category args]',
  'Report Alluxio running cluster information.',
  'Where [category] is an optional argument. If no arguments are passed in, summary information will be printed out.',
  '[category] can be one of the following:',
  '    capacity         worker capacity information',
  '    metrics          metrics information',
  '    summary          cluster summary',
  '    ufs              under storage system information',
  '    jobservice       job service information',
];

export const CAPACITY_USAGE = [
  'alluxio fsadmin report capacity [filter arg]',
  'Report Alluxio capacity information.',
  'Where [filter arg] is an optional argument. If no arguments are passed in, capacity information of all workers will be printed out.',
  '[filter arg] can be one of the following:',
  '    -live                    Live workers',
  '    -lost                    Lost workers',
  '    -workers <worker_names>  Specified workers, host names separated by ","',
];

const FILTERS: Record<string, WorkerRange> = {'-live': 'live', '-lost': 'lost', '-workers': 'specified'};

export function parseReportArgs(argv: string[]): ReportRequest {
  const positional: string[] = [];
  const options: string[] = [];
  let help = false;
  let workers: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('-') || token === '-') positional.push(token);
    else if (token === '-h') help = true;
    else if (token in FILTERS) {
      options.push(token);
      if (token === '-workers') {
        workers = argv[++i];
        if (workers === undefined) throw usageError('Missing argument for option: workers');
      }
    } else throw usageError(`Unknown option ${token} for report`);
  }
  if (positional.length > 1) throw usageError(`Command report requires at most 1 arguments (${positional.length} provided)`);
  const category = positional[0] ?? 'summary';
  if (!(REPORT_CATEGORIES as readonly string[]).includes(category)) throw usageError('report category is invalid.');
  if (help) return {help: category === 'capacity' ? 'capacity' : 'report'};
  if (category !== 'capacity') {
    if (options.length > 0) throw usageError(`report ${category} does not support arguments: ${options[0]}`);
    return {category: category as Exclude<ReportCategory, 'capacity'>};
  }
  if (options.length > 1) throw usageError('Too many arguments passed in.');
  const range = options.length === 0 ? 'all' : FILTERS[options[0]];
  const names = (workers ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (range === 'specified' && names.length === 0) throw usageError('Missing argument for option: workers');
  return {category: 'capacity', range, workers: names};
}
