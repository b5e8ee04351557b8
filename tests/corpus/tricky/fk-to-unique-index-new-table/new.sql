CREATE TABLE a (id int NOT NULL, code text NOT NULL);
CREATE UNIQUE INDEX a_code_uniq ON a (code);
CREATE TABLE b (id int PRIMARY KEY, a_code text REFERENCES a (code));
