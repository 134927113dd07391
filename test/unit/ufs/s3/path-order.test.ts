import {describe, expect, it} from 'vitest';

import {type ListedEntry, type RawPage, inPathOrder} from '../../../../src/ufs/s3/path-order.js';

/** Simulates S3 over a set of keys: byte-ordered, paged, with or without the '/' delimiter. */
function store(keys: string[]) {
  const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const probes: string[] = [];
  return {
    probes,
    pages(prefix: string, recursive: boolean, pageSize: number): AsyncIterable<RawPage> {
      const items: {key: string; prefix: boolean}[] = [];
      for (const key of sorted) {
        if (!key.startsWith(prefix)) continue;
        const rest = key.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (!recursive && slash >= 0 && slash < rest.length - 1) {
          const common = prefix + rest.slice(0, slash + 1);
          if (!items.some((i) => i.prefix && i.key === common)) items.push({key: common, prefix: true});
        } else {
          items.push({key, prefix: false});
        }
      }
      items.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
      return (async function* () {
        for (let i = 0; i < items.length; i += pageSize) {
          const chunk = items.slice(i, i + pageSize);
          yield {
            objects: chunk.filter((c) => !c.prefix).map((c) => ({key: c.key, size: 1})),
            prefixes: chunk.filter((c) => c.prefix).map((c) => c.key),
          };
        }
      })();
    },
    hasChildren(prefix: string) {
      return async (name: string) => {
        probes.push(name);
        return sorted.some((k) => k.startsWith(prefix + name + '/'));
      };
    },
  };
}

async function list(keys: string[], options: {prefix?: string; recursive: boolean; pageSize: number; holdLimit?: number}) {
  const s = store(keys);
  const prefix = options.prefix ?? '';
  const pages: ListedEntry[][] = [];
  for await (const page of inPathOrder(s.pages(prefix, options.recursive, options.pageSize), {
    prefix,
    recursive: options.recursive,
    suffix: '/',
    holdLimit: options.holdLimit ?? 1000,
    hasChildren: s.hasChildren(prefix),
  })) {
    pages.push(page);
  }
  const flat = pages.flat();
  return {names: flat.map((e) => (e.isDirectory ? `${e.name}/` : e.name)), pages, probes: s.probes};
}

describe('inPathOrder', () => {
  it('puts a directory before files that share its name and a character below "/"', async () => {
    const {names} = await list(['a-b', 'a.txt', 'a/x', 'b'], {recursive: false, pageSize: 1});
    expect(names).toEqual(['a/', 'a-b', 'a.txt', 'b']);
  });

  it('derives every intermediate directory once in recursive listings, in path order', async () => {
    const {names} = await list(['d1/d1/f1', 'd1/d1/f2', 'd1/d2/f1', 'd2/d1/f1', 'd3/', 'd4/', 'd4/f1', 'f1', 'f2'], {
      recursive: true,
      pageSize: 2,
    });
    expect(names).toEqual(['d1/', 'd1/d1/', 'd1/d1/f1', 'd1/d1/f2', 'd1/d2/', 'd1/d2/f1', 'd2/', 'd2/d1/', 'd2/d1/f1', 'd3/', 'd4/', 'd4/f1', 'f1', 'f2']);
  });

  it('recursive: "a", "a-b", "a/c" (path order, not key order)', async () => {
    const {names} = await list(['a-b', 'a/c'], {recursive: true, pageSize: 1});
    expect(names).toEqual(['a/', 'a-b', 'a/c']);
  });

  it('a directory wins over a file of the same name', async () => {
    const {names} = await list(['a', 'a/', 'a/x'], {recursive: false, pageSize: 1});
    expect(names).toEqual(['a/']);
  });

  it('skips the listed directory\'s own marker and strips marker suffixes', async () => {
    const {names} = await list(['dir/', 'dir/sub/', 'dir/f'], {prefix: 'dir/', recursive: false, pageSize: 10});
    expect(names).toEqual(['f', 'sub/']);
  });

  it('streams: without characters below "/" only the last name of a page is held back', async () => {
    const keys = Array.from({length: 10}, (_, i) => `f${i}`);
    const {pages, probes} = await list(keys, {recursive: false, pageSize: 3});
    expect(pages.map((p) => p.length)).toEqual([2, 3, 3, 1, 1]);
    expect(probes).toEqual([]);
  });

  it('asks whether a blocking directory exists once too much is held back, then streams', async () => {
    const keys = Array.from({length: 20}, (_, i) => `obj-${String(i).padStart(2, '0')}`);
    const {names, pages, probes} = await list(keys, {recursive: false, pageSize: 4, holdLimit: 6});
    expect(names).toEqual(keys);
    expect(probes).toEqual(['obj']);
    expect(Math.max(...pages.map((p) => p.length))).toBeLessThanOrEqual(8);
  });

  it('a probed directory that exists is listed before the files it blocked', async () => {
    const keys = [...Array.from({length: 10}, (_, i) => `obj-${i}`), 'obj/inner'];
    const {names, probes} = await list(keys, {recursive: false, pageSize: 3, holdLimit: 4});
    expect(names).toEqual(['obj/', ...Array.from({length: 10}, (_, i) => `obj-${i}`)]);
    expect(probes).toEqual(['obj']);
  });

  it('matches a full sort for a mixed tree, whatever the page size', async () => {
    const keys = ['a', 'a b', 'a!', 'a-b/c', 'a.b', 'a/b', 'a/b-c', 'a/b/c', 'a0', 'b/', 'b.c/d', 'b/c'];
    const derive = (recursive: boolean) => {
      const names = new Map<string, boolean>();
      for (const k of keys) {
        const parts = k.split('/');
        if (!recursive) {
          if (parts.length > 1) names.set(parts[0], true);
          else if (!names.has(k)) names.set(k, false);
          continue;
        }
        for (let i = 1; i < parts.length; i++) names.set(parts.slice(0, i).join('/'), true);
        if (!k.endsWith('/') && !names.get(k)) names.set(k, false);
      }
      return [...names.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([n, d]) => (d ? `${n}/` : n));
    };
    for (const recursive of [false, true]) {
      for (const pageSize of [1, 2, 3, 5, 100]) {
        for (const holdLimit of [1, 3, 1000]) {
          const {names} = await list(keys, {recursive, pageSize, holdLimit});
          expect(names, `recursive=${recursive} pageSize=${pageSize} holdLimit=${holdLimit}`).toEqual(derive(recursive));
        }
      }
    }
  });
});
