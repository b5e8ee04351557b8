CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    total numeric(10,2) NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'new',
    note varchar(200),
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX orders_user_placed ON orders (user_id, placed_at);
ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_user_placed;
