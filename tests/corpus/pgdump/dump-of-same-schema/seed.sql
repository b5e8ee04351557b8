INSERT INTO accounts (email) SELECT 'a' || g FROM generate_series(1, 50) g;
