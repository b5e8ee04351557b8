CREATE TABLE "Weird Table" ("Select" int PRIMARY KEY, "from" text, "Ünïcode" text);
CREATE INDEX "Weird Index" ON "Weird Table" ("from");
CREATE VIEW "Weird View" AS SELECT "Select", "from" FROM "Weird Table";
