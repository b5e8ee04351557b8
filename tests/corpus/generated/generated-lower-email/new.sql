CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    name text,
    email_lower text GENERATED ALWAYS AS (lower(email)) STORED,
    created_at timestamptz NOT NULL DEFAULT now()
);
