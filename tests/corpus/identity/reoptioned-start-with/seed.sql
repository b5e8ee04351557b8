INSERT INTO tickets (subject) SELECT 'ticket ' || g FROM generate_series(1, 100) g;
