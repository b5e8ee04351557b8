CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    total numeric(10,2) NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'new',
    note varchar(200),
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION order_count(p_user bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    n bigint;
BEGIN
    SELECT count(*) INTO n FROM orders WHERE user_id = p_user;
    RETURN n;
END
$$;
