CREATE TABLE categories (id int PRIMARY KEY, parent_id int);
CREATE RECURSIVE VIEW category_tree (id, depth) AS SELECT id, 0 FROM categories WHERE parent_id IS NULL UNION ALL SELECT c.id, t.depth + 1 FROM categories c JOIN category_tree t ON c.parent_id = t.id;
