/**
 * A stand-in master for tests of the leader jobs: runs startLeaderJobs over the namespace of its environment
 * (ALLUXIO_HOME, ALLUXIO_CONF_DIR, ALLUXIO_JAVA_OPTS), writes ${alluxio.work.dir}/master.pid as the master does,
 * prints `started` once the jobs run, and stops cleanly on SIGTERM. Bundled by leaderJobsScript() (leader-jobs.ts).
 */
import {rmSync, writeFileSync} from 'node:fs';
import {loadConfiguration} from '../../src/context.js';
import {startLeaderJobs} from '../../src/master/jobs.js';
import {openMasterLog} from '../../src/master/master-log.js';
import {namespaceOf, pidFilePath, processStartTime} from '../../src/master/pid-file.js';
import {hostname} from 'node:os';

/** A pid file naming `pid` as this host's master, as the master writes it (a dead pid has no start time). */
function masterRecord(pid: number): string {
  return JSON.stringify({pid, processStart: processStartTime(pid), host: hostname(), ...namespaceOf(conf)});
}

const conf = loadConfiguration();
const log = openMasterLog(conf);
writeFileSync(pidFilePath(conf), masterRecord(process.pid));
const jobs = startLeaderJobs({conf, log});
log.info('AlluxioMaster', `Leader jobs started (pid ${process.pid})`);
process.stdout.write('started\n');
process.once('SIGTERM', () => {
  void jobs.stop().then(() => {
    rmSync(pidFilePath(conf), {force: true});
    process.exit(0);
  });
});
