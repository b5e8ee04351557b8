CREATE TABLE a (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE b (id int PRIMARY KEY, x int, y int);
