CREATE TABLE notes (
    id serial,
    title text NOT NULL
);
