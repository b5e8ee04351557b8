CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    name text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNLOGGED TABLE sessions (token text PRIMARY KEY, user_id bigint, expires_at timestamptz NOT NULL);
