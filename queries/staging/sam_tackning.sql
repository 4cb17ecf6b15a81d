-- sam_tackning: the current data version's rollup of the date coverage per month (queries/sammandrag/tackning.sql), as written to Parquet by
-- beslutsstod/data/sammandrag.py. The variable sammandrag (set per cursor by beslutsstod.data.db) is
-- the folder of the rollups for the data version, hemkommun and momskompensation in force.
create or replace view sam_tackning as
select * from read_parquet(getvariable('sammandrag') || 'tackning.parquet')
