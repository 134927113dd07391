/**
 * The PostgreSQL metastore's schema: the tables of the SQLite store (schema.ts), plus the host of each cache entry,
 * the host whose cache holds an inode's data, and the workers. `alluxio_schema` holds the number of migrations
 * applied; `PG_MIGRATIONS[i]` takes a database from version i to i + 1. Append only: a released migration is never
 * edited.
 *
 * Only SQL that PostgreSQL-compatible distributed engines also run (CockroachDB, YugabyteDB): plain tables,
 * indexes, ON CONFLICT, row locks; no advisory locks, LISTEN/NOTIFY, triggers, functions or sequences.
 */

/** Created before any migration, so that racing first opens have a row to lock. */
export const VERSION_TABLE_SQL = `
  CREATE TABLE IF NOT EXISTS alluxio_schema (
    id INT PRIMARY KEY CHECK (id = 1),
    version INT NOT NULL
  )`;

// Paths compare bytewise (COLLATE "C"), so a subtree is the key range ('/a/', '/a0') of the primary key, as in
// the SQLite store. Times are milliseconds since the epoch.
export const PG_MIGRATIONS: readonly string[] = [
  `
  -- The generation changes at every format: a process that opened the store before a format sees it change and
  -- stops writing. Every write transaction locks this row first: writers are serialized, as SQLite's are.
  CREATE TABLE store_info (
    id INT PRIMARY KEY CHECK (id = 1),
    generation TEXT NOT NULL
  );

  CREATE TABLE format_info (
    id INT PRIMARY KEY CHECK (id = 1),
    cluster_id TEXT NOT NULL,
    super_user TEXT NOT NULL,
    super_group TEXT NOT NULL,
    formatted_at BIGINT NOT NULL
  );

  CREATE TABLE mounts (
    alluxio_path TEXT COLLATE "C" PRIMARY KEY,
    ufs_uri TEXT NOT NULL,
    read_only BOOLEAN NOT NULL,
    shared BOOLEAN NOT NULL,
    options TEXT NOT NULL,
    ufs_owner TEXT,
    ufs_group TEXT,
    ufs_mode INT,
    created_at BIGINT NOT NULL
  );

  -- cache_host: the worker whose cache holds the data of a file not yet persisted (only that host can persist it).
  CREATE TABLE inodes (
    path TEXT COLLATE "C" PRIMARY KEY,
    parent TEXT COLLATE "C",
    is_dir BOOLEAN NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('PERSISTED', 'NOT_PERSISTED', 'TO_BE_PERSISTED')),
    owner TEXT,
    grp TEXT,
    mode INT,
    length BIGINT,
    creation_time BIGINT NOT NULL,
    modification_time BIGINT NOT NULL,
    cache_key TEXT,
    cache_host TEXT
  );
  CREATE INDEX inodes_by_parent ON inodes (parent, path);
  CREATE INDEX inodes_by_state ON inodes (state, modification_time, path);
  CREATE INDEX inodes_by_host ON inodes (cache_host, state, modification_time, path);

  -- ACL entries beyond owner, group and mode (setfacl), as JSON.
  CREATE TABLE acls (
    path TEXT COLLATE "C" PRIMARY KEY,
    extended TEXT,
    default_acl TEXT
  );

  -- A path is pinned as its nearest row at or above it says; media comma-separated, '' for any.
  CREATE TABLE pins (
    path TEXT COLLATE "C" PRIMARY KEY,
    pinned BOOLEAN NOT NULL,
    media TEXT NOT NULL
  );

  CREATE TABLE file_ids (
    id BIGINT PRIMARY KEY,
    path TEXT NOT NULL
  );

  -- Each host's cache folder is its own: entries are keyed by the host's worker identity.
  CREATE TABLE cache_entries (
    host TEXT NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    size BIGINT NOT NULL,
    last_access BIGINT NOT NULL,
    pinned BOOLEAN NOT NULL,
    path TEXT COLLATE "C",
    PRIMARY KEY (host, key)
  );
  CREATE INDEX cache_entries_lru ON cache_entries (host, pinned, last_access, key);
  CREATE INDEX cache_entries_by_path ON cache_entries (host, path, key);

  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  );

  -- One writer per path (see schema.ts): in progress while completed_at is NULL.
  CREATE TABLE claims (
    path TEXT COLLATE "C" PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    completed_at BIGINT
  );
  CREATE INDEX claims_by_expiry ON claims (expires_at);

  CREATE TABLE metrics (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
  );

  CREATE TABLE kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  -- The hosts using this namespace, for the Workers page and \`fsadmin report capacity\`.
  CREATE TABLE workers (
    host TEXT PRIMARY KEY,
    last_contact BIGINT NOT NULL,
    capacity_bytes BIGINT NOT NULL,
    used_bytes BIGINT NOT NULL
  );
  `,
  `
  -- Hosts list in byte order, as in SQLite, whatever the database's collation. The rows are only heartbeats, which
  -- every host writes again at its next command: the table is made anew rather than altered, which every engine runs.
  DROP TABLE workers;
  CREATE TABLE workers (
    host TEXT COLLATE "C" PRIMARY KEY,
    last_contact BIGINT NOT NULL,
    capacity_bytes BIGINT NOT NULL,
    used_bytes BIGINT NOT NULL
  );
  `,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** Every table a format empties (all but the version table), children before what they describe. */
export const PG_DATA_TABLES = [
  'acls', 'pins', 'file_ids', 'cache_entries', 'inodes', 'mounts', 'format_info', 'leases', 'claims', 'metrics',
  'kv', 'workers',
] as const;
