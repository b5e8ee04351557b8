INSERT INTO employees VALUES (1, NULL), (2, 1), (3, 1);
