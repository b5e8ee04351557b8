CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL);
CREATE SEQUENCE billing.invoice_no START WITH 1000;
