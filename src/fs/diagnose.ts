import {invalidArgument} from '../errors.js';
import type {MountRecord} from '../meta/store.js';
import {createUnderFileSystem, isObjectStoreUri, normalizeUfsUri, ufsContains, ufsJoin} from '../ufs/factory.js';
import type {UfsDiagnosis} from '../ufs/types.js';
import {type FsContext, forgetTriple} from './fs-context.js';

export interface DiagnosisReport extends UfsDiagnosis {
  /** What was asked about: an Alluxio path, or an S3 URI. */
  target: string;
  ufsUri: string;
  /** The mount whose options were used, if any. */
  mountPoint?: string;
  healthy: boolean;
}

/**
 * `doctor s3 <alluxioPath|s3://uri>`: an Alluxio path is diagnosed with its mount's options; a URI with the
 * options of the mount that holds it, if one does, else with the global configuration. A fresh client is used,
 * so nothing cached hides a problem; a healthy diagnosis of a mount point also refreshes its stored owner and mode.
 */
export async function diagnose(ctx: FsContext, target: string, options: {write: boolean}): Promise<DiagnosisReport> {
  let mount: MountRecord | undefined;
  let ufsUri: string;
  if (isObjectStoreUri(target)) {
    ufsUri = normalizeUfsUri(target);
    mount = ctx.mounts.all().find((m) => isObjectStoreUri(m.ufsUri) && ufsContains(m.ufsUri, ufsUri));
  } else {
    const resolved = ctx.mounts.resolve(target);
    mount = resolved.mount;
    ufsUri = ufsJoin(mount.ufsUri, resolved.relative);
    if (!isObjectStoreUri(ufsUri)) {
      throw invalidArgument(`${target} is on a ${mount.ufsUri} mount, not an S3 one`, 'Give an Alluxio path under an S3 mount, or an s3://bucket/dir URI.');
    }
  }
  const report = await diagnoseUri(ctx, ufsUri, mount?.options ?? {}, mount?.alluxioPath ?? '/', options);
  if (mount && report.healthy && ctx.mounts.get(mount.alluxioPath)) await forgetTriple(ctx, mount);
  return {...report, target, ...(mount ? {mountPoint: mount.alluxioPath} : {})};
}

/** The diagnosis of a URI with the given mount options (also what `fs mount --dry-run` shows). */
export async function diagnoseUri(
  ctx: FsContext,
  ufsUri: string,
  mountOptions: Record<string, string>,
  mountPath: string,
  options: {write: boolean},
): Promise<DiagnosisReport> {
  const conf = ctx.conf.withMountOptions(mountOptions, mountPath);
  const ufs = await createUnderFileSystem(ufsUri, conf, {readOnly: true, triple: {owner: '', group: '', mode: 0}, warn: ctx.warn});
  try {
    if (!ufs.diagnose) throw invalidArgument(`${ufsUri} is not on S3: nothing to diagnose`);
    const diagnosis = await ufs.diagnose(ufsUri, options);
    return {target: ufsUri, ufsUri, ...diagnosis, healthy: diagnosis.probes.every((p) => p.status !== 'failed')};
  } finally {
    await ufs.close();
  }
}
