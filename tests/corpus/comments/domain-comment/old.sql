CREATE DOMAIN cents AS bigint;
