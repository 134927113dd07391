/**
 * A real browser for the web UI tests: Debian's chromium (installed by .ci/run) driven by playwright-core, headless,
 * with no proxy and no network beyond what a page asks for. `watch` records everything that would mean a page ran
 * script or broke: dialogs (alert), page errors, console errors (a CSP violation is one), and an `alert` hook.
 */
import {existsSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {chromium, type Browser, type Page} from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-output', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`);
  }
  // Chromium refuses to run as root with its sandbox on.
  const sandbox = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...sandbox, '--no-proxy-server', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

export interface PageWatch {
  /** What went wrong since the page was opened: empty when nothing ran and nothing failed. */
  problems: string[];
}

/** Hooks a page before any navigation; its problems list grows as the page misbehaves. */
export async function watch(page: Page): Promise<PageWatch> {
  const state: PageWatch = {problems: []};
  page.on('dialog', (dialog) => {
    state.problems.push(`dialog ${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => state.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') state.problems.push(`console error: ${message.text()}`);
  });
  await page.exposeFunction('__alluxioTestAlert', (text: string) => state.problems.push(`alert(${text})`));
  await page.addInitScript(() => {
    const report = (window as unknown as {__alluxioTestAlert: (text: string) => void}).__alluxioTestAlert;
    window.alert = (text?: unknown) => report(String(text));
  });
  return state;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, {recursive: true});
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  return file;
}
