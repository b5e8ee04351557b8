INSERT INTO users (email, name) SELECT 'u' || g || '@example.com', 'User ' || g FROM generate_series(1, 200) g;
INSERT INTO orders (id, user_id, total, note, placed_at) SELECT g, (g % 200) + 1, g * 1.5, 'order ' || g, '2025-06-01'::timestamptz - g * interval '1 hour' FROM generate_series(1, 300) g;
