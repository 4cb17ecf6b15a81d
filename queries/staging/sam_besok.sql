-- sam_besok: the current data version's rollup per person and month (queries/sammandrag/besok.sql), as written to Parquet by
-- beslutsstod/data/sammandrag.py. The variable sammandrag (set per cursor by beslutsstod.data.db) is
-- the folder of the rollups for the data version, hemkommun and momskompensation in force.
create or replace view sam_besok as
select * from read_parquet(getvariable('sammandrag') || 'besok.parquet')
