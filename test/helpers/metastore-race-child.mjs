// One OS process using the metastore, driven by metastore-race.ts and concurrency.test.ts:
//   node metastore-race-child.mjs <mode> <url of the compiled open.js> <properties as JSON> ...mode arguments
// It opens the store with openMetaStore, as commands do, from the properties (SQLite: the journal folder;
// PostgreSQL: the URL and the password's env: reference). Prints one JSON line with its result ("hold" and
// "lockFresh" print "locked" first).
import fs from 'node:fs';

const [mode, openUrl, json, ...args] = process.argv.slice(2);
const props = JSON.parse(json);
const {openMetaStore, metaStoreFile} = await import(openUrl);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const postgres = props['alluxio.master.metastore'] === 'POSTGRES';
const journal = props['alluxio.master.journal.folder'];

/** The part of the configuration the stores read: the properties given, and the defaults of the others. */
const defaults = {
  'alluxio.master.metastore': 'SQLITE',
  'alluxio.master.metastore.postgres.pool.size': '4',
  'alluxio.master.metastore.postgres.connect.timeout': '10000',
};
const value = (key) => props[key] ?? defaults[key];
const conf = {
  get: value,
  getOrUndefined: value,
  getEnum: value,
  getInt: (key) => Number(value(key)),
  getDurationMs: (key) => Number(value(key)),
};
const open = () => openMetaStore(conf);

/** A connection of our own to the PostgreSQL database of the properties, past the store. */
async function pgClient() {
  const {default: pg} = await import('pg');
  const url = new URL(props['alluxio.master.metastore.postgres.url']);
  const password = process.env[props['alluxio.master.metastore.postgres.password'].replace(/^env:/, '')];
  const client = new pg.Client({host: url.hostname, port: Number(url.port), user: url.username, database: url.pathname.slice(1), password});
  await client.connect();
  return client;
}

/** The counter: the length of the row COUNTER, read and written back in one unit of work. */
const COUNTER = '/counter';

/** Adds 1 to the counter; returns the value written. */
async function increment(store) {
  let value;
  await store.modifyInodes([COUNTER], (path, current) => {
    value = (current?.length ?? 0) + 1;
    return {path, isDirectory: false, state: 'PERSISTED', length: value, creationTime: 0, modificationTime: 0};
  });
  return value;
}

const modes = {
  /** Opens and closes; reports the error a user would see. */
  async open() {
    try {
      await (await open()).close();
      return {ok: true};
    } catch (e) {
      return {message: e.message, hint: e.hint};
    }
  },

  /**
   * Holds the write lock of the store for `ms` milliseconds, as a stuck writer would, with a write of its own
   * (key "held"), then commits.
   */
  async hold([ms]) {
    if (postgres) {
      const client = await pgClient();
      await client.query('BEGIN');
      await client.query('SELECT generation FROM store_info WHERE id = 1 FOR UPDATE');
      await client.query("INSERT INTO kv (key, value) VALUES ('held', '1')");
      fs.writeSync(1, 'locked\n');
      await sleep(Number(ms));
      await client.query('COMMIT');
      await client.end();
      return {ok: true};
    }
    const {default: Database} = await import('better-sqlite3');
    const db = new Database(metaStoreFile(journal));
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO kv (key, value) VALUES ('held', '1')").run();
    fs.writeSync(1, 'locked\n');
    await sleep(Number(ms));
    db.exec('COMMIT');
    db.close();
    return {ok: true};
  },

  /**
   * SQLite: holds the write lock of a new, still empty file for `ms` milliseconds, as a process that is setting
   * it up does (plain SQLite: ours would switch it to WAL first).
   */
  async lockFresh([ms]) {
    const {default: Database} = await import('better-sqlite3');
    fs.mkdirSync(journal, {recursive: true});
    const db = new Database(metaStoreFile(journal));
    db.exec('BEGIN IMMEDIATE');
    fs.writeSync(1, 'locked\n');
    await sleep(Number(ms));
    db.exec('COMMIT');
    db.close();
    return {ok: true};
  },

  /**
   * From `startAt` on (so that all race to create the store), `n` rounds of counter, mount, inodes and lease;
   * reports the generation it opened.
   */
  async work([id, n, startAt]) {
    await sleep(Number(startAt) - Date.now());
    const store = await open();
    const owner = `child-${id}`;
    let leases = 0;
    let overlaps = 0;
    for (let i = 0; i < Number(n); i++) {
      await increment(store);
      await store.addMount({
        alluxioPath: `/mnt/c${id}/m${i}`,
        ufsUri: `s3://bucket/c${id}/m${i}`,
        readOnly: false,
        shared: false,
        options: {round: String(i)},
        createdAt: i,
      });
      await store.modifyInodes([`/c${id}`, `/c${id}/f${i}`], (path, _current, j) =>
        j === 0
          ? {path, isDirectory: true, state: 'PERSISTED', creationTime: 0, modificationTime: 0}
          : {path, isDirectory: false, state: 'TO_BE_PERSISTED', length: i, creationTime: i, modificationTime: i},
      );
      if (await store.tryAcquireLease('job', owner, 60_000, Date.now())) {
        leases++;
        // While we hold the lease nobody else may have marked itself the holder.
        if (await store.getValue('holder')) overlaps++;
        await store.setValue('holder', owner);
        await store.setValue('holder', '');
        await store.releaseLease('job', owner);
      }
    }
    const {generation} = store;
    await store.close();
    return {leases, overlaps, generation};
  },

  /**
   * From `startAt` on, claims /p0 ... /p<n-1>, having seen them all missing at `startAt`, and completes those it
   * got; lists them.
   */
  async claim([id, n, startAt]) {
    // Opened first: the race is between the claims, not between how fast each process opens the store.
    const store = await open();
    await sleep(Number(startAt) - Date.now());
    const won = [];
    for (let i = 0; i < Number(n); i++) {
      const path = `/p${i}`;
      if (await store.tryClaimPath(path, `child-${id}`, {viewedAt: Number(startAt), now: Date.now(), ttlMs: 60_000})) {
        won.push(path);
        await store.completeClaim(path, `child-${id}`, Date.now(), 60_000);
      }
    }
    await store.close();
    return {won};
  },

  /** From `startAt` on, `n` increments; when a format interrupts, opens the store again and goes on. */
  async tolerant([n, startAt]) {
    await sleep(Number(startAt) - Date.now());
    let store = await open();
    const written = [];
    let reopened = 0;
    while (written.length < Number(n)) {
      try {
        written.push(await increment(store));
      } catch (e) {
        if (!/was formatted while this command was running/.test(e.message)) throw e;
        await store.close();
        store = await open();
        reopened++;
      }
    }
    await store.close();
    return {written, reopened};
  },
};

process.stdout.write(`${JSON.stringify(await modes[mode](args))}\n`);
