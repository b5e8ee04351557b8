CREATE SEQUENCE invoice_no;
