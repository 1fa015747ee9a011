-- Small named values the runtimes keep across restarts (e.g. the VK long-poll position).
CREATE TABLE runtime_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
