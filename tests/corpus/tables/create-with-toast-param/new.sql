CREATE TABLE docs (id int PRIMARY KEY, body text) WITH (toast_tuple_target = 256);
