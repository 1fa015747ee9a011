-- Profile-hygiene checklist: which items each user has marked done.
CREATE TABLE checklist_marks (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item    TEXT    NOT NULL,
    done_at TEXT    NOT NULL,
    PRIMARY KEY (user_id, item)
) WITHOUT ROWID;
