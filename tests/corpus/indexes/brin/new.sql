CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL);
CREATE INDEX events_at_brin ON events USING brin (at) WITH (pages_per_range = 32);
