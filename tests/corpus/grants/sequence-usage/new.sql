CREATE SEQUENCE invoice_no;
GRANT USAGE, SELECT ON SEQUENCE invoice_no TO tutor_app;
