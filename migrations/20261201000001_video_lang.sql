-- The participant's page language at upload time, so the worker writes their emails in it.
-- Portable (SQLite and MySQL 8 / MariaDB): VARCHAR with a default, existing rows become English.
ALTER TABLE videos ADD COLUMN lang VARCHAR(8) NOT NULL DEFAULT 'en';
