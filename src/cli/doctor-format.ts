import type {DiagnosisReport} from '../fs/diagnose.js';

/** The human view of a diagnosis: sections of settings with their sources, then one line per probe. */
export function formatDiagnosis(report: DiagnosisReport): string[] {
  const lines = [`Diagnosis of ${report.target}${report.mountPoint ? ` (mount ${report.mountPoint}, ${report.ufsUri})` : ''}`];
  for (const section of report.sections) {
    lines.push('', `${section.title}:`);
    const width = Math.max(...section.rows.map((r) => r.name.length));
    for (const row of section.rows) {
      lines.push(`  ${row.name.padEnd(width)}  ${row.value}${row.source ? `  [${row.source}]` : ''}`);
    }
  }
  lines.push('', 'Probes:');
  const width = Math.max(...report.probes.map((p) => p.name.length));
  for (const probe of report.probes) {
    const mark = probe.status === 'ok' ? 'OK  ' : probe.status === 'failed' ? 'FAIL' : 'SKIP';
    lines.push(`  ${mark} ${probe.name.padEnd(width)}  ${probe.detail}`);
    if (probe.status === 'failed' && probe.hint) lines.push(`       ${' '.repeat(width)}  fix: ${probe.hint}`);
  }
  lines.push('', report.healthy ? 'Healthy.' : 'Not healthy: see the failed probes above.');
  return lines;
}
