-- The timeline window of Chronik (`api/src/service/overlap.rs`) as a STABLE SQL function, for
-- PostGraphile: the live events overlapping [from_at, to_at], after the key (after_start,
-- after_precision, after_id) when one is given, in the timeline's order (start_earliest,
-- start_precision, id). One arm per span class (an event of class c <= 40 lasts less than 2^c
-- seconds, so it can only overlap from_at if it started at most 2^c seconds before; 41 is
-- longer, 42 an open start, 43 an open end), each a range of ix_event_span_class, merged.
-- In PL/pgSQL rather than an inlined LANGUAGE sql body: inlined, the 44 arms are planned again for
-- every request (12 ms here, more than the query), where PL/pgSQL keeps the plan per connection
-- as Chronik's prepared statements do. So the page's size is an argument (page_size; NULL for
-- all), as PostGraphile's LIMIT cannot reach into it. chronik-bench applies this file after the
-- import.
DO $do$
DECLARE
    arms text[] := ARRAY[]::text[];
    class int;
BEGIN
    FOR class IN 0..43 LOOP
        arms := arms || format(
            'SELECT event.* FROM event WHERE deleted_at IS NULL AND span_class = %s%s'
            ' AND span_latest >= from_at AND start_earliest <= to_at'
            ' AND (after_start IS NULL OR (event.start_earliest, event.start_precision, event.id) > (after_start, after_precision, after_id))',
            class,
            CASE WHEN class <= 40 THEN format(' AND start_earliest >= from_at - %s', (2::bigint ^ class)::bigint) ELSE '' END);
    END LOOP;
    EXECUTE format(
        'CREATE OR REPLACE FUNCTION chronik_window(from_at bigint, to_at bigint, after_start bigint DEFAULT NULL,'
        ' after_precision smallint DEFAULT NULL, after_id uuid DEFAULT NULL, page_size int DEFAULT NULL)'
        ' RETURNS SETOF event LANGUAGE plpgsql STABLE AS %L',
        E'BEGIN\nRETURN QUERY\n' || array_to_string(arms, E'\nUNION ALL\n')
            || E'\nORDER BY start_earliest, start_precision, id LIMIT page_size;\nEND');
END
$do$;
COMMENT ON FUNCTION chronik_window(bigint, bigint, bigint, smallint, uuid, int) IS
    'The live events overlapping [from_at, to_at] in the timeline''s order, after a key when given (Chronik''s span-class window).';
