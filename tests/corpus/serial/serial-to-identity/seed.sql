INSERT INTO notes (title) SELECT 'n' || g FROM generate_series(1, 50) g;
