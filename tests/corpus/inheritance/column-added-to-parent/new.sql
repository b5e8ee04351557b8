CREATE TABLE vehicles (id int PRIMARY KEY, make text NOT NULL, year int);
CREATE TABLE cars (doors int) INHERITS (vehicles);
