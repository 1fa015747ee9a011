-- Audit log of admin actions, the fact of erasures (no personal data), retention bookkeeping.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    actor_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor      TEXT    NOT NULL,  -- "admin", "cli", "system": never a person's name or id
    action     TEXT    NOT NULL,
    target     TEXT    NOT NULL DEFAULT '',
    details    TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);

CREATE TABLE erasures (
    id        INTEGER PRIMARY KEY,
    platform  TEXT NOT NULL,
    reason    TEXT NOT NULL,  -- "user request" or "retention"
    erased_at TEXT NOT NULL
);

CREATE INDEX applications_decided ON applications (decided_at);
