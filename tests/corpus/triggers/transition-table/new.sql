CREATE TABLE docs (id int PRIMARY KEY, body text, updated_at timestamptz);
CREATE TABLE doc_audit (at timestamptz DEFAULT now(), n int);
CREATE FUNCTION audit_docs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO doc_audit (n) SELECT count(*) FROM new_rows; RETURN NULL; END $$;
CREATE TRIGGER docs_audit AFTER INSERT ON docs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_docs();
