CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    total numeric(10,2) NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'new',
    note varchar(200),
    quantity int CHECK (quantity > 0),
    placed_at timestamptz NOT NULL DEFAULT now()
);
