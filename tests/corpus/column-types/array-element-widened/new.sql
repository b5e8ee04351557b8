CREATE TABLE t (id int PRIMARY KEY, tags varchar(30)[]);
