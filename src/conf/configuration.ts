import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {configurationError} from '../errors.js';
import {displayedValue} from './display.js';
import {parseProperties} from './properties-parser.js';
import {
  allKeys,
  canonicalName,
  type EnumName,
  type EnumValue,
  findKey,
  isSecretKey,
  isSecretReference,
  nearestKey,
  type PropertyName,
  ROOT_OPTION_PREFIX,
} from './property-keys.js';
import {parseJavaOpts} from './system-properties.js';
import {
  checkValue,
  invalidValue,
  parseBooleanValue,
  parseBytes,
  parseDurationMs,
  parseEnumValue,
  parseInteger,
  parseList,
  parseModeValue,
  type ValueSpec,
} from './values.js';

export type Source = 'DEFAULT' | 'SITE_PROPERTY' | 'SYSTEM_PROPERTY' | 'RUNTIME' | 'MOUNT_OPTION';

/** Highest precedence first; RUNTIME sits where Alluxio puts it, between system properties and mount options. */
const PRECEDENCE: readonly Source[] = ['MOUNT_OPTION', 'RUNTIME', 'SYSTEM_PROPERTY', 'SITE_PROPERTY', 'DEFAULT'];

export interface ValueSource {
  source: Source;
  /** Site file path, env var name, `ALLUXIO_JAVA_OPTS`, `command line`, or the mount path of a mount option. */
  detail?: string;
}

interface Setting extends ValueSource {
  value: string;
}

export interface ConfigEntry {
  key: string;
  value: string;
  displayValue: string;
  source: ValueSource;
}

export interface LoadOptions {
  env: NodeJS.ProcessEnv;
  /** The folder holding bin/. */
  installDir: string;
  /** The `-Dkey=value` pairs found on the command line. */
  commandLineProperties?: Record<string, string>;
  homeDir?: string;
  isWritable?: (dir: string) => boolean;
}

export const SITE_FILE_NAME = 'alluxio-site.properties';
export {MASKED_VALUE} from './display.js';

/** Env vars that Alluxio's scripts turn into system properties, lowest first (the later one wins). */
const ENV_SYSTEM_PROPERTIES: [env: string, key: string][] = [
  ['ALLUXIO_CONF_DIR', 'alluxio.conf.dir'],
  ['ALLUXIO_UNDERFS_ADDRESS', 'alluxio.master.mount.table.root.ufs'],
  ['ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS', 'alluxio.master.mount.table.root.ufs'],
];

const TEMPLATE = /\$\{([^{}]*)\}/g;
/**
 * Bounds of `${key}` substitution: a chain deeper than this is a mistake (and would exhaust the stack), and a
 * value that doubles at every level (`a=${b}${b}`, `b=${c}${c}`...) would fill the memory.
 */
