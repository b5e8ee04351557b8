CREATE TABLE a (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE b (id int PRIMARY KEY, x int, y int, CONSTRAINT b_a_fkey FOREIGN KEY (x, y) REFERENCES a (x, y) MATCH FULL);
