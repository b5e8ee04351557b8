INSERT INTO items SELECT g, 'C' || g, g, g * 1.25, 'label ' || g, '2025-01-01'::timestamp + g * interval '1 day', g % 2 = 0 FROM generate_series(1, 200) g;
