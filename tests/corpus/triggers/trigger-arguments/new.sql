CREATE TABLE docs (id int PRIMARY KEY, body text, updated_at timestamptz);
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.body := coalesce(NEW.body, TG_ARGV[0]); RETURN NEW; END $$;
CREATE TRIGGER docs_stamp BEFORE INSERT ON docs FOR EACH ROW EXECUTE FUNCTION stamp('empty');
