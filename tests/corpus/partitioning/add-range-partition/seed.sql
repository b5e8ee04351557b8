INSERT INTO measurements SELECT g % 10, '2024-03-01'::timestamptz + g * interval '1 hour', g FROM generate_series(1, 200) g;
