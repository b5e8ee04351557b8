CREATE TABLE a (id bigint PRIMARY KEY);
CREATE TABLE b (id int PRIMARY KEY, a_id bigint REFERENCES a (id));
