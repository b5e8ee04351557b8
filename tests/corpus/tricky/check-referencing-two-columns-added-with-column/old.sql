CREATE TABLE spans (id int PRIMARY KEY, starts date NOT NULL);
