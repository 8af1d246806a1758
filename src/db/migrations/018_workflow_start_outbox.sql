-- Durable acceptance: the ingress commits a message together with the request to start its workflow, and answers
-- 250 after that commit; the workflow is started from this row (at once after the commit, or by the drain loop when
-- Temporal was unreachable). A row is deleted only after Temporal confirmed the start (or answered that msg-<id>
-- already exists), so a message is never accepted without a start request, and one started twice is started once.
CREATE TABLE workflow_start_outbox (
  -- Checked at commit: the acceptance transaction writes this row first, in the statement that checks the backlog.
  message_id    text PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- Until this time one process holds the row (its immediate start, or a drain pass); after it, any process may claim
  -- it. A process that dies while holding a row only delays it by the lease.
  claimed_until timestamptz NOT NULL DEFAULT now(),
  -- Start attempts so far (claims by a drain pass), and the last failure: what an operator reads during an outage.
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text
);
CREATE INDEX workflow_start_outbox_due ON workflow_start_outbox (claimed_until);
