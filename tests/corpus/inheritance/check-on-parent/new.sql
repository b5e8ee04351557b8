CREATE TABLE vehicles (id int PRIMARY KEY, make text NOT NULL);
CREATE TABLE cars (doors int) INHERITS (vehicles);
ALTER TABLE vehicles ADD CONSTRAINT vehicles_make_nonempty CHECK (make <> '');
