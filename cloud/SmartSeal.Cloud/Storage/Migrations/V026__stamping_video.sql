-- Stamping video (issue 19): a photo upload may carry an MP4 clip of a hand-over or return
-- instead of a JPEG. The manifest's "media" is kept on the upload (to check the bytes on
-- completion) and on the content-addressed blob (to serve it with the right type); 'jpeg' for all
-- earlier rows.
ALTER TABLE photo_uploads ADD COLUMN media TEXT NOT NULL DEFAULT 'jpeg';
ALTER TABLE photos ADD COLUMN media TEXT NOT NULL DEFAULT 'jpeg';
