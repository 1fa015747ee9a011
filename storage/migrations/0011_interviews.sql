-- Screening questions before the test task, interview slots and bookings with their reminders
-- and outcomes, and the funnel's new stages. (0010 is taken by another branch being built at the
-- same time: the runner accepts gaps and records each applied migration in schema_migrations.)

-- a vacancy's screening questions: a JSON list of {"text", "options": [{"label", "passes",
-- "reason"}]}; '[]' when it has none
ALTER TABLE vacancies ADD COLUMN screening TEXT NOT NULL DEFAULT '[]';

-- a candidate's run through the screening questions of a vacancy; `answers` is a JSON list of
-- {"question", "answer", "passes"} (the texts as they were shown); `reason` is HR's reason
-- for a knock-out
CREATE TABLE screenings (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    vacancy_id INTEGER NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    passed     INTEGER NOT NULL CHECK (passed IN (0, 1)),
    answers    TEXT    NOT NULL,
    reason     TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL
);
CREATE INDEX screenings_user ON screenings (user_id, vacancy_id, id);
CREATE INDEX screenings_created ON screenings (created_at);

-- a time an interviewer is free; vacancy_id NULL: for every vacancy
CREATE TABLE interview_slots (
    id           INTEGER PRIMARY KEY,
    vacancy_id   INTEGER REFERENCES vacancies (id) ON DELETE CASCADE,
    starts_at    TEXT    NOT NULL,
    ends_at      TEXT    NOT NULL,
    duration     INTEGER NOT NULL CHECK (duration BETWEEN 5 AND 480),
    format       TEXT    NOT NULL CHECK (format IN ('office', 'video', 'phone')),
    place        TEXT    NOT NULL DEFAULT '',  -- the office address or the video link
    interviewer  TEXT    NOT NULL,
    capacity     INTEGER NOT NULL DEFAULT 1 CHECK (capacity >= 1),
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT    NOT NULL,
    cancelled_at TEXT
);
CREATE INDEX interview_slots_time ON interview_slots (starts_at);
CREATE INDEX interview_slots_interviewer ON interview_slots (interviewer, starts_at);

-- HR invited the candidate of an application to book an interview
CREATE TABLE interview_invites (
    application_id INTEGER PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    invited_at     TEXT    NOT NULL,
    invited_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    rebookings     INTEGER NOT NULL DEFAULT 0  -- used rebookings after a no-show (one allowed)
);

-- a booking; status: booked (active), moved (rescheduled to a newer row), cancelled (by the
-- candidate), dropped (the slot was cancelled), done (an outcome was recorded)
CREATE TABLE interviews (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    slot_id        INTEGER NOT NULL REFERENCES interview_slots (id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL
        CHECK (status IN ('booked', 'moved', 'cancelled', 'dropped', 'done')),
    outcome        TEXT    NOT NULL DEFAULT ''
        CHECK (outcome IN ('', 'came', 'no_show', 'offer', 'hired', 'rejected')),
    comment        TEXT    NOT NULL DEFAULT '',
    confirmed      INTEGER NOT NULL DEFAULT 0,
    reminded_24    INTEGER NOT NULL DEFAULT 0,
    reminded_2     INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX interviews_slot ON interviews (slot_id, status);
CREATE INDEX interviews_application ON interviews (application_id, id);
CREATE INDEX interviews_user ON interviews (user_id, id);
CREATE UNIQUE INDEX interviews_one_active ON interviews (application_id) WHERE status = 'booked';

-- the funnel's new stages (SQLite cannot change a CHECK: the table is made anew)
CREATE TABLE funnel_stages (
    vacancy_id INTEGER NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    source     TEXT    NOT NULL,
    metric     TEXT    NOT NULL CHECK (metric IN (
        'views', 'screened_in', 'screened_out', 'issued', 'submitted', 'accepted',
        'booked', 'attended', 'offer', 'hired'
    )),
    count      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vacancy_id, source, metric)
) WITHOUT ROWID;
INSERT INTO funnel_stages (vacancy_id, source, metric, count)
    SELECT vacancy_id, source, metric, count FROM funnel;
DROP TABLE funnel;
ALTER TABLE funnel_stages RENAME TO funnel;
