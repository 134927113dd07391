// Preloaded into a benchmarked process: records its peak RSS and CPU time when it exits.
import {writeFileSync} from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  const out = process.env.BENCH_USAGE_FILE;
  if (out) writeFileSync(out, JSON.stringify({maxRssKb: usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime}));
});
