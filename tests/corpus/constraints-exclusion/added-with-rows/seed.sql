INSERT INTO bookings SELECT g, g % 5, tstzrange('2025-01-01'::timestamptz + g * interval '1 day', '2025-01-01'::timestamptz + (g + 1) * interval '1 day') FROM generate_series(1, 100) g;
