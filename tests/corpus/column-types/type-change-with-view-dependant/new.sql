CREATE TABLE items (
    id int PRIMARY KEY,
    code text NOT NULL,
    qty int NOT NULL DEFAULT 0,
    price numeric(8,2),
    label text,
    at timestamp,
    flag boolean
);
CREATE VIEW item_codes AS SELECT id, code FROM items;
