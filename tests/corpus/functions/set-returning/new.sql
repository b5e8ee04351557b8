CREATE FUNCTION weekdays() RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$ VALUES ('mon'), ('tue'), ('wed'), ('thu'), ('fri') $$;
