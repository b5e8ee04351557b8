CREATE TABLE t (id int);
CREATE INDEX "T_Id" ON t (id);
CREATE INDEX t_id ON t (id DESC);
