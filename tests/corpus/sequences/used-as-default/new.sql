CREATE SEQUENCE order_numbers;
CREATE TABLE invoices (no bigint NOT NULL DEFAULT nextval('order_numbers'));