const MAX_TEMPLATE_DEPTH = 64;
const MAX_RESOLVED_LENGTH = 1 << 20;

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `home` is an installed package: a `node_modules` folder is one of its path segments once symlinks are
 * resolved (npm's global bin and `npm link` reach a package through symlinks; a linked checkout stays a checkout).
 */
export function isInstalledPackage(home: string): boolean {
  let real = path.resolve(home);
  try {
    real = fs.realpathSync(real);
  } catch {
    // a home that does not exist yet is judged by its path as given
  }
  return real.split(path.sep).includes('node_modules');
}

/** Layered property values; every value remembers where it came from and is resolved when read. */
export class Configuration {
  /** The alluxio-site.properties that was loaded, if any. */
  siteFile?: string;
  /** Problems worth telling the user that do not stop the command. */
  readonly warnings: string[] = [];
  private readonly layers = {} as Record<Source, Map<string, Setting>>;

  constructor() {
    for (const source of PRECEDENCE) this.layers[source] = new Map();
    for (const key of allKeys()) {
      if (key.default !== undefined) this.layers.DEFAULT.set(key.name, {value: key.default, source: 'DEFAULT'});
    }
  }

  static load(opts: LoadOptions): Configuration {
    const {env} = opts;
    const homeDir = opts.homeDir ?? os.homedir();
    const conf = new Configuration();

    // Alluxio's scripts always pass alluxio.home as a system property, so a site file cannot move it.
    const home = env.ALLUXIO_HOME || opts.installDir;
    conf.put('SYSTEM_PROPERTY', 'alluxio.home', home, env.ALLUXIO_HOME ? 'ALLUXIO_HOME' : 'install folder');
    for (const [name, key] of ENV_SYSTEM_PROPERTIES) {
      const value = env[name];
      if (value) conf.put('SYSTEM_PROPERTY', key, value, name);
    }
    for (const name of ['ALLUXIO_JAVA_OPTS', 'ALLUXIO_USER_JAVA_OPTS']) {
      for (const [key, value] of parseJavaOpts(env[name] ?? '', name)) {
        conf.putChecked('SYSTEM_PROPERTY', key, value, name);
      }
    }
    for (const [key, value] of Object.entries(opts.commandLineProperties ?? {})) {
      conf.putChecked('SYSTEM_PROPERTY', key, value, 'command line');
    }

    // A checkout keeps its state beside the code (git-ignored). An installed package keeps it in ~/.alluxio even
    // when its folder is writable (a root or ~/.npm-global prefix), so that an upgrade or uninstall, which replaces
    // that folder, keeps the namespace; a read-only checkout has no other place either.
    const alluxioHome = conf.get('alluxio.home');
    if (isInstalledPackage(alluxioHome) || !(opts.isWritable ?? writable)(alluxioHome)) {
      conf.put('DEFAULT', 'alluxio.work.dir', path.join(homeDir, '.alluxio'));
    }

    conf.siteFile = findSiteFile(conf.getList('alluxio.site.conf.dir'), homeDir);
    if (conf.siteFile !== undefined) conf.loadSiteFile(conf.siteFile);

    conf.validate(['SITE_PROPERTY', 'SYSTEM_PROPERTY']);
    return conf;
  }

  /** A copy whose mount options override every other source, for the mount at `mountPath`. */
  withMountOptions(options: Record<string, string>, mountPath: string): Configuration {
    const child = new Configuration();
    for (const source of PRECEDENCE) child.layers[source] = new Map(this.layers[source]);
    child.layers.MOUNT_OPTION.clear();
    if (this.siteFile !== undefined) child.siteFile = this.siteFile;
    for (const [key, value] of Object.entries(options)) child.putChecked('MOUNT_OPTION', key, value, mountPath);
    child.validate(['MOUNT_OPTION']);
    return child;
  }

  /** Sets a value (validated if the key is known); code-set values default to the RUNTIME source. */
  set(key: string, value: string, source: Source = 'RUNTIME', detail?: string): void {
    const name = this.put(source, key, value, detail);
    this.validateKey(name);
  }

  isSet(key: PropertyName): boolean {
    return this.effective(canonicalName(key)) !== undefined;
  }

  /** The value with `${key}` templates resolved. */
  get(key: PropertyName): string {
    return this.resolved(key);
  }

  /**
   * The value of a name known only at run time (user input, a mount option), which may name no registered key:
   * undefined when nothing sets it.
   */
  lookup(name: string): string | undefined {
    return this.rawValue(name) === undefined ? undefined : this.resolved(name);
  }

  getOrUndefined(key: PropertyName): string | undefined {
    return this.isSet(key) ? this.get(key) : undefined;
  }

  getBoolean(key: PropertyName): boolean {
    return this.typed(key, parseBooleanValue, {type: 'boolean'});
  }

  getInt(key: PropertyName): number {
    return this.typed(key, parseInteger, {type: 'int'});
  }

  getDurationMs(key: PropertyName): number {
    return this.typed(key, parseDurationMs, {type: 'duration'});
  }

  getBytes(key: PropertyName): number {
    return this.typed(key, parseBytes, {type: 'dataSize'});
  }

  getMode(key: PropertyName): number {
    return this.typed(key, parseModeValue, {type: 'mode'});
  }

  /** The allowed value (in its canonical case) matching the setting. */
  getEnum<K extends EnumName>(key: K): EnumValue<K> {
    const allowed = (findKey(key)?.values ?? []) as readonly EnumValue<K>[];
    return this.typed(key, (text) => parseEnumValue(text, allowed), {type: 'enum', values: allowed});
  }

  getList(key: PropertyName): string[] {
    return parseList(this.get(key));
  }

  /** Where the value in effect came from; unset keys report DEFAULT. */
  source(key: string): ValueSource {
    const setting = this.effective(canonicalName(key));
    if (setting === undefined) return {source: 'DEFAULT'};
    return setting.detail === undefined ? {source: setting.source} : {source: setting.source, detail: setting.detail};
  }

  /** The value as written, `${key}` templates unresolved; undefined when unset. */
  rawValue(key: string): string | undefined {
    return this.effective(canonicalName(key))?.value;
  }

  /** The value as it may be shown: credentials are always masked. */
  displayValue(key: PropertyName): string {
    return displayedValue(canonicalName(key), this.get(key));
  }

  /** The root mount's options (`alluxio.master.mount.table.root.option.*`), keyed by the option's own name. */
  rootMountOptions(): Record<string, string> {
    const options: Record<string, string> = {};
    for (const key of this.keys()) {
      if (key.startsWith(ROOT_OPTION_PREFIX) && key.length > ROOT_OPTION_PREFIX.length) {
        options[key.slice(ROOT_OPTION_PREFIX.length)] = this.resolved(key);
      }
    }
    return options;
  }

  /** Every key with a value, sorted; defaults only when asked for. */
  entries(opts: {includeDefaults: boolean}): ConfigEntry[] {
    const entries: ConfigEntry[] = [];
    for (const key of this.keys()) {
      if (!opts.includeDefaults && this.effective(key)?.source === 'DEFAULT') continue;
      const value = this.resolved(key);
      entries.push({key, value, displayValue: displayedValue(key, value), source: this.source(key)});
    }
    return entries;
  }

  private keys(): string[] {
    const keys = new Set<string>();
    for (const source of PRECEDENCE) for (const key of this.layers[source].keys()) keys.add(key);
    return [...keys].sort();
  }

  private effective(key: string): Setting | undefined {
    for (const source of PRECEDENCE) {
      const setting = this.layers[source].get(key);
      if (setting !== undefined) return setting;
    }
    return undefined;
  }

  /** Records a value under its canonical name and returns that name. */
  private put(source: Source, key: string, value: string, detail?: string): string {
    const name = canonicalName(key);
    this.layers[source].set(name, detail === undefined ? {value, source} : {value, source, detail});
    return name;
  }

  /**
   * Like put, warning about unknown `alluxio.*` keys; other unknown keys belong to UFS extensions, except in the
   * options of a mount, which only our under storages read.
   */
  private putChecked(source: Source, key: string, value: string, detail: string): void {
    const name = this.put(source, key, value, detail);
    if ((source === 'MOUNT_OPTION' || name.startsWith('alluxio.')) && findKey(name) === undefined) {
      const suggestion = nearestKey(name);
      const where = describe({source, detail});
      this.warnings.push(
        `Unrecognized property key ${name} in ${where}` + (suggestion ? `: did you mean ${suggestion}?` : ''),
      );
    }
  }

  private loadSiteFile(file: string): void {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw configurationError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const secrets: string[] = [];
    for (const {key, value, line} of parseProperties(text.replace(/^\uFEFF/, ''), file)) {
      if (key === '') this.warnings.push(`Ignored a value without a key in ${file} at line ${line}`);
      else this.putChecked('SITE_PROPERTY', key, value, file);
      // Key ids are not secret; `env:` and `file:` values are references, not secrets.
      if (isSecretKey(key) && !isSecretReference(value)) secrets.push(key);
    }
    this.warnAboutReadableSecrets(file, secrets);
  }

  /** A site file holding credentials that other users can read is worth a warning (with the fix). */
  private warnAboutReadableSecrets(file: string, secrets: string[]): void {
    if (secrets.length === 0) return;
    const mode = fs.statSync(file).mode & 0o777;
    if ((mode & 0o044) === 0) return;
    this.warnings.push(
      `${file} holds ${secrets.join(', ')} and other users can read it (mode ${mode.toString(8).padStart(4, '0')}): ` +
        `run chmod 600 ${file}, or use env:NAME / file:/path values`,
    );
  }

  /** Resolves and type-checks the values in effect that come from the given sources. */
  private validate(sources: Source[]): void {
    for (const source of sources) {
      for (const key of this.layers[source].keys()) {
        if (this.effective(key)?.source === source) this.validateKey(key);
      }
    }
  }

  private validateKey(key: string): void {
    const spec = findKey(key);
    const setting = this.effective(key);
    if (spec === undefined || setting === undefined) return;
    checkValue(key, this.resolved(key), spec, describe(setting));
  }

  private typed<T>(key: string, parse: (text: string) => T | undefined, spec: ValueSpec): T {
    const value = this.resolved(key);
    const parsed = parse(value);
    if (parsed === undefined) {
      const name = canonicalName(key);
      throw invalidValue(name, value, spec, describe(this.effective(name) ?? {source: 'DEFAULT'}));
    }
    return parsed;
  }

  private resolved(key: string): string {
    return this.resolve(canonicalName(key), [], new Map());
  }

  /** `resolved` remembers the keys already resolved within one get(): each is substituted once. */
  private resolve(key: string, chain: string[], resolved: Map<string, string>): string {
    const known = resolved.get(key);
    if (known !== undefined) return known;
    if (chain.length >= MAX_TEMPLATE_DEPTH) {
      throw configurationError(
        `Too deep \${} substitution while resolving ${chain[0]}: more than ${MAX_TEMPLATE_DEPTH} levels (${chain.slice(0, 3).join(' -> ')} -> ...)`,
        'Point the value at the key that holds it, not through a long chain of keys.',
      );
    }
    const setting = this.effective(key);
    if (setting === undefined) {
      throw configurationError(
        `No value set for configuration key ${key}`,
        `Set it in ${SITE_FILE_NAME} or with -D${key}=<value>`,
      );
    }
    const resolving = [...chain, key];
    const value = setting.value.replace(TEMPLATE, (_match, ref: string) => {
      const name = canonicalName(ref);
      if (resolving.includes(name)) {
        const cycle = [...resolving, name].join(' -> ');
        throw configurationError(`Circular dependency found while resolving ${resolving[0]}: ${cycle}`);
      }
      if (this.effective(name) === undefined && findKey(name) === undefined) {
        throw configurationError(`Invalid property key ${ref} in the value of ${key}`);
      }
      return this.resolve(name, resolving, resolved);
    });
    if (value.length > MAX_RESOLVED_LENGTH) {
      throw configurationError(`The value of ${resolving[0]} grows beyond ${MAX_RESOLVED_LENGTH} characters through \${} substitution`);
    }
    resolved.set(key, value);
    return value;
  }
}

/** Where a value was set, in words for messages. */
function describe(setting: ValueSource): string {
  switch (setting.source) {
    case 'DEFAULT':
      return 'the defaults';
    case 'MOUNT_OPTION':
      return `the options of mount ${setting.detail ?? ''}`.trimEnd();
    case 'RUNTIME':
      return setting.detail ?? 'runtime settings';
    default:
      return setting.detail ?? setting.source;
  }
}

/** The first alluxio-site.properties found in the search path (`~` meaning the home folder). */
function findSiteFile(dirs: string[], homeDir: string): string | undefined {
  for (const dir of dirs) {
    const expanded = dir === '~' || dir.startsWith('~/') ? path.join(homeDir, dir.slice(1)) : dir;
    const file = path.join(expanded, SITE_FILE_NAME);
    try {
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // Not there: try the next folder.
    }
  }
  return undefined;
}
