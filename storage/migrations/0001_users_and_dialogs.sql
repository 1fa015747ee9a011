-- Users: one row per (platform, external id); dialog state for multi-step conversations.
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    platform    TEXT    NOT NULL CHECK (platform IN ('tg', 'vk')),
    external_id INTEGER NOT NULL,
    locale      TEXT    NOT NULL,
    role        TEXT    NOT NULL DEFAULT 'candidate'
                        CHECK (role IN ('candidate', 'employee', 'admin')),
    first_name  TEXT    NOT NULL DEFAULT '',
    last_name   TEXT    NOT NULL DEFAULT '',
    username    TEXT    NOT NULL DEFAULT '',
    first_seen  TEXT    NOT NULL,
    last_seen   TEXT    NOT NULL,
    is_blocked  INTEGER NOT NULL DEFAULT 0 CHECK (is_blocked IN (0, 1)),
    UNIQUE (platform, external_id)
);
CREATE INDEX users_role ON users (role);
CREATE INDEX users_first_seen ON users (first_seen);

CREATE TABLE dialog_states (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);
