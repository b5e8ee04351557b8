INSERT INTO items (id, code, label) SELECT g, 'C' || g, '{"n": ' || g || '}' FROM generate_series(1, 100) g;
