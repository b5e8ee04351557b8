CREATE TABLE docs (id int PRIMARY KEY, body jsonb);
CREATE INDEX docs_body ON docs USING gin (body jsonb_path_ops);
