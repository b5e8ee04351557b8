CREATE SEQUENCE order_numbers AS integer;
