CREATE DOMAIN email AS text CHECK (VALUE ~ '@');
CREATE DOMAIN work_email AS email CHECK (VALUE LIKE '%@example.com');
CREATE TABLE staff (id int PRIMARY KEY, mail work_email);
