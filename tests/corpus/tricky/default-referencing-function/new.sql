CREATE FUNCTION next_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT 'C' || (random() * 1000)::int $$;
CREATE TABLE t (id int, code text DEFAULT next_code());
