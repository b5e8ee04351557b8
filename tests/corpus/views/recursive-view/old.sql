CREATE TABLE categories (id int PRIMARY KEY, parent_id int);
