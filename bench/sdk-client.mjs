// The raw AWS SDK as a peer in the S3 benchmark: upload with lib-storage (16 MiB parts, 4 in flight, the best
// setting found here), download as one GetObject stream, list with paged ListObjectsV2.
import {createReadStream, createWriteStream} from 'node:fs';
import {pipeline} from 'node:stream/promises';
import {GetObjectCommand, ListObjectsV2Command, S3Client} from '@aws-sdk/client-s3';
import {Upload} from '@aws-sdk/lib-storage';

const [op, bucket, key, file] = process.argv.slice(2);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const client = new S3Client({
  endpoint: process.env.S3_ENDPOINT,
  region: 'us-east-1',
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

if (op === 'upload') {
  await new Upload({client, params: {Bucket: bucket, Key: key, Body: createReadStream(file)}, partSize: 16 * 1024 * 1024, queueSize: 4}).done();
} else if (op === 'download') {
  const out = await client.send(new GetObjectCommand({Bucket: bucket, Key: key}));
  await pipeline(out.Body, createWriteStream(file));
} else if (op === 'list') {
  let token;
  let count = 0;
  do {
    const page = await client.send(new ListObjectsV2Command({Bucket: bucket, Prefix: key, ContinuationToken: token}));
    count += page.KeyCount ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (count === 0) throw new Error('listed nothing');
} else if (op === 'fill') {
  // Creates `file` (a count) empty objects under `key`, 64 at a time.
  const {PutObjectCommand} = await import('@aws-sdk/client-s3');
  const total = Number(file);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await client.send(new PutObjectCommand({Bucket: bucket, Key: `${key}f${String(i).padStart(6, '0')}`, Body: new Uint8Array(0), ContentLength: 0}));
    }
  };
  await Promise.all(Array.from({length: 64}, worker));
}
client.destroy();
