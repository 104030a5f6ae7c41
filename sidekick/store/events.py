"""The append-only, hash-chained event log.

Entry ``i`` stores ``prev_hash`` (the hash of entry ``i-1``, or 64 zeros for the first) and
``hash = sha256(prev_hash + canonical_json(entry))``, where the entry is ``{"idx", "ts",
"kind", "actor", "payload"}`` and canonical JSON sorts keys, uses no spaces and keeps
non-ASCII characters. Editing, inserting or deleting any stored row breaks the chain at that
row, which ``verify_chain`` reports as the first bad index. Payloads hold ids and hashes,
never note text or names beyond the actor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, select

from sidekick.store import schema

GENESIS = "0" * 64


class Event(BaseModel):
    model_config = ConfigDict(extra="forbid")

    idx: int
    ts: str
    kind: str
    actor: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class VerifyResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ok: bool
    count: int = 0
    first_bad_index: int | None = None
    reason: str | None = None


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, idx: int, ts: str, kind: str, actor: str, payload: Any) -> str:
    body = canonical_json({"idx": idx, "ts": ts, "kind": kind, "actor": actor, "payload": payload})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(conn: Connection, kind: str, payload: Mapping[str, Any], actor: str) -> Event:
    """Append one event inside the caller's transaction (the unique ``idx`` refuses races)."""
    last = conn.execute(
        select(schema.events.c.idx, schema.events.c.hash)
        .order_by(schema.events.c.idx.desc())
        .limit(1)
    ).first()
    idx, prev = (0, GENESIS) if last is None else (last.idx + 1, last.hash)
    ts = dt.datetime.now(dt.UTC).isoformat()
    data = json.loads(canonical_json(dict(payload)))  # plain JSON types only
    digest = entry_hash(prev, idx, ts, kind, actor, data)
    conn.execute(
        schema.events.insert().values(
            idx=idx, ts=ts, kind=kind, actor=actor, payload=canonical_json(data),
            prev_hash=prev, hash=digest,
        )
    )
    return Event(idx=idx, ts=ts, kind=kind, actor=actor, payload=data, prev_hash=prev, hash=digest)


def read(conn: Connection) -> list[Event]:
    rows = conn.execute(select(schema.events).order_by(schema.events.c.idx)).all()
    return [
        Event(idx=r.idx, ts=r.ts, kind=r.kind, actor=r.actor, payload=json.loads(r.payload),
              prev_hash=r.prev_hash, hash=r.hash)
        for r in rows
    ]


def verify(rows: Iterable[Any]) -> VerifyResult:
    """Check a sequence of stored rows (``idx, ts, kind, actor, payload, prev_hash, hash``)."""
    prev = GENESIS
    count = 0
    for expected_idx, r in enumerate(rows):
        count += 1
        if r.idx != expected_idx:
            return VerifyResult(ok=False, count=count, first_bad_index=expected_idx,
                                reason=f"entry {expected_idx} is missing (found index {r.idx})")
        if r.prev_hash != prev:
            return VerifyResult(ok=False, count=count, first_bad_index=r.idx,
                                reason=f"entry {r.idx} does not follow entry {r.idx - 1}")
        try:
            payload = json.loads(r.payload) if isinstance(r.payload, str) else r.payload
        except json.JSONDecodeError:
            return VerifyResult(ok=False, count=count, first_bad_index=r.idx,
                                reason=f"entry {r.idx} has an unreadable payload")
        if entry_hash(prev, r.idx, r.ts, r.kind, r.actor, payload) != r.hash:
            return VerifyResult(ok=False, count=count, first_bad_index=r.idx,
                                reason=f"entry {r.idx} was changed after it was written")
        prev = r.hash
    return VerifyResult(ok=True, count=count)


def verify_conn(conn: Connection) -> VerifyResult:
    rows = conn.execute(select(schema.events).order_by(schema.events.c.idx))
    return verify(rows)
