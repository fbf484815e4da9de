"""The database itself refuses to change or delete audit events (issue 14).

The model's guards (`AuditEvent.save`/`delete`, the queryset) stop honest mistakes in Python;
these triggers stop everything that reaches the table another way: raw SQL, `_base_manager`,
`QuerySet.update()`, a database console. On PostgreSQL one trigger function refuses UPDATE,
DELETE and TRUNCATE; on SQLite two triggers refuse UPDATE and DELETE (SQLite has no TRUNCATE).

Two documented doors, both opened only inside one transaction or one command:

- the retention purge (`audit.services.audit_purge_expired`) opens `purge_window(cutoff)`:
  on PostgreSQL a transaction-local setting, on SQLite a row in `audit_purge_window` inserted
  and removed in the purge's transaction. Only rows older than that cutoff may then be deleted;
- `manage.py flush` (used by the test runner between browser tests) opens `wipe_window()`,
  refused unless DEBUG or MAATPAK_TESTING (`audit/management/commands/flush.py`).

These guard against the application and against mistakes, not against the database owner,
who can drop a trigger; production keeps the owner role away from the application.

On SQLite, a migration that remakes the audit table (most `AlterField`s do) drops its triggers:
such a migration must call `install` again. `tests/audit/test_append_only.py` fails if the
triggers are missing on the migrated database.
"""

from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection

TABLE = "audit_auditevent"
PURGE_SETTING = "maatpak.audit_purge_before"
WIPE_SETTING = "maatpak.audit_wipe"
SQLITE_WINDOW_TABLE = "audit_purge_window"
# Far beyond any real event: a flush on SQLite opens the purge window this wide.
_END_OF_TIME = "9999-12-31 23:59:59"

_POSTGRESQL_INSTALL = f"""
CREATE OR REPLACE FUNCTION maatpak_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    purge_before timestamptz;
BEGIN
    IF TG_OP = 'DELETE' THEN
        purge_before := NULLIF(current_setting('{PURGE_SETTING}', true), '')::timestamptz;
        IF purge_before IS NOT NULL AND OLD.at < purge_before THEN
            RETURN OLD;
        END IF;
    ELSIF TG_OP = 'TRUNCATE' THEN
        IF current_setting('{WIPE_SETTING}', true) = 'on' THEN
            RETURN NULL;
        END IF;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % on % is refused.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation',
              HINT = 'Retention runs through manage.py audit_purge (audit.services.audit_purge_expired).';
END;
$$;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON {TABLE};
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION maatpak_audit_append_only();
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON {TABLE};
CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION maatpak_audit_append_only();
"""

_POSTGRESQL_UNINSTALL = f"""
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON {TABLE};
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON {TABLE};
DROP FUNCTION IF EXISTS maatpak_audit_append_only();
"""

# One statement per item: SQLite's cursor runs one statement at a time.
_SQLITE_INSTALL = [
    f"CREATE TABLE IF NOT EXISTS {SQLITE_WINDOW_TABLE} (purge_before TEXT NOT NULL)",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE on {TABLE} is refused.');
    END""",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    f"""CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON {TABLE}
    WHEN NOT EXISTS (
        SELECT 1 FROM {SQLITE_WINDOW_TABLE} WHERE julianday(OLD.at) < julianday(purge_before)
    )
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is append-only: DELETE on {TABLE} is refused.');
    END""",
]

_SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    f"DROP TABLE IF EXISTS {SQLITE_WINDOW_TABLE}",
]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return [_POSTGRESQL_INSTALL if install else _POSTGRESQL_UNINSTALL]
    if vendor == "sqlite":
        return list(_SQLITE_INSTALL if install else _SQLITE_UNINSTALL)
    # Not an unfinished branch: Maatpak refuses to run its audit log unguarded on another database.
    raise ImproperlyConfigured(f"No append-only guard for the {vendor} database; Maatpak supports PostgreSQL and SQLite.")


def install(apps, schema_editor):
    """Migration step (RunPython): create the triggers for this database."""
    for statement in _statements(schema_editor.connection.vendor, install=True):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    """Reverse migration step."""
    for statement in _statements(schema_editor.connection.vendor, install=False):
        schema_editor.execute(statement, params=None)


def installed_triggers(connection=default_connection) -> set[str]:
    """Names of the guard's triggers present on the audit table (for tests and checks)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        return {row[0] for row in cursor.fetchall()}


def expected_triggers(connection=default_connection) -> set[str]:
    if connection.vendor == "postgresql":
        return {"audit_auditevent_append_only", "audit_auditevent_no_truncate"}
    return {"audit_auditevent_no_update", "audit_auditevent_no_delete"}


@contextmanager
def purge_window(cutoff, connection=default_connection):
    """Let the current transaction delete audit events older than `cutoff`, and nothing else.

    Must run inside `transaction.atomic()`: the window closes with the transaction on
    PostgreSQL (a transaction-local setting) and is removed on leaving the block on SQLite.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("purge_window must run inside transaction.atomic().")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, cutoff.isoformat()])
        # On an error the transaction is rolled back, which closes the window by itself.
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', true)", [PURGE_SETTING])
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SQLITE_WINDOW_TABLE} (purge_before) VALUES (%s)",
            [connection.ops.adapt_datetimefield_value(cutoff)],
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SQLITE_WINDOW_TABLE}")


@contextmanager
def wipe_window(connection=default_connection):
    """Let `flush` empty the whole audit table (development and tests only; see flush.py)."""
    if connection.vendor != "postgresql" and SQLITE_WINDOW_TABLE not in connection.introspection.table_names():
        yield  # not migrated yet: no triggers to open
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', false)", [WIPE_SETTING])
        else:
            cursor.execute(f"INSERT INTO {SQLITE_WINDOW_TABLE} (purge_before) VALUES (%s)", [_END_OF_TIME])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, '', false)", [WIPE_SETTING])
            else:
                cursor.execute(f"DELETE FROM {SQLITE_WINDOW_TABLE}")
