CREATE TABLE rects (
    id int PRIMARY KEY,
    w numeric NOT NULL,
    h numeric NOT NULL,
    area numeric
);
