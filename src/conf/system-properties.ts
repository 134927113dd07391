import {configurationError} from '../errors.js';

/**
 * The `-Dkey=value` tokens of a JVM options string such as ALLUXIO_JAVA_OPTS, in order. Other JVM options
 * (-Xmx, -XX:...) mean nothing here and are skipped; `-Dkey` alone sets an empty value, as in Java.
 */
export function parseJavaOpts(text: string, origin: string): [key: string, value: string][] {
  const properties: [string, string][] = [];
  for (const word of shellWords(text, origin)) {
    if (!word.startsWith('-D')) continue;
    const eq = word.indexOf('=');
    const key = eq < 0 ? word.slice(2) : word.slice(2, eq);
    if (key !== '') properties.push([key, eq < 0 ? '' : word.slice(eq + 1)]);
  }
  return properties;
}

/** Splits like a POSIX shell: blanks separate words; single quotes, double quotes and backslashes protect. */
export function shellWords(text: string, origin: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) word += text[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      inWord = true;
      if (c === "'" || c === '"') quote = c;
      else if (c === '\\' && i + 1 < text.length) word += text[++i];
      else word += c;
    }
  }
  if (quote !== undefined) throw configurationError(`Unterminated ${quote} quote in ${origin}`);
  if (inWord) words.push(word);
  return words;
}
