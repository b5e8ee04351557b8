CREATE TABLE "OrderLines" ("OrderId" bigint NOT NULL, "LineNo" int NOT NULL, "desc" text, PRIMARY KEY ("OrderId", "LineNo"));
