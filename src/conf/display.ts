/** The one rule for showing a configuration or mount option value (getConf, the web UI, `fs mount`, reports). */
import {isCredentialKey} from './property-keys.js';

export const MASKED_VALUE = '******';

/** scheme://userinfo@ — greedy up to the last '@' before the path, as URL parsers split it. */
const URL_USERINFO = /^([a-z][a-z\d+.-]*:\/\/)([^/?#]*)@/i;

/**
 * `value` as it may be shown under `key`: a credential key's value is masked whole; any other value that is a
 * URL with a password in its user info (postgresql://user:password@host/db) shows the URL with that password masked.
 */
export function displayedValue(key: string, value: string): string {
  if (isCredentialKey(key)) return MASKED_VALUE;
  const m = URL_USERINFO.exec(value);
  const colon = m ? m[2]!.indexOf(':') : -1;
  if (!m || colon < 0) return value;
  return `${m[1]}${m[2]!.slice(0, colon)}:${MASKED_VALUE}@${value.slice(m[0].length)}`;
}
