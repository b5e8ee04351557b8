CREATE TABLE t (id int PRIMARY KEY, at timestamptz(6));
