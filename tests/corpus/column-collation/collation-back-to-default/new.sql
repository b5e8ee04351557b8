CREATE TABLE items (
    id int PRIMARY KEY,
    code varchar(20) NOT NULL,
    qty int NOT NULL DEFAULT 0,
    price numeric(8,2),
    label text,
    at timestamp,
    flag boolean
);
