/**
 * The metastore's schema. `PRAGMA user_version` holds the number of migrations applied; `MIGRATIONS[i]` takes a
 * database from version i to i + 1. Append only: a released migration is never edited.
 */

/** `PRAGMA application_id` of our files ("Alux"), so a foreign SQLite file is never mistaken for a metastore. */
export const APPLICATION_ID = 0x416c7578;

// Paths are stored normalized ("/", "/a/b") under BINARY collation, so a subtree is the key range
// ('/a/', '/a0') of the primary key ('0' is the character after '/'). WITHOUT ROWID keeps each table clustered
// by its key, and makes every secondary index end with that key, which gives the tie-break order for free.
export const MIGRATIONS: readonly string[] = [
  `
  -- A new random generation each time the schema is created, i.e. at every format: a process that opened the
  -- store before a format sees it change and stops writing.
  CREATE TABLE store_info (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation TEXT NOT NULL
  ) STRICT;
  INSERT INTO store_info (id, generation) VALUES (1, lower(hex(randomblob(16))));

  CREATE TABLE format_info (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    cluster_id TEXT NOT NULL,
    super_user TEXT NOT NULL,
    super_group TEXT NOT NULL,
    formatted_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE mounts (
    alluxio_path TEXT PRIMARY KEY,
    ufs_uri TEXT NOT NULL,
    read_only INTEGER NOT NULL,
    shared INTEGER NOT NULL,
    options TEXT NOT NULL,
    ufs_owner TEXT,
    ufs_group TEXT,
    ufs_mode INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE inodes (
    path TEXT PRIMARY KEY,
    parent TEXT,
    is_dir INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('PERSISTED', 'NOT_PERSISTED', 'TO_BE_PERSISTED')),
    owner TEXT,
    grp TEXT,
    mode INTEGER,
    length INTEGER,
    creation_time INTEGER NOT NULL,
    modification_time INTEGER NOT NULL,
    cache_key TEXT
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX inodes_by_parent ON inodes (parent);
  CREATE INDEX inodes_by_state ON inodes (state, modification_time);

  CREATE TABLE cache_entries (
    key TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    last_access INTEGER NOT NULL,
    pinned INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX cache_entries_lru ON cache_entries (pinned, last_access);

  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
  `
  -- One writer per path: creating a path (file, directory, rename destination) claims it here first. A claim in
  -- progress (completed_at NULL) lapses at expires_at unless its writer renews it; a completed one is kept until
  -- expires_at so that a writer that saw the path missing before completed_at learns it was created meanwhile.
  CREATE TABLE claims (
    path TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    completed_at INTEGER
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX claims_by_expiry ON claims (expires_at);
  `,
  `
  -- Counters of operations and bytes, summed over every process that used this namespace (the web UI's Metrics).
  CREATE TABLE metrics (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  -- The Alluxio path whose data a cache entry holds, when known: the In-Alluxio Data page lists these.
  ALTER TABLE cache_entries ADD COLUMN path TEXT;
  CREATE INDEX cache_entries_by_path ON cache_entries (path) WHERE path IS NOT NULL;
  `,
  `
  -- ACL entries beyond owner, group and mode (setfacl), as JSON, for paths that have an inode row: extended
  -- entries of the access ACL, and a directory's default ACL. Never written to the under storage.
  CREATE TABLE acls (
    path TEXT PRIMARY KEY,
    extended TEXT,
    default_acl TEXT
  ) STRICT, WITHOUT ROWID;
  `,
  `
  -- \`fs pin\` and \`unpin\`: a path is pinned as its nearest row at or above it says (so what is created or listed
  -- later below a pinned folder is pinned too, as Alluxio's new inodes inherit it), with the media asked for
  -- (comma-separated, '' for any). The cache never evicts a pinned path's data.
  CREATE TABLE pins (
    path TEXT PRIMARY KEY,
    pinned INTEGER NOT NULL,
    media TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;

  -- The paths behind the ids \`stat\` has shown (ids are hashes of paths), for \`stat --file-id\`.
  CREATE TABLE file_ids (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL
  ) STRICT;
  `,
  `
  -- The worker (host) whose cache holds a non-persisted file's data. One SQLite file serves one host (WAL needs
  -- a local file system), so its cache entries need no host column; the column is kept for the workers' view.
  ALTER TABLE inodes ADD COLUMN cache_host TEXT;

  -- The hosts that use this namespace, with their cache's capacity and use (Workers page, report capacity).
  CREATE TABLE workers (
    host TEXT PRIMARY KEY,
    last_contact INTEGER NOT NULL,
    capacity_bytes INTEGER NOT NULL,
    used_bytes INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
