-- Failed SMTP AUTH attempts, counted per key over a fixed window so that every ingress instance sees the same counts:
-- 'ip:<address>' (the client) and 'user:<username>' (the name tried, known or not). Past the limit, locked_until is set
-- for the lockout period; the admin API lists the locked keys and deletes a row to clear one.
CREATE TABLE auth_failures (
  key           text PRIMARY KEY,
  failures      integer NOT NULL,
  window_start  timestamptz NOT NULL,
  last_failure  timestamptz NOT NULL,
  locked_until  timestamptz
);

-- Expired windows are swept by age.
CREATE INDEX auth_failures_last_failure ON auth_failures (last_failure);
