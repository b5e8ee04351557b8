INSERT INTO tickets SELECT g, 's' FROM generate_series(1, 100) g;
