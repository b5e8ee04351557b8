CREATE DOMAIN email AS text;
