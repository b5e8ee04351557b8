CREATE TABLE a (id int PRIMARY KEY, code text NOT NULL, CONSTRAINT a_code_key UNIQUE (code));
CREATE TABLE b (id int PRIMARY KEY, code text REFERENCES a (code) ON UPDATE CASCADE);
