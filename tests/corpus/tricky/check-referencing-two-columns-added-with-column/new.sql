CREATE TABLE spans (id int PRIMARY KEY, starts date NOT NULL, ends date, CONSTRAINT spans_order CHECK (ends IS NULL OR ends >= starts));
