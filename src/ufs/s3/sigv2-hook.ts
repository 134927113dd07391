/**
 * Makes an S3Client sign every request with Signature V2 (`sigv2.ts`), through the SDK's auth-scheme mechanism:
 * an `aws.auth#sigv2` scheme whose identity provider is the client's own SigV4 credential provider (so the
 * default chain, profiles, refresh of expiring credentials all still apply) and whose signer is ours, and an
 * auth-scheme provider that offers only that scheme. The SDK's signing middleware runs after its retry middleware,
 * so every attempt (retries, each multipart call) is signed afresh, with the client's clock-skew-corrected time.
 */
import type {S3Client} from '@aws-sdk/client-s3';

import {applySignatureV2, type SigV2Credentials} from './sigv2.js';

type ResolvedConfig = S3Client['config'];
type AuthScheme = ResolvedConfig['httpAuthSchemes'][number];
type Signer = AuthScheme['signer'];
type SignableRequest = Parameters<Signer['sign']>[0];
type AuthSchemeProvider = ResolvedConfig['httpAuthSchemeProvider'];

export const SIGV2_AUTH_SCHEME_ID = 'aws.auth#sigv2';
const SIGV4_AUTH_SCHEME_ID = 'aws.auth#sigv4';

/** The part of the resolved client config the signer reads (and the SDK's skew handlers update). */
interface ClockConfig {
  systemClockOffset?: number;
  disableClockSkewCorrection?: () => Promise<boolean | undefined>;
}

/**
 * Switches `client` to Signature V2 for all its requests, and returns it. Call it once, right after
 * `new S3Client(...)` and before the first `send`; calling it again changes nothing. Create the client with
 * `requestChecksumCalculation: 'WHEN_REQUIRED'`: V2 cannot sign the aws-chunked bodies the SDK otherwise sends for
 * streams (such a request fails before it is sent, with a message that says so).
 */
export function useSignatureV2(client: S3Client): S3Client {
  const config = client.config as {
    httpAuthSchemes: AuthScheme[];
    httpAuthSchemeProvider: AuthSchemeProvider;
  };
  const sigV4 = config.httpAuthSchemes.find((scheme) => scheme.schemeId === SIGV4_AUTH_SCHEME_ID);
  if (!sigV4) throw new Error(`Cannot enable Signature V2: the S3 client has no ${SIGV4_AUTH_SCHEME_ID} auth scheme`);
  const scheme: AuthScheme = {
    schemeId: SIGV2_AUTH_SCHEME_ID,
    // The credentials are the ones SigV4 would use: the client's `credentials` option or the default chain.
    identityProvider: (identityProviders) => identityProviders.getIdentityProvider(SIGV4_AUTH_SCHEME_ID),
    signer: new SigV2Signer(sigV4.signer),
  };
  const index = config.httpAuthSchemes.findIndex((existing) => existing.schemeId === SIGV2_AUTH_SCHEME_ID);
  if (index === -1) config.httpAuthSchemes.push(scheme);
  else config.httpAuthSchemes[index] = scheme;
  config.httpAuthSchemeProvider = sigV2AuthSchemeProvider;
  return client;
}

/** Offers only V2, and passes the bucket on so that the signer can tell a virtual-host request from a path one. */
const sigV2AuthSchemeProvider: AuthSchemeProvider = (parameters) => [
  {
    schemeId: SIGV2_AUTH_SCHEME_ID,
    signingProperties: {bucket: parameters.Bucket, forcePathStyle: parameters.ForcePathStyle},
    propertiesExtractor: (config, context) => ({signingProperties: {config, context}}),
  },
];

/**
 * Signs with V2 at the client's skew-corrected time. Clock-skew learning (from a response's `Date`, or a
 * RequestTimeTooSkewed error) is left to the SDK's own SigV4 signer handlers, which update the client's
 * `systemClockOffset`; the bookkeeping properties they read are filled in here the way the SigV4 signer does.
 */
class SigV2Signer implements Signer {
  readonly errorHandler: Signer['errorHandler'];
  readonly successHandler: Signer['successHandler'];

  constructor(sigV4Signer: Signer) {
    this.errorHandler = sigV4Signer.errorHandler?.bind(sigV4Signer);
    this.successHandler = sigV4Signer.successHandler?.bind(sigV4Signer);
  }

  async sign(request: SignableRequest, identity: unknown, signingProperties: Record<string, unknown>): Promise<SignableRequest> {
    const credentials = asCredentials(identity);
    const config = (signingProperties.config ?? {}) as ClockConfig;
    const noSkewCorrection = (await config.disableClockSkewCorrection?.()) === true;
    signingProperties._disableClockSkewCorrection = noSkewCorrection;
    signingProperties._skipClockSkewSampling = noSkewCorrection;
    if (!noSkewCorrection) {
      signingProperties._preRequestSystemClockOffset = config.systemClockOffset;
      signingProperties._requestSentAt = Date.now();
    }
    const date = new Date(Date.now() + (noSkewCorrection ? 0 : (config.systemClockOffset ?? 0)));

    const streamingHash = headerValue(request.headers, 'x-amz-content-sha256');
    if (streamingHash?.startsWith('STREAMING-')) {
      throw new Error(
        `Signature V2 cannot sign an aws-chunked request body (x-amz-content-sha256: ${streamingHash}): ` +
          "create the S3 client with requestChecksumCalculation: 'WHEN_REQUIRED'",
      );
    }

    const bucket = typeof signingProperties.bucket === 'string' ? signingProperties.bucket : undefined;
    const virtualHost =
      bucket !== undefined &&
      signingProperties.forcePathStyle !== true &&
      request.hostname.toLowerCase().startsWith(`${bucket.toLowerCase()}.`);

    const signed = cloneRequest(request);
    signed.headers = applySignatureV2(
      {method: request.method, path: request.path, query: request.query ?? {}, headers: request.headers},
      credentials,
      date,
      {virtualHostBucket: virtualHost ? bucket : undefined},
    );
    return signed;
  }
}

function asCredentials(identity: unknown): SigV2Credentials {
  const candidate = identity as Partial<SigV2Credentials> | undefined;
  if (typeof candidate?.accessKeyId !== 'string' || typeof candidate.secretAccessKey !== 'string') {
    throw new Error('Signature V2 needs AWS credentials (an access key id and a secret access key)');
  }
  return {
    accessKeyId: candidate.accessKeyId,
    secretAccessKey: candidate.secretAccessKey,
    sessionToken: typeof candidate.sessionToken === 'string' && candidate.sessionToken !== '' ? candidate.sessionToken : undefined,
  };
}

/** A copy of the SDK request (same class, so its methods stay) with its own headers and query objects. */
function cloneRequest(request: SignableRequest): SignableRequest {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(request) as object | null) as SignableRequest, request);
  copy.headers = {...request.headers};
  copy.query = {...request.query};
  return copy;
}

function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  const name = Object.keys(headers).find((key) => key.toLowerCase() === lowerName);
  return name === undefined ? undefined : headers[name];
}
