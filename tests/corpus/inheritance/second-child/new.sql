CREATE TABLE vehicles (id int PRIMARY KEY, make text NOT NULL);
CREATE TABLE cars (doors int) INHERITS (vehicles);
CREATE TABLE trucks (payload_kg int) INHERITS (vehicles);
