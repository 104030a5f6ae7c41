"""The ``Store`` class: see the package docstring (``sidekick.store``) for the contract."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError

from sidekick.errors import StoreError
from sidekick.models import (
    Addendum,
    Finding,
    Patient,
    Signature,
    SoapNote,
    VisitRecord,
)
from sidekick.store import events as ev
from sidekick.store import migrations
from sidekick.store import schema as t
from sidekick.store.reads import ReadMixin

logger = logging.getLogger(__name__)

STATUSES = ("draft", "signed")
WRITE_OPTION = migrations.WRITE_OPTION


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("sidekick")) / "sidekick.db"


def resolve_url(db: str | None) -> str:
    """A path or SQLAlchemy URL (None: the user data dir file) as an SQLAlchemy URL."""
    if db is None or not str(db).strip():
        return f"sqlite:///{default_db_path()}"
    db = str(db)
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def _prepare_sqlite_file(path: str) -> None:
    """Create the database file (and folder) with owner-only permissions before SQLite does."""
    file = Path(path)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(file, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        os.chmod(file, 0o600)
    except OSError as exc:
        raise StoreError(
            f"{file}: cannot create the history database ({exc.strerror}); "
            "pass --db with a writable path"
        ) from exc


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy, not the driver, starts transactions
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the write lock when they begin, so two processes saving at once queue
    on the busy timeout instead of one failing when it upgrades a read lock."""
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store(ReadMixin):
    """Patients, visits, note versions, findings and the event log in one database."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StoreError(f"{url}: not a database path or SQLAlchemy URL; check --db") from exc
        self.where = parsed.render_as_string(hide_password=True)
        kwargs: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            self.where = parsed.database or ":memory:"
            if parsed.database and parsed.database != ":memory:":
                _prepare_sqlite_file(parsed.database)
            kwargs["connect_args"] = {"timeout": 30}
        try:
            self.engine = create_engine(url, **kwargs)
        except (ArgumentError, ImportError) as exc:
            raise StoreError(f"{self.where}: cannot open ({exc}); check --db") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        try:
            migrations.migrate(self.engine, self.where)
        except OperationalError as exc:
            raise StoreError(
                f"{self.where}: cannot read or write the history database "
                f"({exc.orig}); check the path and permissions"
            ) from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: everything inside commits together or not at all."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        except (IntegrityError, OperationalError) as exc:
            raise StoreError(f"{self.where}: write failed ({exc.orig}); nothing was saved") from exc

    @contextmanager
    def _conn(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:
            yield conn
        else:
            with self.transaction() as c:
                yield c

    # ------------------------------------------------------------------ writes

    def upsert_patient(
        self, patient: Patient, clinic: str | None = None, conn: Connection | None = None
    ) -> None:
        with self._conn(conn) as c:
            data = patient.model_dump_json()
            exists = c.execute(select(t.patients.c.id).where(t.patients.c.id == patient.id)).first()
            if exists:
                values: dict[str, Any] = {"data": data}
                if clinic is not None:
                    values["clinic"] = clinic
                c.execute(t.patients.update().where(t.patients.c.id == patient.id).values(values))
            else:
                c.execute(t.patients.insert().values(id=patient.id, clinic=clinic, data=data))

    def save_visit(
        self, record: VisitRecord, clinic: str | None = None, conn: Connection | None = None
    ) -> str:
        """Save (or update) a visit and its patient; returns the visit id (the record id)."""
        with self._conn(conn) as c:
            self.upsert_patient(record.patient, clinic, conn=c)
            values = {
                "patient_id": record.patient.id,
                "date": record.visit.date,
                "clinician": record.visit.clinician.name,
                "discipline": record.visit.discipline,
                "payer": record.visit.payer,
                # a gold Case is stored as its VisitRecord (the gold answers stay in the file)
                "record": record.model_dump_json(include=set(VisitRecord.model_fields)),
            }
            if c.execute(select(t.visits.c.id).where(t.visits.c.id == record.id)).first():
                c.execute(t.visits.update().where(t.visits.c.id == record.id).values(values))
            else:
                c.execute(t.visits.insert().values(id=record.id, created_at=_now(), **values))
        return record.id

    def save_note_version(
        self,
        visit_id: str,
        note: SoapNote,
        status: str = "draft",
        author: str = "sidekick",
        findings: Iterable[Finding] = (),
        signature: Signature | None = None,
        conn: Connection | None = None,
    ) -> int:
        """Add a new version of a visit's note (with its findings); returns its version id.

        Logs a ``note.saved`` or ``note.signed`` event with the note's sha256 in the same
        transaction.
        """
        if status not in STATUSES:
            raise StoreError(f"note status {status!r} is not one of {', '.join(STATUSES)}")
        with self._conn(conn) as c:
            if not c.execute(select(t.visits.c.id).where(t.visits.c.id == visit_id)).first():
                raise StoreError(f"visit {visit_id} is not in {self.where}; save the visit first")
            last = c.execute(
                select(func.max(t.note_versions.c.version)).where(
                    t.note_versions.c.visit_id == visit_id
                )
            ).scalar()
            note_json = note.model_dump_json()
            result = c.execute(
                t.note_versions.insert().values(
                    visit_id=visit_id, version=(last or 0) + 1, status=status, author=author,
                    created_at=_now(), note=note_json, text=note.text(),
                    signature=signature.model_dump_json() if signature else None,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            version_id = int(key[0])
            self._insert_findings(c, version_id, findings)
            ev.append(
                c, f"note.{'signed' if status == 'signed' else 'saved'}",
                {"visit_id": visit_id, "version_id": version_id, "version": (last or 0) + 1,
                 "note_sha256": hashlib.sha256(note_json.encode()).hexdigest()},
                author,
            )
        return version_id

    def update_draft(
        self, version_id: int, note: SoapNote, findings: Iterable[Finding] = ()
    ) -> None:
        """Replace a draft version's note and findings. A signed version raises StoreError."""
        with self.transaction() as c:
            status = self._status(c, version_id)
            if status == "signed":
                raise StoreError(
                    f"note version {version_id} is signed and cannot change; add an addendum"
                )
            c.execute(
                t.note_versions.update().where(t.note_versions.c.id == version_id)
                .values(note=note.model_dump_json(), text=note.text())
            )
            c.execute(t.findings.delete().where(t.findings.c.version_id == version_id))
            self._insert_findings(c, version_id, findings)

    def add_addendum(
        self, version_id: int, text: str, author: str, credential: str | None = None
    ) -> Addendum:
        """Attach an addendum (own author and timestamp) to a note version; logs an event."""
        try:
            addendum = Addendum.model_validate({
                "text": text, "author": author, "credential": credential,
                "created_at": dt.datetime.now(dt.UTC),
            })
        except ValidationError as exc:
            raise StoreError(
                f"addendum by {author}: credential {credential!r} is not one of "
                "PT, PTA, OT, OTA, SLP; pass the signer's billing credential"
            ) from exc
        with self.transaction() as c:
            self._status(c, version_id)
            c.execute(
                t.addenda.insert().values(
                    version_id=version_id, text=text, author=author, credential=addendum.credential,
                    created_at=addendum.created_at.isoformat(),
                )
            )
            ev.append(c, "note.addendum", {
                "version_id": version_id,
                "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            }, author)
        return addendum

    def import_record(
        self, record: VisitRecord, note: SoapNote | None, *, status: str = "signed",
        author: str | None = None, clinic: str | None = None,
    ) -> bool:
        """Save a visit and its note in ONE transaction; False when the visit already exists."""
        with self.transaction() as c:
            if c.execute(select(t.visits.c.id).where(t.visits.c.id == record.id)).first():
                return False
            self.save_visit(record, clinic, conn=c)
            if note is not None:
                self.save_note_version(
                    record.id, note, status, author or record.visit.clinician.name, conn=c
                )
            else:
                ev.append(c, "visit.saved", {"visit_id": record.id}, "import")
        return True

    def import_cases(
        self, folder: Path | str, note_for: Any = None, clinic: str | None = None
    ) -> Any:
        """Import a folder of cases in date order (``sidekick.store.importing``)."""
        from sidekick.store.importing import import_folder

        return import_folder(self, folder, note_for=note_for, clinic=clinic)

    def append_event(self, kind: str, payload: dict[str, Any], actor: str) -> ev.Event:
        with self.transaction() as c:
            return ev.append(c, kind, payload, actor)

    @staticmethod
    def _insert_findings(c: Connection, version_id: int, findings: Iterable[Finding]) -> None:
        rows = [
            {"version_id": version_id, "rule_id": f.rule_id, "severity": f.severity,
             "data": f.model_dump_json()}
            for f in findings
        ]
        if rows:
            c.execute(t.findings.insert(), rows)

    def _status(self, c: Connection, version_id: int) -> str:
        row = c.execute(
            select(t.note_versions.c.status).where(t.note_versions.c.id == version_id)
        ).first()
        if row is None:
            raise StoreError(f"note version {version_id} is not in {self.where}")
        return str(row.status)

