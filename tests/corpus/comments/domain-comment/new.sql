CREATE DOMAIN cents AS bigint;
COMMENT ON DOMAIN cents IS 'money in cents';
