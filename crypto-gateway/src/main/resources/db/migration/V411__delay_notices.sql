-- Delay notices (RFC 3464 Action: delayed) for recipients that asked NOTIFY=DELAY: when the notice
-- went out, so that it goes out at most once per recipient.
ALTER TABLE mail_recipient ADD COLUMN delay_notice_at TIMESTAMP WITH TIME ZONE;
