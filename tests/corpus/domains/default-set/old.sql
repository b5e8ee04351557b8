CREATE DOMAIN currency AS char(3);
