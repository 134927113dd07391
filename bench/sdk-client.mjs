// The raw AWS SDK as a peer in the S3 benchmark: upload with lib-storage (16 MiB parts, 4 in flight, the best
// setting found here), download as one GetObject stream, list with paged ListObjectsV2 printing a line per key;
// for the small-files and metadata rows: putdir (one PutObject per file, N in flight), copyprefix (a paged
// listing, then one CopyObject per key, N in flight), head, cat (GetObject to stdout); for runUfsIOTest's row:
// iotest. Setup modes (not timed): fill, filltree, count, rmprefix. The endpoint is S3_ENDPOINT.
import {createReadStream, createWriteStream, readdirSync, readFileSync} from 'node:fs';
import {randomBytes} from 'node:crypto';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {Readable, Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {Upload} from '@aws-sdk/lib-storage';

const [op, bucket, key, file, extra] = process.argv.slice(2);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const client = new S3Client({
  endpoint: process.env.S3_ENDPOINT,
  region: 'us-east-1',
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

/** Runs `task(i)` for i in [0, total), `concurrency` at a time. */
async function pool(total, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({length: Math.min(concurrency, total)}, worker));
}

async function listAll(prefix) {
  const keys = [];
  let bytes = 0;
  let token;
  do {
    const page = await client.send(new ListObjectsV2Command({Bucket: bucket, Prefix: prefix, ContinuationToken: token}));
    for (const o of page.Contents ?? []) {
      keys.push(o.Key);
      bytes += o.Size ?? 0;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return {keys, bytes};
}

if (op === 'upload') {
  await new Upload({client, params: {Bucket: bucket, Key: key, Body: createReadStream(file)}, partSize: 16 * 1024 * 1024, queueSize: 4}).done();
} else if (op === 'download') {
  const out = await client.send(new GetObjectCommand({Bucket: bucket, Key: key}));
  await pipeline(out.Body, createWriteStream(file));
} else if (op === 'list') {
  // Pages of ListObjectsV2, each key printed on its own line (as a listing tool does).
  let listed = 0;
  let token;
  do {
    const page = await client.send(new ListObjectsV2Command({Bucket: bucket, Prefix: key, ContinuationToken: token}));
    const lines = (page.Contents ?? []).map((o) => `${o.Size}\t${o.LastModified?.toISOString()}\t${o.Key}\n`);
    listed += lines.length;
    if (!process.stdout.write(lines.join(''))) await new Promise((resolve) => process.stdout.once('drain', resolve));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (listed === 0) throw new Error('listed nothing');
} else if (op === 'putdir') {
  // putdir BUCKET PREFIX DIR CONCURRENCY: every file of DIR (flat) as PREFIX+name, one PutObject each.
  const names = readdirSync(file);
  const concurrency = Number(extra ?? 32);
  await pool(names.length, concurrency, (i) =>
    client.send(new PutObjectCommand({Bucket: bucket, Key: `${key}${names[i]}`, Body: readFileSync(join(file, names[i]))})),
  );
} else if (op === 'copyprefix') {
  // copyprefix BUCKET SRC DST CONCURRENCY: every key under SRC copied on the server to DST + the rest of the key.
  const {keys} = await listAll(key);
  await pool(keys.length, Number(extra ?? 32), (i) =>
    client.send(new CopyObjectCommand({Bucket: bucket, Key: `${file}${keys[i].slice(key.length)}`, CopySource: `${bucket}/${keys[i]}`})),
  );
} else if (op === 'head') {
  await client.send(new HeadObjectCommand({Bucket: bucket, Key: key}));
} else if (op === 'cat') {
  const out = await client.send(new GetObjectCommand({Bucket: bucket, Key: key}));
  await pipeline(out.Body, process.stdout);
} else if (op === 'fill') {
  // fill BUCKET PREFIX COUNT [SIZE]: COUNT objects of SIZE bytes (0) under PREFIX, 64 at a time.
  const total = Number(file);
  const body = new Uint8Array(Number(extra ?? 0));
  await pool(total, 64, (i) =>
    client.send(new PutObjectCommand({Bucket: bucket, Key: `${key}f${String(i).padStart(6, '0')}`, Body: body, ContentLength: body.length})),
  );
} else if (op === 'count') {
  // count BUCKET PREFIX: prints "<objects> <bytes>", folder markers (keys ending in /) left out.
  const {keys, bytes} = await listAll(key);
  console.log(`${keys.filter((k) => !k.endsWith('/')).length} ${bytes}`);
} else if (op === 'rmprefix') {
  // rmprefix BUCKET PREFIX: deletes every object under PREFIX, 32 at a time.
  const {keys} = await listAll(key);
  await pool(keys.length, 32, (i) => client.send(new DeleteObjectCommand({Bucket: bucket, Key: keys[i]})));
} else if (op === 'filltree') {
  // filltree BUCKET PREFIX COUNT FOLDERS: COUNT empty objects spread over FOLDERS folders (PREFIX d0000/f000000),
  // 128 PutObject in flight.
  const total = Number(file);
  const folders = Number(extra);
  const body = new Uint8Array(0);
  await pool(total, 128, (i) =>
    client.send(
      new PutObjectCommand({Bucket: bucket, Key: `${key}d${String(i % folders).padStart(4, '0')}/f${String(i).padStart(6, '0')}`, Body: body, ContentLength: 0}),
    ),
  );
} else if (op === 'iotest') {
  // iotest BUCKET PREFIX THREADS MIB: what runUfsIOTest does, with the SDK alone: THREADS objects of MIB MiB
  // written at once (lib-storage, 16 MiB parts, 4 in flight each) from one 1 MiB random buffer, read back at once
  // (one GetObject stream each), deleted. Prints the aggregate write and read MiB/s as JSON.
  const threads = Number(file);
  const mib = Number(extra);
  const buffer = randomBytes(1024 * 1024);
  const keys = Array.from({length: threads}, (_, i) => `${key}io-${i}`);
  const body = () => Readable.from((function* () { for (let i = 0; i < mib; i++) yield buffer; })());
  const timed = async (work) => {
    const start = performance.now();
    await Promise.all(keys.map(work));
    return (threads * mib) / ((performance.now() - start) / 1000);
  };
  const write = await timed((Key) => new Upload({client, params: {Bucket: bucket, Key, Body: body()}, partSize: 16 * 1024 * 1024, queueSize: 4}).done());
  const read = await timed(async (Key) => {
    const out = await client.send(new GetObjectCommand({Bucket: bucket, Key}));
    await pipeline(out.Body, new Writable({write: (_chunk, _encoding, done) => done()}));
  });
  await Promise.all(keys.map((Key) => client.send(new DeleteObjectCommand({Bucket: bucket, Key}))));
  console.log(JSON.stringify({writeMiBps: write, readMiBps: read}));
} else {
  throw new Error(`unknown mode ${op}`);
}
client.destroy();
