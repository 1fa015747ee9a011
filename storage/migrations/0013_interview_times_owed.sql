-- Not NULL: the candidate of an invited application is owed interview times, a free place in a
-- slot with a greater id (0: in any slot). Set to 0 when they were shown no free time, and to
-- the newest slot's id when they asked for another time (only times published after that
-- count). The background jobs send the times once and set it back to NULL; so does a booking.
ALTER TABLE interview_invites ADD COLUMN times_owed_after INTEGER;
CREATE INDEX interview_invites_owed ON interview_invites (application_id)
    WHERE times_owed_after IS NOT NULL;
