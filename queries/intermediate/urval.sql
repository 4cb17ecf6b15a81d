-- urval: the global filter of the sidebar (insats, regi, motpartskommun) as scalar macros, so every
-- question filters the same way. An empty list means all; a NULL list selects nothing (as before:
-- len(NULL) = 0 is NULL). A row whose value is NULL is kept only when that list is empty.
-- The lists may come as any list type (an empty Python list binds as INTEGER[]): they are cast to
-- varchar[] here. DuckDB expands macros into the query before planning, so a question that calls
-- them gets the same plan as with the predicate written out.
--   i_vald(varde, valda): one dimension (value, list of chosen values)
--   i_urval(insats, regi, kommun, insatser, regier, kommuner): all three
create or replace macro i_vald(varde, valda) as
    len(valda::varchar[]) = 0 or list_contains(valda::varchar[], varde);

create or replace macro i_urval(insats, regi, kommun, insatser, regier, kommuner) as
    i_vald(insats, insatser) and i_vald(regi, regier) and i_vald(kommun, kommuner);
