-- A third platform, 'web', in the two CHECK constraints that list the platforms. Rebuilding
-- `users` would need foreign keys off (not possible inside the migration's transaction, and
-- with them on, dropping it would cascade); SQLite documents editing a table's definition in
-- sqlite_schema for changes that leave the stored data valid, such as widening a CHECK
-- (https://www.sqlite.org/lang_altertable.html, "otheralter"); RESET reloads the schema.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (platform IN (''tg'', ''vk''))',
                  'CHECK (platform IN (''tg'', ''vk'', ''web''))')
WHERE type = 'table' AND name IN ('users', 'broadcast_deliveries');
PRAGMA writable_schema = RESET;

-- The web chat (bot/web): visitors are the web's "accounts" (their id is the users row's
-- external_id on platform 'web'); a visitor's conversation is kept so a reload or a return
-- visit shows it as it was, and files travel as opaque ids served only to their owner.
CREATE TABLE web_visitors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    admin INTEGER NOT NULL DEFAULT 0
);

-- one row per message in a visitor's chat; `body` is the JSON the page renders, edits change
-- it in place; `key` makes a send idempotent (a resend after a crash stores nothing new)
CREATE TABLE web_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sender TEXT NOT NULL CHECK (sender IN ('bot', 'user')),
    body TEXT NOT NULL,
    key TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX web_messages_user ON web_messages (user_id, id);
CREATE UNIQUE INDEX web_messages_key ON web_messages (user_id, key) WHERE key IS NOT NULL;

-- files the visitor uploaded (answers) and files the bot sent them (task files, exports,
-- charts); `id` is a random opaque id, and a file is served only to its owner; erasing the
-- person erases their files and history with them. A broadcast's photo or document has no
-- owner (NULL): every recipient is shown it.
CREATE TABLE web_files (
    id TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX web_files_user ON web_files (user_id);
