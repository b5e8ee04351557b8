CREATE TABLE notes (
    id smallserial,
    title text NOT NULL
);
