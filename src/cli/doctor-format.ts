import type {DiagnosisReport} from '../fs/diagnose.js';
import {escapeControl} from '../util/control-characters.js';
import {PLAIN, type Palette} from './colour.js';

const MARKS = {ok: 'OK  ', failed: 'FAIL', skipped: 'SKIP'} as const;

/**
 * The human view of a diagnosis: sections of settings with their sources, then one line per probe, its mark and
 * the verdict in the colours of `c` (none by default). Lines are ready to print: control characters are escaped.
 */
export function formatDiagnosis(report: DiagnosisReport, c: Palette = PLAIN): string[] {
  const lines = [`Diagnosis of ${report.target}${report.mountPoint ? ` (mount ${report.mountPoint}, ${report.ufsUri})` : ''}`];
  for (const section of report.sections) {
    lines.push('', `${section.title}:`);
    const width = Math.max(...section.rows.map((r) => r.name.length));
    for (const row of section.rows) {
      lines.push(`  ${row.name.padEnd(width)}  ${row.value}${row.source ? `  [${row.source}]` : ''}`);
    }
  }
  lines.push('', 'Probes:');
  const plain = lines.map(escapeControl);
  const width = Math.max(...report.probes.map((p) => p.name.length));
  const markColour = {ok: c.green, failed: c.red, skipped: c.yellow};
  for (const probe of report.probes) {
    plain.push(`  ${markColour[probe.status](MARKS[probe.status])} ${escapeControl(`${probe.name.padEnd(width)}  ${probe.detail}`)}`);
    if (probe.status === 'failed' && probe.hint) plain.push(`       ${' '.repeat(width)}  ${c.cyan('fix:')} ${escapeControl(probe.hint)}`);
  }
  plain.push('', report.healthy ? c.green('Healthy.') : c.red('Not healthy: see the failed probes above.'));
  return plain;
}
