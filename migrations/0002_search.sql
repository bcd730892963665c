-- Full-text index over lessons, rebuilt from the content store whenever content changes.
CREATE VIRTUAL TABLE lessons_fts USING fts5(
    href UNINDEXED,
    track_title UNINDEXED,
    title,
    body,
    tokenize = 'porter unicode61'
);
