-- Applications (a candidate's test-task attempt), answers, consents, attribution, funnel,
-- placements and subscriptions.
CREATE TABLE applications (
    id           INTEGER PRIMARY KEY,
    vacancy_id   INTEGER NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       TEXT    NOT NULL CHECK (status IN ('issued', 'submitted', 'accepted', 'rejected')),
    issued_at    TEXT    NOT NULL,
    deadline_at  TEXT    NOT NULL,
    submitted_at TEXT,
    late         INTEGER NOT NULL DEFAULT 0,
    source       TEXT    NOT NULL DEFAULT '',
    reviewer_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at   TEXT,
    comment      TEXT    NOT NULL DEFAULT '',
    extension    TEXT    NOT NULL DEFAULT '',
    reminded     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, vacancy_id)
);
CREATE INDEX applications_user ON applications (user_id, id);
CREATE INDEX applications_due ON applications (status, reminded, deadline_at);

CREATE TABLE answers (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL CHECK (kind IN ('text', 'link', 'document', 'photo')),
    text           TEXT    NOT NULL DEFAULT '',
    file_ref       TEXT    NOT NULL DEFAULT '',
    file_name      TEXT    NOT NULL DEFAULT '',
    mime_type      TEXT    NOT NULL DEFAULT '',
    size           INTEGER,
    created_at     TEXT    NOT NULL,
    late           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX answers_application ON answers (application_id, id);

CREATE TABLE consents (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    version      TEXT    NOT NULL,
    text_sha256  TEXT    NOT NULL,
    accepted_at  TEXT    NOT NULL,
    withdrawn_at TEXT
);
CREATE INDEX consents_user ON consents (user_id, kind, id);

-- first touch of a user with a vacancy: the source that gets the credit
CREATE TABLE touches (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    vacancy_id INTEGER NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    source     TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (user_id, vacancy_id)
) WITHOUT ROWID;

CREATE TABLE placements (
    id         INTEGER PRIMARY KEY,
    vacancy_id INTEGER NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    source     TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    UNIQUE (vacancy_id, source)
);

-- funnel counters per vacancy and source: views, issued, submitted, accepted
CREATE TABLE funnel (
    vacancy_id INTEGER NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    source     TEXT    NOT NULL,
    metric     TEXT    NOT NULL CHECK (metric IN ('views', 'issued', 'submitted', 'accepted')),
    count      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vacancy_id, source, metric)
) WITHOUT ROWID;

CREATE TABLE subscriptions (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('project', 'tag')),
    value      TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (kind, value, user_id)
) WITHOUT ROWID;
CREATE INDEX subscriptions_user ON subscriptions (user_id);

-- who was told about a published vacancy: each subscriber once
CREATE TABLE vacancy_notices (
    vacancy_id INTEGER NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sent_at    TEXT,
    PRIMARY KEY (vacancy_id, user_id)
) WITHOUT ROWID;
CREATE INDEX vacancy_notices_pending ON vacancy_notices (sent_at, vacancy_id);
