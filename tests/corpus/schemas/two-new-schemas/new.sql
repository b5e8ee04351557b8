CREATE SCHEMA app;
CREATE SCHEMA audit;
CREATE TABLE app.accounts (id int PRIMARY KEY);
CREATE TABLE audit.events (id bigint PRIMARY KEY, account_id int REFERENCES app.accounts (id), at timestamptz DEFAULT now());
