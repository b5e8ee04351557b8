CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    name text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    total numeric(10,2) NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'new',
    note varchar(200),
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE VIEW v1 AS SELECT id, email FROM users;
CREATE VIEW v2 AS SELECT id FROM v1 WHERE email LIKE '%@%';
CREATE VIEW v3 AS SELECT count(*) AS n FROM v2;
