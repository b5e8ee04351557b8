CREATE TABLE invoices (no bigint NOT NULL, alt bigint);
CREATE SEQUENCE order_numbers OWNED BY invoices.no;
