CREATE TABLE notes (
    id bigserial,
    title text NOT NULL
);
