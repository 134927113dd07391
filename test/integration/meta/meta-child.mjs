// One OS process using the metastore, driven by concurrency.test.ts:
//   node meta-child.mjs <mode> <url of the compiled open.js> <journal folder> ...mode arguments
// Prints one JSON line with its result (the "hold" mode prints "locked" first).
import fs from 'node:fs';

const [mode, openUrl, journal, ...args] = process.argv.slice(2);
const {openMetaStore} = await import(openUrl);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The part of the configuration the store reads. */
const conf = {get: () => journal, getOrUndefined: () => undefined, getEnum: () => 'SQLITE'};
const open = () => openMetaStore(conf);

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

  /** Holds the write lock of the store for `ms` milliseconds, with a write of its own, then commits. */
  async hold([ms]) {
    const {default: Database} = await import('better-sqlite3');
    const db = new Database(`${journal}/metastore.db`);
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO kv (key, value) VALUES ('held', '1')").run();
    fs.writeSync(1, 'locked\n');
    await sleep(Number(ms));
    db.exec('COMMIT');
    db.close();
    return {ok: true};
  },

  /**
   * Holds the write lock of a new, still empty file for `ms` milliseconds, as a process that is setting it up
   * does (plain SQLite: ours would switch it to WAL first).
   */
  async lockFresh([ms]) {
    const {default: Database} = await import('better-sqlite3');
    fs.mkdirSync(journal, {recursive: true});
    const db = new Database(`${journal}/metastore.db`);
    db.exec('BEGIN IMMEDIATE');
    fs.writeSync(1, 'locked\n');
    await sleep(Number(ms));
    db.exec('COMMIT');
    db.close();
    return {ok: true};
  },

  /** From `startAt` on (so that all race to create the store), `n` rounds of counter, mount, inodes and lease. */
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
    await store.close();
    return {leases, overlaps};
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
