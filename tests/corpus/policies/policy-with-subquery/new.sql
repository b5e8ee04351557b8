CREATE TABLE notes (id int PRIMARY KEY, owner text NOT NULL DEFAULT current_user, body text);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE TABLE note_shares (note_id int, grantee text);
CREATE POLICY notes_shared ON notes FOR SELECT USING (EXISTS (SELECT 1 FROM note_shares s WHERE s.note_id = notes.id AND s.grantee = current_user));
