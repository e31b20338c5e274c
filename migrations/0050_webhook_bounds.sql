-- Webhooks with bounds (issue 21).
--
-- A subscription an admin deletes is hidden at once (deleted_at) and no longer handed events; the
-- minute's housekeeping then removes its deliveries and attempts in batches, and the row last.
-- A programme has at most 20 subscriptions that are not deleted.
--
-- What is kept, replacing 0048's words: delivered deliveries 30 days after delivery; dead ones 30
-- days after they died (replay them before); a paused subscription's pending deliveries 30 days
-- after they were made, when they die with "paused for more than 30 days" (so a subscription paused
-- and forgotten does not queue without end).
ALTER TABLE webhook_subscriptions
    ADD COLUMN deleted_at DATETIME(6) NULL,
    ADD KEY ix_webhook_subscriptions_deleted (deleted_at);

-- A subscription's deliveries in every state, newest first (the list without ?state=).
ALTER TABLE webhook_deliveries
    ADD KEY ix_webhook_deliveries_all (subscription_id, id);

-- Dead letters from before this migration were promised to stay until replayed: they get their 30
-- days from now.
UPDATE webhook_deliveries SET next_attempt_at = GREATEST(next_attempt_at, NOW(6)) WHERE state = 'dead';
