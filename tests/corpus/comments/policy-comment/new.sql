CREATE TABLE t (id int, o text);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON t USING (o = current_user);
COMMENT ON POLICY p ON t IS 'owner only';
