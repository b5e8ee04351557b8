CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE rooms (id int PRIMARY KEY);
CREATE TABLE stays (room_id int NOT NULL REFERENCES rooms (id), during daterange NOT NULL, EXCLUDE USING gist (room_id WITH =, during WITH &&));
