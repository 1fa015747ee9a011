-- What a stored answer still owes: the candidate's receipt and the post to HR. Each is marked
-- when it has been sent; when the process dies in between, the next start sends what is owed
-- (bot/jobs.py, resume_answers). Answers stored before this migration owe nothing.
ALTER TABLE answers ADD COLUMN receipt_sent INTEGER NOT NULL DEFAULT 1;
ALTER TABLE answers ADD COLUMN hr_posted INTEGER NOT NULL DEFAULT 1;
CREATE INDEX answers_owed ON answers (id) WHERE receipt_sent = 0 OR hr_posted = 0;
