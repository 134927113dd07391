/** How S3 credentials may be shown: secrets never, access key ids by their last four characters. */

/** What stands for a secret key or session token wherever one would be shown. */
export const MASK = '******';

const HIDDEN = '*'.repeat(16);

/** `****************0001`: a fixed run of asterisks (hiding the length) then the last four characters. */
export function maskKeyId(id: string): string {
  return id.length <= 4 ? HIDDEN + '****' : HIDDEN + id.slice(-4);
}
