CREATE TABLE tickets (id bigint NOT NULL, region text NOT NULL, body text) PARTITION BY LIST (region);
CREATE TABLE tickets_eu PARTITION OF tickets FOR VALUES IN ('eu', 'uk');
CREATE TABLE tickets_us PARTITION OF tickets FOR VALUES IN ('us');
