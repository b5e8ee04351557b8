INSERT INTO rects SELECT g, g, g + 1 FROM generate_series(1, 100) g;
