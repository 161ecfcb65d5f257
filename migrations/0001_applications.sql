-- Applications allowed to request signed processing URLs (contract §2).
CREATE TABLE applications (
  key TEXT PRIMARY KEY NOT NULL,
  secret TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 1,
  -- Renders this application may still start; NULL means unlimited.
  processing_quota INTEGER,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
