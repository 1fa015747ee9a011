-- Broadcasts: one message from an admin to an audience on both messengers, and the delivery
-- state of every recipient, recorded in batches when the broadcast starts.
CREATE TABLE broadcasts (
    id             INTEGER PRIMARY KEY,
    author_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL DEFAULT 'draft'
                           CHECK (status IN ('draft', 'scheduled', 'running', 'done', 'cancelled')),
    text           TEXT    NOT NULL DEFAULT '',   -- safe Telegram-subset HTML
    media_kind     TEXT    NOT NULL DEFAULT '' CHECK (media_kind IN ('', 'photo', 'document')),
    media_platform TEXT    NOT NULL DEFAULT '',   -- where media_ref is valid: tg | vk
    media_ref      TEXT    NOT NULL DEFAULT '',   -- Telegram file_id / VK URL
    media_name     TEXT    NOT NULL DEFAULT '',
    media_cache    TEXT    NOT NULL DEFAULT '{}', -- JSON platform -> reference from the one upload
    buttons        TEXT    NOT NULL DEFAULT '[]', -- JSON [[label, url], ...]
    audience       TEXT    NOT NULL DEFAULT '{}', -- JSON, see bot/broadcast/model.py Audience
    created_at     TEXT    NOT NULL,
    scheduled_at   TEXT,
    started_at     TEXT,
    finished_at    TEXT,
    fill_cursor    INTEGER NOT NULL DEFAULT 0,    -- users.id up to which recipients are recorded
    filled         INTEGER NOT NULL DEFAULT 0 CHECK (filled IN (0, 1)),
    total          INTEGER NOT NULL DEFAULT 0,
    sent           INTEGER NOT NULL DEFAULT 0,
    blocked        INTEGER NOT NULL DEFAULT 0,
    failed         INTEGER NOT NULL DEFAULT 0,
    unknown        INTEGER NOT NULL DEFAULT 0,
    status_message TEXT    NOT NULL DEFAULT ''    -- the progress message in the author's chat
);
CREATE INDEX broadcasts_status ON broadcasts (status, scheduled_at);
CREATE INDEX broadcasts_author ON broadcasts (author_id, status);

CREATE TABLE broadcast_deliveries (
    id           INTEGER PRIMARY KEY,
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    platform     TEXT    NOT NULL CHECK (platform IN ('tg', 'vk')),
    chat_id      INTEGER NOT NULL,
    state        TEXT    NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'sent', 'blocked', 'failed', 'unknown')),
    batch        INTEGER,                         -- VK: the batch (and so the random_id) it went in
    attempts     INTEGER NOT NULL DEFAULT 0,
    error        TEXT    NOT NULL DEFAULT '',
    updated_at   TEXT,
    UNIQUE (broadcast_id, user_id)
);
-- the worker takes pending recipients of one broadcast and platform in id order
CREATE INDEX broadcast_deliveries_queue ON broadcast_deliveries (broadcast_id, platform, state, id);
