-- Interview slot times are stored in UTC, like every other time: slots published in the chat
-- were stored in Moscow time (+03:00), and times are compared as text, so they were up to three
-- hours off against "now" (reminders late, outcome buttons late). SQLite's strftime reads the
-- offset and writes UTC in the form Python's isoformat() gives for a UTC time.
UPDATE interview_slots
SET starts_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', starts_at),
    ends_at   = strftime('%Y-%m-%dT%H:%M:%S+00:00', ends_at)
WHERE starts_at NOT LIKE '%+00:00' OR ends_at NOT LIKE '%+00:00';
