CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL);
GRANT USAGE ON SCHEMA billing TO tutor_app;
GRANT SELECT ON billing.invoices TO tutor_app;
