-- Delivery asks after every transaction whether any unfinished recipient still needs a spool file;
-- without this index that question scans the whole recipient table.
CREATE INDEX mail_recipient_content_file ON mail_recipient (content_file);
