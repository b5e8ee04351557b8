CREATE EXTENSION IF NOT EXISTS ltree;
CREATE TABLE tree (path ltree PRIMARY KEY);
CREATE INDEX tree_path_gist ON tree USING gist (path);
