INSERT INTO orders SELECT g, 'paid' FROM generate_series(1, 100) g;
