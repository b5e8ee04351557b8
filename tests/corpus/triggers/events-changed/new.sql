CREATE TABLE docs (id int PRIMARY KEY, body text, updated_at timestamptz);
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER docs_updated BEFORE INSERT OR UPDATE ON docs FOR EACH ROW EXECUTE FUNCTION set_updated_at();
