CREATE TABLE samples (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    i2 smallint, i4 integer, i8 bigint, n numeric(18,4), r real, d double precision,
    b boolean, t text, vc varchar(40), c char(3), by bytea,
    dt date, tm time, tz timestamptz, ts timestamp(3), iv interval,
    j json, jb jsonb, ip inet, cidr_col cidr, mac macaddr, tags text[], rng int4range, tsr tstzrange, money_col money, bits bit varying(8), x xml
);
