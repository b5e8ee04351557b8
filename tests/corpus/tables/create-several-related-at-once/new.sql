CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (id int PRIMARY KEY, author_id int NOT NULL REFERENCES authors (id), title text NOT NULL);
CREATE TABLE reviews (id int PRIMARY KEY, book_id int NOT NULL REFERENCES books (id) ON DELETE CASCADE, stars smallint CHECK (stars BETWEEN 1 AND 5));
CREATE INDEX reviews_book ON reviews (book_id);
