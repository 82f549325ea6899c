-- Reply links count their uploads, so one leaked link cannot fill the file storage.
ALTER TABLE reply_link ADD COLUMN upload_count INTEGER NOT NULL DEFAULT 0;
