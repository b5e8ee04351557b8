INSERT INTO billing.invoices SELECT g, g FROM generate_series(1, 50) g;
