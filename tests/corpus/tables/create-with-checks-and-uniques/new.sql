CREATE TABLE products (
    id int PRIMARY KEY,
    sku text NOT NULL UNIQUE,
    price numeric(12,2) NOT NULL CHECK (price >= 0),
    stock int NOT NULL DEFAULT 0 CONSTRAINT products_stock_nonneg CHECK (stock >= 0)
);
