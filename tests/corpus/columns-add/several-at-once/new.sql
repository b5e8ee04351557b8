CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    total numeric(10,2) NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'new',
    note varchar(200),
    currency char(3) NOT NULL DEFAULT 'EUR',
    discount numeric(5,2),
    tags text[] NOT NULL DEFAULT '{}',
    placed_at timestamptz NOT NULL DEFAULT now()
);
