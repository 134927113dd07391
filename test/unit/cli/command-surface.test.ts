import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';

/**
 * The command surface (every command, argument and flag) is committed: a change to it shows up as a failing
 * snapshot to be reviewed, never by accident. The manifest is what `npm run build` generates.
 */
describe('command surface', () => {
  it('matches the committed snapshot', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../oclif.manifest.json', import.meta.url), 'utf8')) as {
      commands: Record<
        string,
        {
          aliases?: string[];
          args: Record<string, unknown>;
          flags: Record<string, {char?: string; charAliases?: string[]; type: string; multiple?: boolean}>;
        }
      >;
    };
    const surface = Object.keys(manifest.commands)
      .sort()
      .map((id) => {
        const {aliases, args, flags} = manifest.commands[id];
        const flagList = Object.entries(flags)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([name, f]) => `--${name}${[f.char, ...(f.charAliases ?? [])].filter(Boolean).map((c) => `|-${c}`).join('')}${f.type === 'option' ? '=<value>' : ''}${f.multiple ? '...' : ''}`);
        const aka = (aliases ?? []).map((a) => `(alias: ${a.replace(/:/g, ' ')})`);
        return `${id.replace(/:/g, ' ')} ${aka.join(' ')} ${Object.keys(args).map((a) => `<${a}>`).join(' ')} ${flagList.join(' ')}`
          .replace(/\s+/g, ' ')
          .trim();
      });
    await expect(surface.join('\n') + '\n').toMatchFileSnapshot('./__snapshots__/command-surface.txt');
  });
});
