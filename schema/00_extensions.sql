-- Extensions the tutor schema needs. Names in these files are unqualified: the engine applies them to the
-- configured schema (public by default).

-- Case-insensitive e-mail addresses: one account per address however it is typed.
CREATE EXTENSION IF NOT EXISTS citext;

-- Trigram indexes, for searching the topic tree by (part of) a title.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
