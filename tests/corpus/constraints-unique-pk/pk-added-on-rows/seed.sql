INSERT INTO t SELECT g, 'v' FROM generate_series(1, 300) g;
