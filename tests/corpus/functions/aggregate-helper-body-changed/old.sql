CREATE FUNCTION greatest_int(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT greatest(a, b) $$;
