/**
 * Names read from an under storage may hold control characters (a newline, an escape sequence): printed raw they
 * would split a line of `ls` or drive the terminal. New names may not hold them; every line we print escapes them.
 */

// Matching control characters is the point of these two patterns.
/* eslint-disable no-control-regex */
const C0_OR_DEL = /[\u0000-\u001f\u007f]/;
const C0_DEL_OR_C1 = /[\u0000-\u001f\u007f-\u009f]/g;
/* eslint-enable no-control-regex */

const NAMED: Record<string, string> = {'\t': '\\t', '\n': '\\n', '\r': '\\r'};

/** Whether `text` holds a C0 control character (U+0000 to U+001F) or DEL (U+007F). */
export function hasControlCharacter(text: string): boolean {
  return C0_OR_DEL.test(text);
}

/** C0, DEL and C1 control characters as `\n`, `\t`, `\r` or `\xHH`; everything else unchanged. */
export function escapeControl(text: string): string {
  return text.replace(C0_DEL_OR_C1, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
