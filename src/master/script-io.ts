import type {ScriptIo} from './stop.js';

/** The start and stop scripts' output: lines as they are (the monitor's colour codes included). */
export function scriptIo(): ScriptIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}
