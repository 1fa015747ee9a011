-- Employee advocacy: invites, employee profiles, the content library, shares, content requests.
CREATE TABLE invites (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL DEFAULT '',
    team       TEXT    NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    used_at    TEXT
);

CREATE TABLE employees (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL DEFAULT '',
    team       TEXT NOT NULL DEFAULT '',
    invite_id  INTEGER REFERENCES invites (id) ON DELETE SET NULL,
    joined_at  TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE posts (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    category     TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    variants     TEXT    NOT NULL,  -- JSON list of wordings
    media_path   TEXT    NOT NULL DEFAULT '',
    media_ref    TEXT    NOT NULL DEFAULT '',
    media_kind   TEXT    NOT NULL DEFAULT '',
    link         TEXT    NOT NULL DEFAULT '',
    platforms    TEXT    NOT NULL DEFAULT 'tg vk',
    valid_from   TEXT,
    valid_until  TEXT,
    vacancy_id   INTEGER REFERENCES vacancies (id) ON DELETE SET NULL,
    rotation     INTEGER NOT NULL DEFAULT 0,  -- how many times a wording was handed out
    created_at   TEXT    NOT NULL
);
CREATE INDEX posts_library ON posts (category, created_at);

CREATE TABLE shares (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    link       TEXT    NOT NULL DEFAULT '',
    points     INTEGER NOT NULL DEFAULT 0,
    day        TEXT    NOT NULL,  -- YYYY-MM-DD (Moscow), for the daily cap
    created_at TEXT    NOT NULL
);
CREATE INDEX shares_user_day ON shares (user_id, day);
CREATE INDEX shares_created ON shares (created_at);

CREATE TABLE content_requests (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text       TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('new', 'taken', 'fulfilled', 'declined')),
    admin_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reason     TEXT    NOT NULL DEFAULT '',
    post_id    INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX content_requests_user ON content_requests (user_id, id);

-- referral attribution is counted by source ('r<user id>') on touches and applications
CREATE INDEX touches_source ON touches (source);
CREATE INDEX applications_source ON applications (source);
