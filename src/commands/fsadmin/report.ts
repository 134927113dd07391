import {AlluxioCommand} from '../../cli/base-command.js';
import {colours} from '../../cli/colour.js';
import {CAPACITY_USAGE, REPORT_USAGE, parseReportArgs} from '../../cli/report-args.js';
import {formatCapacityReport, formatMetrics, formatSummary, formatUfsReport, selectWorkers} from '../../cli/report-format.js';
import {isAlluxioError} from '../../errors.js';
import {CANNOT_CONNECT, type MasterWebAddress, fetchFirstMasterInfo, masterWebAddresses} from '../../master/client.js';
import type {AlluxioMasterInfo, MountPointInfo, WorkerInfo} from '../../master/webui/types.js';

type ReportResult =
  | AlluxioMasterInfo
  | {mountPoints: Record<string, MountPointInfo>}
  | {workers: WorkerInfo[]}
  | {metrics: Record<string, number>}
  | {jobService: null}
  | undefined;

export default class Report extends AlluxioCommand {
  static summary = 'Report the running master: cluster summary, under storages, worker capacity, metrics.';
  static description =
    "Asks the master started by `alluxio-start.sh local` (the URL in its pid file when it runs on this host, else " +
    "alluxio.master.web.hostname or alluxio.master.hostname at alluxio.master.web.port) and prints Alluxio's " +
    'report layouts. Categories: summary (the default), ufs, capacity [-live | -lost | -workers h1,h2], metrics, ' +
    'jobservice. With no master running it prints "Cannot connect to Alluxio leader master." and exits 255.';
  static usageLine = 'fsadmin report [summary | ufs | metrics | jobservice | capacity [-live | -lost | -workers <names>]]';
  static usage = Report.usageLine;
  static examples = ['alluxio fsadmin report', 'alluxio fsadmin report ufs', 'alluxio fsadmin report capacity -live'];
  static enableJsonFlag = true;
  static strict = false;

  async run(): Promise<ReportResult> {
    // Alluxio's single-dash options (-live, -workers) would be read by oclif as bundles of one-letter flags.
    const request = parseReportArgs(this.argv.filter((a) => a !== '--json' && a !== '--debug' && a !== '--no-color'));
    if ('help' in request) {
      // Asked for, so printed under --json too (as oclif's --help is).
      process.stdout.write((request.help === 'capacity' ? CAPACITY_USAGE : REPORT_USAGE).join('\n') + '\n');
      return undefined;
    }
    const conf = this.conf();
    let info: AlluxioMasterInfo;
    let address: MasterWebAddress;
    try {
      ({info, address} = await fetchFirstMasterInfo(masterWebAddresses(conf)));
    } catch (e) {
      // Alluxio prints this one on stdout; the reason and what to do go to stderr.
      if (this.jsonEnabled() || !isAlluxioError(e) || e.message !== CANNOT_CONNECT) throw e;
      this.log(CANNOT_CONNECT);
      process.stderr.write(`${colours(process.stderr).cyan('Hint:')} ${e.hint}\n`);
      process.exitCode = 255;
      return undefined;
    }
    switch (request.category) {
      case 'summary':
        this.print(formatSummary(info, {webPort: address.port, datePattern: conf.get('alluxio.user.date.format.pattern')}));
        return info;
      case 'ufs':
        this.print(formatUfsReport(info.mountPoints));
        return {mountPoints: info.mountPoints};
      case 'capacity': {
        const workers = selectWorkers(info, request.range, request.workers);
        this.print(formatCapacityReport(workers, request.range));
        return {workers};
      }
      case 'metrics':
        this.print(formatMetrics(info.metrics));
        return {metrics: info.metrics};
      case 'jobservice':
        this.log('This master runs no job service: async persistence and UFS cleanup run inside it (see the Overview page of the web UI).');
        return {jobService: null};
    }
  }

  private print(lines: string[]): void {
    for (const line of lines) this.log(line);
  }
}
