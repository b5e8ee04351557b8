INSERT INTO cache SELECT 'k' || g, '{}' FROM generate_series(1, 50) g;
