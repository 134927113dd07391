/** The display rule: credentials masked whole, URL passwords masked wherever a value is shown. */
import {describe, expect, it} from 'vitest';

import {Configuration} from '../../../src/conf/configuration.js';
import {displayedValue} from '../../../src/conf/display.js';
import {reportAll, reportKey} from '../../../src/conf/report.js';
import {config} from '../../../src/master/webui/cluster.js';
import type {SourceContext} from '../../../src/master/webui/context.js';

const URL_KEY = 'alluxio.master.metastore.postgres.url';

describe('displayedValue', () => {
  it('masks credential keys whole, and the password of a URL under any key', () => {
    expect(displayedValue('s3a.secretKey', 'abc')).toBe('******');
    expect(displayedValue(URL_KEY, 'postgresql://alice:pw@db:5432/ns?sslmode=require')).toBe('postgresql://alice:******@db:5432/ns?sslmode=require');
    expect(displayedValue('some.endpoint', 'https://u:p%40ss@host')).toBe('https://u:******@host');
    // A raw '@' in the password: URL parsers split user info at the last '@' before the path.
    expect(displayedValue('some.endpoint', 'http://u:a@b@host/x@y')).toBe('http://u:******@host/x@y');
    expect(displayedValue('some.endpoint', 'https://:secret@host')).toBe('https://:******@host');
  });

  it('leaves values without a password as they are', () => {
    for (const value of ['postgresql://alice@db/ns', 'http://host/a:b@c', 's3://bucket/dir', 'user:pw@host', 'plain', '']) {
      expect(displayedValue(URL_KEY, value)).toBe(value);
    }
  });
});

describe('every place a value is shown', () => {
  const conf = new Configuration();
  conf.set(URL_KEY, 'postgresql://alice:Hunter2@db/ns');
  const masked = 'postgresql://alice:******@db/ns';

  it('getConf, the configuration entries and the web UI pages mask it', async () => {
    expect(conf.displayValue(URL_KEY)).toBe(masked);
    expect(conf.entries({includeDefaults: false}).find((e) => e.key === URL_KEY)?.displayValue).toBe(masked);
    expect(reportKey(conf, URL_KEY).value).toBe(masked);
    expect(reportAll(conf).find((p) => p.key === URL_KEY)?.value).toBe(masked);
    const page = config({conf} as SourceContext);
    expect(page.configuration.find((row) => row.left === URL_KEY)?.middle).toBe(masked);
    expect(JSON.stringify(page)).not.toContain('Hunter2');
  });
});
