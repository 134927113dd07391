import {formatDate} from './date-format.js';

/** A console log line in log4j's `%d{ISO8601} %-5p %c{1} - %m` layout, as Alluxio's tools print them. */
export function formatLogLine(level: string, logger: string, message: string, now = Date.now()): string {
  return `${formatDate(now, 'yyyy-MM-dd HH:mm:ss,SSS')} ${level.padEnd(5)} ${logger} - ${message}`;
}
