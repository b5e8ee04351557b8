CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE orders (id int PRIMARY KEY, status order_status NOT NULL DEFAULT 'new');
ALTER TABLE orders ADD COLUMN history order_status[] NOT NULL DEFAULT '{}';
