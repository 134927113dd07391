/**
 * A test server run by node in a child process (test/servers/*.mjs) with its data in a temp folder: started, its
 * ready line awaited, and stopped with its folder removed. It also ends with this process in any case: the
 * scripts stop when their stdin, a pipe from this process, closes.
 */
import {spawn} from 'node:child_process';
import {rm} from 'node:fs/promises';

export interface ServerChild {
  /** The first group of the ready line's match. */
  ready: string;
  /** SIGTERM, then SIGKILL after the grace period; then the folder goes. */
  stop(): Promise<void>;
}

export async function startServerChild(options: {
  /** node's arguments: the script (with node options before it) and its own. */
  args: string[];
  /** The server's folder, removed by stop(). */
  dir: string;
  /** Matched line by line against stdout; its first group is `ready`. */
  readyLine: RegExp;
  timeoutMs: number;
  killAfterMs: number;
}): Promise<ServerChild> {
  const child = spawn(process.execPath, options.args, {stdio: ['pipe', 'pipe', 'pipe']});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
      await exited;
      clearTimeout(killer);
    }
    await rm(options.dir, {recursive: true, force: true});
  };
  try {
    const ready = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`not ready after ${options.timeoutMs / 1000} s`)), options.timeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = options.readyLine.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`exited ${code ?? signal}`));
      });
    });
    return {ready, stop};
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${stderr.trim()}`);
  }
}
