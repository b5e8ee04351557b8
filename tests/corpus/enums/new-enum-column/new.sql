CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE orders (id int PRIMARY KEY, status order_status NOT NULL DEFAULT 'new');
CREATE TYPE priority AS ENUM ('low', 'normal', 'high');
ALTER TABLE orders ADD COLUMN priority priority NOT NULL DEFAULT 'normal';
