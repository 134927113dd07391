import {invalidArgument} from '../errors.js';
import type {Configuration, ValueSource} from './configuration.js';
import {displayedValue} from './display.js';
import {allKeys, findKey} from './property-keys.js';

export interface ReportedProperty {
  key: string;
  /** The value as it may be shown (see displayedValue); undefined when unset. */
  value?: string;
  /** DEFAULT for an unset key, as `--source` prints it. */
  source: ValueSource;
}

/** Every registered key and every key set anywhere, sorted by name: what `getConf` prints with no key. */
export function reportAll(conf: Configuration): ReportedProperty[] {
  const keys = new Set(allKeys().map((k) => k.name));
  for (const entry of conf.entries({includeDefaults: false})) keys.add(entry.key);
  return [...keys].sort().map((key) => reportOne(conf, key));
}

/** One key (an alias is accepted); an unknown key that nothing sets is an error, as in Alluxio. */
export function reportKey(conf: Configuration, name: string): ReportedProperty {
  const key = findKey(name)?.name ?? name;
  if (!findKey(name) && conf.rawValue(key) === undefined) throw invalidArgument(`${name} is not a valid configuration key`);
  return reportOne(conf, key);
}

function reportOne(conf: Configuration, key: string): ReportedProperty {
  if (conf.rawValue(key) === undefined) return {key, source: conf.source(key)};
  const value = conf.lookup(key);
  return {key, value: value === undefined ? undefined : displayedValue(key, value), source: conf.source(key)};
}

export function formatSource(source: ValueSource): string {
  return source.source === 'SITE_PROPERTY' && source.detail ? `SITE_PROPERTY (${source.detail})` : source.source;
}
