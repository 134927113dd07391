import type {Parsed} from './start-args.js';
import type {ScriptIo} from './stop.js';

/** The start and stop scripts' output: lines as they are (the monitor's colour codes included). */
export function scriptIo(): ScriptIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

/**
 * The body of the start and stop commands: prints what parsing decided and exits with its status (usage, a
 * refusal), or prints its lines and runs the script, exiting with the status `run` returns (0 if none).
 */
export async function runScript<T>(parsed: Parsed<T>, run: (options: T, io: ScriptIo) => Promise<number | void>): Promise<void> {
  const io = scriptIo();
  if (parsed.kind === 'exit') {
    for (const line of parsed.stdout) io.out(line);
    for (const line of parsed.stderr) io.err(line);
    process.exitCode = parsed.code;
    return;
  }
  for (const line of parsed.lines) io.out(line);
  process.exitCode = (await run(parsed, io)) ?? 0;
}
