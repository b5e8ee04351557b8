CREATE TABLE docs (id int PRIMARY KEY, body text, updated_at timestamptz);
CREATE FUNCTION note_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'changed %', TG_TABLE_NAME; RETURN NULL; END $$;
CREATE TRIGGER docs_changed AFTER INSERT OR DELETE ON docs FOR EACH STATEMENT EXECUTE FUNCTION note_change();
