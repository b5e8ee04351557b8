CREATE TABLE articles (id int PRIMARY KEY, title text NOT NULL, body text,
    search tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED);
CREATE INDEX articles_search ON articles USING gin (search);
