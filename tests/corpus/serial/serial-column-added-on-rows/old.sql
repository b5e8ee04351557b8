CREATE TABLE notes (
    title text NOT NULL
);
