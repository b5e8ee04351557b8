CREATE TABLE t (id int NOT NULL, v text);
CREATE UNIQUE INDEX t_pkey ON t (id);
