import {describe, expect, it} from 'vitest';
import {asAscii, parsePage, parseWindow} from '../../../src/master/webui/paging.js';

describe('web UI paging parameters', () => {
  it('defaults to offset 0, limit 20, and takes Java integers with a sign', () => {
    expect(parsePage()).toEqual({ok: true, value: {offset: 0, limit: 20}});
    expect(parsePage('+5', '007')).toEqual({ok: true, value: {offset: 5, limit: 7}});
    expect(parsePage('2147473647', '10000')).toEqual({ok: true, value: {offset: 2147473647, limit: 10000}});
  });

  it('refuses what Integer.parseInt refuses, with its message', () => {
    for (const text of ['', ' 1', '1e3', '0x10', '2147483648', '-2147483649', '١']) {
      expect(parsePage(text)).toEqual({ok: false, fatalError: `Error: offset or limit parse error, For input string: "${text}"`});
    }
  });

  it('a file window counts from the start or back from the end, clamped to the file, at most 5 KB', () => {
    expect(parseWindow(undefined, undefined, 10_000)).toEqual({ok: true, value: {offset: 0, length: 5120}});
    expect(parseWindow('9000', '', 10_000)).toEqual({ok: true, value: {offset: 9000, length: 1000}});
    expect(parseWindow('300', 'x', 10_000)).toEqual({ok: true, value: {offset: 9700, length: 300}});
    expect(parseWindow('-5', undefined, 10)).toEqual({ok: true, value: {offset: 0, length: 10}});
    expect(parseWindow('9223372036854775807', '1', 10)).toEqual({ok: true, value: {offset: 0, length: 10}});
    expect(parseWindow('9223372036854775808', undefined, 10)).toMatchObject({ok: false});
  });

  it('file data is shown in ASCII: other bytes become ?', () => {
    expect(asAscii(Buffer.from('a\tb\r\nç\u0000~', 'utf8'))).toBe('a\tb\r\n???~');
  });
});
