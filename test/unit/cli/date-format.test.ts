import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {formatDate} from '../../../src/cli/date-format.js';
import {formatLogLine} from '../../../src/cli/log-format.js';

// Node reads TZ again whenever it changes: every time below is in UTC.
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const T = Date.UTC(2019, 5, 14, 7, 2, 45, 248); // 06-14-2019 07:02:45.248
const PM = Date.UTC(2020, 9, 23, 14, 12, 35, 0); // 10-23-2020 14:12:35.000
const EARLY = Date.UTC(2005, 0, 2, 0, 4, 5, 7); // 01-02-2005 00:04:05.007

describe('formatDate (SimpleDateFormat subset)', () => {
  it("Alluxio's default ls pattern", () => {
    expect(formatDate(T, 'MM-dd-yyyy HH:mm:ss:SSS')).toBe('06-14-2019 07:02:45:248');
    expect(formatDate(PM, 'MM-dd-yyyy HH:mm:ss:SSS')).toBe('10-23-2020 14:12:35:000');
    expect(formatDate(EARLY, 'MM-dd-yyyy HH:mm:ss:SSS')).toBe('01-02-2005 00:04:05:007');
  });

  it('pads numbers to the letter count, never truncates (except yy)', () => {
    expect(formatDate(EARLY, 'M/d/y H:m:s.S')).toBe('1/2/2005 0:4:5.7');
    expect(formatDate(T, 'M/d/y H:m:s.S')).toBe('6/14/2019 7:2:45.248');
    expect(formatDate(EARLY, 'yyyyy')).toBe('02005');
  });

  it('yy is the two-digit year', () => {
    expect(formatDate(T, 'yy')).toBe('19');
    expect(formatDate(EARLY, 'dd.MM.yy')).toBe('02.01.05');
  });

  it('a is AM/PM and hh the 12-hour clock (12, not 0)', () => {
    expect(formatDate(T, 'hh:mm a')).toBe('07:02 AM');
    expect(formatDate(PM, 'hh:mm a')).toBe('02:12 PM');
    expect(formatDate(EARLY, 'h:mm a')).toBe('12:04 AM');
    expect(formatDate(Date.UTC(2020, 0, 1, 12, 0, 0), 'h a')).toBe('12 PM');
  });

  it('text in single quotes is literal, letters included', () => {
    expect(formatDate(T, "yyyy-MM-dd'T'HH:mm:ss")).toBe('2019-06-14T07:02:45');
    expect(formatDate(T, "'at' HH 'hours'")).toBe('at 07 hours');
  });

  it("'' is one single quote, outside quotes", () => {
    expect(formatDate(T, "HH''mm")).toBe("07'02");
  });

  it("'' is one single quote inside quoted text too (Java: \"hh 'o''clock' a\")", () => {
    expect(formatDate(PM, "hh 'o''clock' a")).toBe("02 o'clock PM");
  });

  it('other characters pass through', () => {
    expect(formatDate(T, 'yyyy/MM/dd [HH]')).toBe('2019/06/14 [07]');
  });

  it('uses the local time zone', () => {
    process.env.TZ = 'Asia/Kolkata'; // UTC+05:30, no daylight saving
    try {
      expect(formatDate(T, 'MM-dd-yyyy HH:mm:ss:SSS')).toBe('06-14-2019 12:32:45:248');
    } finally {
      process.env.TZ = 'UTC';
    }
  });
});

describe('formatLogLine', () => {
  it("log4j's ISO8601 layout with the level padded to 5", () => {
    expect(formatLogLine('INFO', 'BasicOperations', 'writeFile took 3 ms.', T)).toBe(
      '2019-06-14 07:02:45,248 INFO  BasicOperations - writeFile took 3 ms.',
    );
    expect(formatLogLine('ERROR', 'X', 'm', T)).toBe('2019-06-14 07:02:45,248 ERROR X - m');
  });
});
