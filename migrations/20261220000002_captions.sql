-- Subtitles sent with an upload (issue 14): the language code of the stored WebVTT file
-- (`media/{id}/captions.vtt`), NULL when the participant sent none.
-- Portable (SQLite and MySQL 8 / MariaDB).
ALTER TABLE videos ADD COLUMN captions_lang VARCHAR(16) NULL;
