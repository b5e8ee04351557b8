CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE TABLE t (id int, ref uuid DEFAULT uuid_generate_v4());
