CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.01);
