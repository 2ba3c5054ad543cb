"""On PostgreSQL, each event keeps its sources as JSON and their URLs in
columns of its own, events_event.sources_json and .source_urls, kept by
triggers on events_source.

The API reads an event's sources with it (events.selectors.api.SOURCES_JSON),
and the CSV export both cells (events.selectors.csv_copy): building them in
each query cost PostgreSQL a lookup and an aggregate per event, as long as
reading a page itself, and most of an export's time. The triggers fire once
per statement on events_source (a bulk insert of a million sources refreshes
their events in one UPDATE), whatever wrote it: the ORM, a bulk load, a
restore. They lock the events first, so two transactions adding sources to
one event cannot each write a list without the other's source.

The columns are not model fields: only these triggers write them (the
database defaults, an empty list and no URLs, stand for an event without
sources), and SQLite, where a second query costs no round trip, reads the
sources as before.

The JSON is written as json.dumps(…, ensure_ascii=False) writes the list of
the sources' SOURCE_COLUMNS (to_json() escapes strings as Python does;
timestamps as events.selectors.api.utc_timestamp writes them), the text of
the CSV export's `sources` cell; the URLs are separated by spaces, the
export's `source_urls` cell.
"""

from django.db import migrations

_TIMESTAMP = """'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'"""
_SOURCE = (
    """'{"url": ' || COALESCE(to_json(s.url)::text, 'null') """
    """|| ', "title": ' || COALESCE(to_json(s.title)::text, 'null') """
    """|| ', "publisher": ' || COALESCE(to_json(s.publisher)::text, 'null') """
    """|| ', "archive_url": ' || COALESCE(to_json(s.archive_url)::text, 'null') """
    """|| ', "published_at": ' || COALESCE('"' || to_char(s.published_at """
    f"""AT TIME ZONE 'UTC', {_TIMESTAMP}) || '"', 'null') || '}}'"""
)
# Frozen SQL built from constants, no values: both columns of event `e`.
SOURCES_OF_E = (
    "(SELECT COALESCE("  # noqa: S608
    f"'[' || string_agg({_SOURCE}, ', ' ORDER BY s.id) || ']', '[]'), "
    "COALESCE(string_agg(s.url, ' ' ORDER BY s.id), '') "
    "FROM events_source s WHERE s.event_id = e.id)"
)

CREATE = f"""
ALTER TABLE events_event ADD COLUMN sources_json text NOT NULL DEFAULT '[]',
  ADD COLUMN source_urls text NOT NULL DEFAULT '';

CREATE FUNCTION events_refresh_sources_json(event_ids bigint[]) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  -- Wait for other writers of these events: the UPDATE below (a statement of
  -- its own, with a snapshot of its own) then sees the sources they added.
  PERFORM 1 FROM events_event WHERE id = ANY(event_ids) ORDER BY id FOR UPDATE;
  UPDATE events_event e SET (sources_json, source_urls) = {SOURCES_OF_E}
  WHERE e.id = ANY(event_ids);
END $$;

CREATE FUNCTION events_source_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_refresh_sources_json(ARRAY(SELECT DISTINCT event_id FROM new_rows));
  RETURN NULL;
END $$;

CREATE FUNCTION events_source_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_refresh_sources_json(ARRAY(SELECT DISTINCT event_id FROM old_rows));
  RETURN NULL;
END $$;

CREATE FUNCTION events_source_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_refresh_sources_json(ARRAY(
    SELECT event_id FROM old_rows UNION SELECT event_id FROM new_rows));
  RETURN NULL;
END $$;

CREATE TRIGGER events_source_insert AFTER INSERT ON events_source
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION events_source_inserted();
CREATE TRIGGER events_source_delete AFTER DELETE ON events_source
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION events_source_deleted();
CREATE TRIGGER events_source_update AFTER UPDATE ON events_source
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION events_source_updated();

UPDATE events_event e SET (sources_json, source_urls) = {SOURCES_OF_E}
WHERE EXISTS (SELECT 1 FROM events_source s WHERE s.event_id = e.id);
"""  # noqa: S608

DROP = """
DROP TRIGGER events_source_insert ON events_source;
DROP TRIGGER events_source_delete ON events_source;
DROP TRIGGER events_source_update ON events_source;
DROP FUNCTION events_source_inserted();
DROP FUNCTION events_source_deleted();
DROP FUNCTION events_source_updated();
DROP FUNCTION events_refresh_sources_json(bigint[]);
ALTER TABLE events_event DROP COLUMN sources_json, DROP COLUMN source_urls;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("events", "0014_releases")]

    operations = [migrations.RunPython(create, drop)]
