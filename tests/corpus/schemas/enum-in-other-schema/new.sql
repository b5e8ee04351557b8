CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL);
CREATE TYPE billing.invoice_state AS ENUM ('open', 'paid');
ALTER TABLE billing.invoices ADD COLUMN state billing.invoice_state NOT NULL DEFAULT 'open';
