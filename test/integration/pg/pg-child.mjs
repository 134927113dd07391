// One OS process using the PostgreSQL metastore, driven by faults.test.ts:
//   node pg-child.mjs <mode> <url of the bundled postgres-store.js> <options as JSON> ...mode arguments
// Waits for the start time given in the options (so that every child begins at once), then prints one JSON line.
const [mode, storeUrl, json, ...args] = process.argv.slice(2);
const {PostgresMetaStore} = await import(storeUrl);
const {startAt, ...options} = JSON.parse(json);

const modes = {
  /** Opens (setting up the schema when missing) and reports the generation. */
  async open() {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
    const store = await PostgresMetaStore.open(options);
    const {generation} = store;
    await store.close();
    return {generation};
  },

  /** Adds 1 to the length of the inode at PATH, `times` times, each a read-modify-write of its own. */
  async increment([path, times]) {
    const store = await PostgresMetaStore.open(options);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
    for (let i = 0; i < Number(times); i++) {
      await store.modifyInodes([path], (p, current) => ({
        path: p,
        isDirectory: false,
        state: 'PERSISTED',
        creationTime: 1,
        modificationTime: 1,
        ...current,
        length: (current?.length ?? 0) + 1,
      }));
    }
    await store.close();
    return {ok: true};
  },
};

try {
  process.stdout.write(`${JSON.stringify(await modes[mode](args))}\n`);
} catch (e) {
  process.stdout.write(`${JSON.stringify({message: e.message, hint: e.hint})}\n`);
  process.exitCode = 1;
}
