"""The hash-chained event log detects edits, insertions and deletions."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sidekick.store import open_store
from sidekick.store.events import GENESIS, canonical_json, entry_hash


@pytest.fixture
def store(settings):
    with open_store(settings) as s:
        for i in range(5):
            s.append_event("test.step", {"step": i, "note": "ids only"}, actor="tester")
        yield s


def _drop_guards(store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER events_no_update"))
        conn.execute(text("DROP TRIGGER events_no_delete"))


def test_chain_links_each_entry_to_the_previous_hash(store):
    events = store.events()
    assert [e.idx for e in events] == [0, 1, 2, 3, 4]
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    e = events[2]
    assert e.hash == entry_hash(e.prev_hash, e.idx, e.ts, e.kind, e.actor, e.payload)
    assert store.verify_chain().ok and store.verify_chain().count == 5


def test_events_cannot_be_updated_through_sqlite(store):
    with pytest.raises(Exception, match="events are append-only"):
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE events SET actor = 'mallory' WHERE idx = 1"))


@pytest.mark.parametrize(
    ("sql", "first_bad", "reason"),
    [
        pytest.param("UPDATE events SET payload = '{\"step\":99}' WHERE idx = 2", 2,
                     "entry 2 was changed after it was written", id="payload-edited"),
        pytest.param("UPDATE events SET actor = 'mallory' WHERE idx = 3", 3,
                     "entry 3 was changed after it was written", id="actor-edited"),
        pytest.param("DELETE FROM events WHERE idx = 1", 1,
                     "entry 1 is missing (found index 2)", id="entry-deleted"),
        pytest.param("UPDATE events SET hash = 'f' || substr(hash, 2) WHERE idx = 0", 0,
                     "entry 0 was changed after it was written", id="hash-edited"),
    ],
)
def test_raw_sql_tampering_is_found_at_the_first_bad_entry(store, sql, first_bad, reason):
    _drop_guards(store)
    with store.engine.begin() as conn:
        conn.exec_driver_sql(sql)
    result = store.verify_chain()
    assert (result.ok, result.first_bad_index, result.reason) == (False, first_bad, reason)


def test_rewritten_hash_breaks_the_next_link(store):
    _drop_guards(store)
    ev = store.events()[1]
    forged = {"step": 42, "note": "ids only"}
    new_hash = entry_hash(ev.prev_hash, ev.idx, ev.ts, ev.kind, ev.actor, forged)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE events SET payload = :p, hash = :h WHERE idx = 1"),
                     {"p": canonical_json(forged), "h": new_hash})
    result = store.verify_chain()
    assert (result.ok, result.first_bad_index) == (False, 2)
    assert result.reason == "entry 2 does not follow entry 1"
