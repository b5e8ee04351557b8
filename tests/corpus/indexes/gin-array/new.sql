CREATE TABLE posts (id int PRIMARY KEY, tags text[] NOT NULL DEFAULT '{}');
CREATE INDEX posts_tags ON posts USING gin (tags);
