-- Search per language: each row says which readers' languages it serves
-- (`langs`, space-separated: an original that has no Spanish translation
-- serves "en es"; a translation serves "es"). The index is rebuilt from the
-- content at every start, so dropping it loses nothing.
DROP TABLE IF EXISTS lessons_fts;
CREATE VIRTUAL TABLE lessons_fts USING fts5(
    href UNINDEXED,
    track_title UNINDEXED,
    title,
    body,
    langs UNINDEXED,
    tokenize = 'porter unicode61'
);
