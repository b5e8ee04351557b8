CREATE TABLE a (id int PRIMARY KEY, code text NOT NULL, CONSTRAINT a_code_key UNIQUE (code));
