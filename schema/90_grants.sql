-- What the tutor app (role tutor_app, through RDS Proxy) may do. The role itself is created outside
-- schema/, with the database. VerifyPermissions proves each of these after every apply.
GRANT USAGE ON SCHEMA public TO tutor_app;

GRANT SELECT, INSERT, UPDATE ON users TO tutor_app;
GRANT SELECT ON tree_nodes TO tutor_app;
-- Tutors edit content but never move nodes around the tree from the app.
GRANT INSERT, UPDATE (title, body, position, updated_at) ON tree_nodes TO tutor_app;
GRANT SELECT, INSERT, UPDATE ON quiz_sessions TO tutor_app;
GRANT SELECT, INSERT ON progress_records TO tutor_app;
GRANT USAGE ON SEQUENCE quiz_session_number_seq TO tutor_app;
