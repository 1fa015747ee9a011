-- Vacancies, their hashtags and full-text index; per-user list filters.
CREATE TABLE vacancies (
    id             INTEGER PRIMARY KEY,
    slug           TEXT    NOT NULL UNIQUE,
    title          TEXT    NOT NULL,
    project        TEXT    NOT NULL,
    city           TEXT    NOT NULL DEFAULT '',
    remote         INTEGER NOT NULL DEFAULT 0 CHECK (remote IN (0, 1)),
    employment     TEXT    NOT NULL DEFAULT '',
    requirements   TEXT    NOT NULL DEFAULT '',
    duties         TEXT    NOT NULL DEFAULT '',
    not_fit        TEXT    NOT NULL DEFAULT '',
    offer          TEXT    NOT NULL DEFAULT '',
    contacts       TEXT    NOT NULL DEFAULT '',
    hashtags       TEXT    NOT NULL DEFAULT '',  -- space-separated, as shown
    task_text      TEXT    NOT NULL DEFAULT '',
    task_file      TEXT    NOT NULL DEFAULT '',
    task_file_name TEXT    NOT NULL DEFAULT '',
    deadline_days  INTEGER NOT NULL CHECK (deadline_days BETWEEN 1 AND 60),
    status         TEXT    NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    published_at   TEXT
);
CREATE INDEX vacancies_listing ON vacancies (status, published_at, id);
CREATE INDEX vacancies_project ON vacancies (status, project);
CREATE INDEX vacancies_city ON vacancies (status, city);

CREATE TABLE vacancy_hashtags (
    tag        TEXT    NOT NULL,
    vacancy_id INTEGER NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    PRIMARY KEY (tag, vacancy_id)
) WITHOUT ROWID;
CREATE INDEX vacancy_hashtags_vacancy ON vacancy_hashtags (vacancy_id);

CREATE VIRTUAL TABLE vacancies_fts USING fts5 (
    title, requirements, duties, offer, hashtags,
    content = 'vacancies', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER vacancies_fts_insert AFTER INSERT ON vacancies BEGIN
    INSERT INTO vacancies_fts (rowid, title, requirements, duties, offer, hashtags)
    VALUES (new.id, new.title, new.requirements, new.duties, new.offer, new.hashtags);
END;
CREATE TRIGGER vacancies_fts_delete AFTER DELETE ON vacancies BEGIN
    INSERT INTO vacancies_fts (vacancies_fts, rowid, title, requirements, duties, offer, hashtags)
    VALUES ('delete', old.id, old.title, old.requirements, old.duties, old.offer, old.hashtags);
END;
CREATE TRIGGER vacancies_fts_update AFTER UPDATE ON vacancies BEGIN
    INSERT INTO vacancies_fts (vacancies_fts, rowid, title, requirements, duties, offer, hashtags)
    VALUES ('delete', old.id, old.title, old.requirements, old.duties, old.offer, old.hashtags);
    INSERT INTO vacancies_fts (rowid, title, requirements, duties, offer, hashtags)
    VALUES (new.id, new.title, new.requirements, new.duties, new.offer, new.hashtags);
END;

CREATE TABLE vacancy_filters (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    project TEXT NOT NULL DEFAULT '',
    city    TEXT NOT NULL DEFAULT '',
    remote  INTEGER NOT NULL DEFAULT 0,
    tag     TEXT NOT NULL DEFAULT '',
    query   TEXT NOT NULL DEFAULT ''
);
