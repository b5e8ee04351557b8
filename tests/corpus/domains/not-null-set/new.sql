CREATE DOMAIN currency AS char(3) NOT NULL;
