CREATE TABLE vehicles (id int PRIMARY KEY, make text NOT NULL);
CREATE TABLE cars (doors int) INHERITS (vehicles);
ALTER TABLE cars ADD PRIMARY KEY (id);
