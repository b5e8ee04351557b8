CREATE TABLE placeholder (id int);
