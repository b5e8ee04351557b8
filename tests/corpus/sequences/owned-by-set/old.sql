CREATE TABLE invoices (no bigint NOT NULL);
CREATE SEQUENCE order_numbers;
