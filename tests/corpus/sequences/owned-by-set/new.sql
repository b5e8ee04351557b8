CREATE TABLE invoices (no bigint NOT NULL);
CREATE SEQUENCE order_numbers OWNED BY invoices.no;
