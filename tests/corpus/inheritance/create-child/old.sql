CREATE TABLE vehicles (id int PRIMARY KEY, make text NOT NULL);
