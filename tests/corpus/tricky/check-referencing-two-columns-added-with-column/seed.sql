INSERT INTO spans SELECT g, '2025-01-01' FROM generate_series(1, 100) g;
