CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    total numeric(10,2) NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'new',
    note varchar(200),
    placed_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE orders SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_cost_limit = 1000);
