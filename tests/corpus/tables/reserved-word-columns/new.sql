CREATE TABLE audit ("user" text NOT NULL, "order" int, "group" text, "check" boolean DEFAULT false);
