CREATE SEQUENCE order_numbers;
CREATE SEQUENCE ticket_numbers;
