import {Args, Flags} from '@oclif/core';
import {AlluxioCommand} from '../cli/base-command.js';
import {formatSource, reportAll, reportKey, type ReportedProperty} from '../conf/report.js';
import {parseBytes, parseDurationMs} from '../conf/values.js';
import {findKey} from '../conf/property-keys.js';
import {usageError} from '../errors.js';

const BYTE_UNITS: Record<string, number> = {B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50};
const TIME_UNITS: Record<string, number> = {
  MS: 1, MILLISECOND: 1, S: 1000, SEC: 1000, SECOND: 1000, M: 60_000, MIN: 60_000, MINUTE: 60_000,
  H: 3_600_000, HR: 3_600_000, HOUR: 3_600_000, D: 86_400_000, DAY: 86_400_000,
};

export default class GetConf extends AlluxioCommand {
  static summary = 'Print configured values.';
  static description =
    'Prints the value of one key, or every key as key=value sorted by name. Credentials print as ******. ' +
    '--source tells where each value comes from (DEFAULT, SITE_PROPERTY (file), SYSTEM_PROPERTY, MOUNT_OPTION).';
  static usageLine = 'getConf [--unit <arg>] [--source] [key]';
  static usage = GetConf.usageLine;
  static examples = ['alluxio getConf', 'alluxio getConf --source alluxio.master.mount.table.root.ufs', 'alluxio getConf --unit KB alluxio.user.block.size.bytes.default'];
  static enableJsonFlag = true;
  static args = {key: Args.string({description: 'Property key (aliases accepted)', required: false})};
  static flags = {
    source: Flags.boolean({description: 'Print where the value comes from.', default: false}),
    unit: Flags.string({description: 'Convert a size (B, KB, MB, GB, TB, PB) or duration (MS, S, MIN, H, D...) value.'}),
    master: Flags.boolean({description: 'Accepted for compatibility: there is no separate master configuration.', default: false}),
  };

  async run(): Promise<ReportedProperty | (ReportedProperty & InUnit) | ReportedProperty[]> {
    const {args, flags} = await this.parse(GetConf);
    if (flags.unit !== undefined && !(flags.unit.toUpperCase() in {...BYTE_UNITS, ...TIME_UNITS})) {
      throw usageError(`${flags.unit} is not a valid unit`);
    }
    if (flags.unit !== undefined && args.key === undefined) throw usageError('--unit converts the value of one key: name the key');
    const conf = this.conf();
    if (args.key === undefined) {
      const all = reportAll(conf);
      for (const p of all) {
        const line = `${p.key}=${p.value ?? '(no value set)'}`;
        this.log(flags.source ? `${line} (${formatSource(p.source)})` : line);
      }
      return all;
    }
    const property = reportKey(conf, args.key);
    // Converted (and its unit checked against the key's type) whatever is printed, so --json has it too.
    const inUnit: InUnit = flags.unit !== undefined && property.value !== undefined ? {unit: flags.unit.toUpperCase(), valueInUnit: convert(property, flags.unit)} : {};
    if (flags.source) this.log(formatSource(property.source));
    else if (inUnit.valueInUnit !== undefined) this.log(String(inUnit.valueInUnit));
    else this.log(property.value ?? '');
    return {...property, ...inUnit};
  }
}

/** With --unit and a value set: the unit asked for and the value converted to it. */
interface InUnit {
  unit?: string;
  valueInUnit?: number;
}

function convert(property: ReportedProperty, unit: string): number {
  const upper = unit.toUpperCase();
  const type = findKey(property.key)?.type;
  const value = property.value as string;
  if (upper in BYTE_UNITS && type === 'dataSize') return Math.floor((parseBytes(value) ?? 0) / BYTE_UNITS[upper]);
  if (upper in TIME_UNITS && type === 'duration') return Math.floor((parseDurationMs(value) ?? 0) / TIME_UNITS[upper]);
  throw usageError(`${unit} is not a valid unit for ${property.key}`);
}
