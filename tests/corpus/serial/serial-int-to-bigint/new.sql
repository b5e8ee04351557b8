CREATE TABLE notes (id bigserial PRIMARY KEY, title text NOT NULL);
