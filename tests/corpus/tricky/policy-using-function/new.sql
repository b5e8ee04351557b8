CREATE FUNCTION current_tenant() RETURNS text LANGUAGE sql STABLE AS $$ SELECT current_setting('app.tenant', true) $$;
CREATE TABLE t (id int, tenant text);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY t_tenant ON t USING (tenant = current_tenant());
