CREATE FUNCTION greatest_int(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN a >= b THEN a ELSE b END $$;
