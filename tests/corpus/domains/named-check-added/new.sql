CREATE DOMAIN positive_amount AS numeric(12,2) CONSTRAINT positive_amount_check CHECK (VALUE > 0);
