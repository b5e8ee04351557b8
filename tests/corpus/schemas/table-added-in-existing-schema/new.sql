CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL);
CREATE TABLE billing.payments (id bigint PRIMARY KEY, invoice_id bigint NOT NULL REFERENCES billing.invoices (id));
