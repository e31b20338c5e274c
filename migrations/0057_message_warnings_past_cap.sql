-- Whether points or a tier about to be lost go past the weekly cap of messages to a member (issue
-- 21). Off unless the programme turns it on (settings messages.warnings_past_cap): a member is then
-- never sent more than the cap in any 7 days, whatever the message.
ALTER TABLE programs
    ADD COLUMN IF NOT EXISTS message_warnings_past_cap TINYINT(1) NOT NULL DEFAULT 0;
