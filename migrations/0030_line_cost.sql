-- What a purchase line cost the retailer, when the till sends it (an optional `cost` in every
-- till format): minor units of the purchase's currency, for margins in the insight scores. It is
-- never shown to members. NULL: the till sent no cost for the line.
ALTER TABLE purchase_lines ADD COLUMN cost BIGINT NULL;
