CREATE TABLE items (
    id int PRIMARY KEY,
    code varchar(20) NOT NULL,
    qty numeric(12,0) NOT NULL DEFAULT 0,
    price numeric(8,2),
    label text,
    at timestamp,
    flag boolean
);
