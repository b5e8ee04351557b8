CREATE TABLE notes (id serial PRIMARY KEY, title text NOT NULL);
