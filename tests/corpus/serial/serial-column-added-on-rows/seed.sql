INSERT INTO notes SELECT 'n' || g FROM generate_series(1, 100) g;
