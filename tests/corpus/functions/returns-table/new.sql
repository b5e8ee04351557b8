CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    total numeric(10,2) NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'new',
    note varchar(200),
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION user_orders(p_user bigint) RETURNS TABLE (id bigint, total numeric) LANGUAGE sql STABLE AS $$ SELECT id, total FROM orders WHERE user_id = p_user $$;
