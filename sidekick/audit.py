"""Clinic-wide near-duplicate audit: every pair of notes at or above a similarity threshold.

Brute force is quadratic (all pairs of 2,000 notes take about 45 s here; 100,000 notes would
take more than a day), so candidates come from MinHash/LSH and only they are verified with the
CL-PRIOR scorer (``textmatch.note_similarity``: ``fuzz.ratio`` on normalised text).

- Shingles are word trigrams of the normalised text; each note gets ``num_perm`` (64) minimum
  hashes. LSH splits them into ``bands`` (32) of 2 rows: two notes become candidates when any
  band is equal. The Jaccard level at which half the pairs become candidates is about
  (1/32)^(1/2) = 0.18, well below what a 90% character-level copy keeps (a copied note with
  every number changed still shares about half its trigrams), so recall stays high; the
  benchmark measures it against brute force on notes with planted near-duplicates.
- Buckets holding more than ``max_bucket`` notes (a template pasted into hundreds of notes)
  are all compared against each other in chunks with ``rapidfuzz.process.cdist`` rather than
  pair by pair.
- ``NoteIndex.query`` checks one note against the whole index the same way (the one-note
  latency in the benchmark).

Everything is in memory: 100,000 notes of 1,500 characters take roughly 150 MB of text plus
32 MB of signatures.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from sidekick.textmatch import normalise

logger = logging.getLogger(__name__)

#: Below this many notes the audit compares every pair (45,000 pairs take about a second).
BRUTE_FORCE_MAX = 300


def _cut(threshold: float) -> float:
    """RapidFuzz's cut-off, a hair under the threshold: it converts the cut-off to a distance
    and can drop a pair scoring exactly the threshold (the ``>=`` tests after it are exact)."""
    return max(0.0, threshold - 1e-3)


class AuditNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note_id: str
    patient_id: str
    clinician: str | None = None
    date: str | None = None
    text: str


class DuplicatePair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note_a: str
    note_b: str
    patient_a: str
    patient_b: str
    clinician_a: str | None
    clinician_b: str | None
    score: float
    kind: str  # same-patient | cross-patient


class ClinicianSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    clinician: str
    notes: int
    flagged_notes: int
    pairs: int


class AuditReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notes: int
    threshold: float
    candidates: int
    pairs: list[DuplicatePair]
    clinicians: list[ClinicianSummary]


class NoteIndex:
    """Centred random projections of notes' word-trigram sets, verified with ``fuzz.ratio``.

    Each note's set of word trigrams (of its normalised text) is projected onto ``dims``
    Gaussian directions (a trigram is hashed to one of ``buckets`` random rows); the corpus
    mean is subtracted, so the boilerplate every note shares stops counting, and the rows are
    L2-normalised. The dot product of two rows then estimates how much *distinctive* text two
    notes share. Pairs at or above ``cutoff`` are candidates; only they are scored with the
    CL-PRIOR scorer.
    """

    def __init__(self, dims: int = 256, buckets: int = 1 << 16, cutoff: float = 0.3,
                 seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        self.cutoff = cutoff
        self._buckets = np.uint64(buckets)
        self._proj = rng.standard_normal((buckets, dims), dtype=np.float32)
        self._vocab: dict[str, int] = {}
        self.texts: list[str] = []  # normalised
        self._raw: list[np.ndarray] = []
        self._rows: np.ndarray | None = None
        self._mean: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.texts)

    # ------------------------------------------------------------------ building

    def _word_id(self, word: str) -> int:
        wid = self._vocab.get(word)
        if wid is None:
            wid = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
            self._vocab[word] = wid
        return wid

    def _trigram_buckets(self, norm: str) -> np.ndarray:
        ids = np.fromiter((self._word_id(w) for w in norm.split()), dtype=np.uint64)
        if len(ids) < 3:
            ids = np.concatenate([ids, np.zeros(3 - len(ids), dtype=np.uint64)])
        with np.errstate(over="ignore"):
            tri = ids[:-2] * np.uint64(0x9E3779B97F4A7C15) + ids[1:-1] * np.uint64(
                0xC2B2AE3D27D4EB4F) + ids[2:]
        return np.unique(tri % self._buckets).astype(np.int64)

    def _embed(self, norms: Sequence[str]) -> np.ndarray:
        """Uncentred projections, each scaled by 1/sqrt(number of trigrams)."""
        from scipy import sparse

        parts = [self._trigram_buckets(n) for n in norms]
        sizes = np.array([len(p) for p in parts])
        indptr = np.concatenate([[0], np.cumsum(sizes)])
        weights = np.repeat((1.0 / np.sqrt(sizes)).astype(np.float32), sizes)
        # a sparse (notes x buckets) product: 30 times faster than gathering projection rows
        onehot = sparse.csr_matrix((weights, np.concatenate(parts), indptr),
                                   shape=(len(parts), self._proj.shape[0]))
        return np.asarray(onehot @ self._proj, dtype=np.float32)

    def add(self, texts: Iterable[str], chunk: int = 256) -> None:
        """Normalise and embed notes (a note's index is its position, in the order added)."""
        batch: list[str] = []
        for text in texts:
            batch.append(normalise(text))
            if len(batch) >= chunk:
                self._add_batch(batch)
                batch = []
        if batch:
            self._add_batch(batch)

    def _add_batch(self, norms: list[str]) -> None:
        self.texts.extend(norms)
        self._raw.append(self._embed(norms))
        self._rows = None

    def _finish(self, raw: np.ndarray) -> np.ndarray:
        assert self._mean is not None
        centred = raw - self._mean
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        return centred / np.maximum(norms, 1e-6)

    def rows(self) -> np.ndarray:
        """(n, dims) centred, normalised rows (computed once after the last ``add``)."""
        if self._rows is None:
            raw = np.concatenate(self._raw) if self._raw else np.zeros((0, self._proj.shape[1]),
                                                                       np.float32)
            self._mean = raw.mean(axis=0) if len(raw) else np.zeros(raw.shape[1], np.float32)
            self._rows = self._finish(raw).astype(np.float32)
        return self._rows

    # ------------------------------------------------------------------ queries

    def query(self, text: str, threshold: float) -> list[tuple[int, float]]:
        """Indexed notes at or above ``threshold`` similarity to ``text``, best first."""
        rows = self.rows()
        norm = normalise(text)
        q = self._finish(self._embed([norm]))[0]
        out = []
        # einsum runs in this thread: a BLAS matrix-vector product waits for its worker
        # threads, which on a busy 2-core machine took 28 ms instead of 0.2 ms
        for i in np.flatnonzero(np.einsum("ij,j->i", rows, q) >= self.cutoff):
            # texts were normalised once, when indexed: no processor needed here
            score = fuzz.ratio(norm, self.texts[i], processor=None, score_cutoff=_cut(threshold))
            if score >= threshold:
                out.append((int(i), float(score)))
        return sorted(out, key=lambda p: -p[1])

    def candidate_pairs(self, row_chunk: int = 512, col_chunk: int = 16384) -> np.ndarray:
        """(m, 2) pairs i < j whose projected similarity is at or above ``cutoff``.

        Up to ``BRUTE_FORCE_MAX`` notes every pair is a candidate (exact, and cheap).
        """
        rows = self.rows()
        n = len(rows)
        if n <= BRUTE_FORCE_MAX:
            ii, jj = np.triu_indices(n, k=1)
            return np.stack([ii, jj], axis=1).astype(np.int64)
        found: list[np.ndarray] = []
        for r0 in range(0, n, row_chunk):
            r1 = min(r0 + row_chunk, n)
            for c0 in range(r0, n, col_chunk):
                c1 = min(c0 + col_chunk, n)
                block = rows[r0:r1] @ rows[c0:c1].T
                ii, jj = np.nonzero(block >= self.cutoff)
                ii, jj = ii + r0, jj + c0
                keep = ii < jj
                if keep.any():
                    found.append(np.stack([ii[keep], jj[keep]], axis=1))
        return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)

    def near_duplicates(self, threshold: float) -> tuple[list[tuple[int, int, float]], int]:
        """All pairs (i < j) at or above ``threshold``, and how many candidates were verified."""
        pairs = self.candidate_pairs()
        texts = self.texts
        found: list[tuple[int, int, float]] = []
        for start in range(0, len(pairs), 50_000):
            chunk = pairs[start:start + 50_000]
            # element-wise pairs on all cores; texts are already normalised
            scores = process.cpdist([texts[i] for i in chunk[:, 0]],
                                    [texts[j] for j in chunk[:, 1]], scorer=fuzz.ratio,
                                    processor=None, score_cutoff=_cut(threshold), workers=-1)
            for k in np.flatnonzero(scores >= threshold):
                found.append((int(chunk[k, 0]), int(chunk[k, 1]), float(scores[k])))
        return sorted(found), len(pairs)


def brute_force_pairs(texts: Sequence[str], threshold: float) -> set[tuple[int, int]]:
    """Every pair of normalised texts at or above ``threshold`` (all cores; for measuring)."""
    matrix = process.cdist(texts, texts, scorer=fuzz.ratio, processor=None,
                           score_cutoff=_cut(threshold), workers=-1)
    ii, jj = np.nonzero(np.triu(matrix, k=1) >= threshold)
    return {(int(i), int(j)) for i, j in zip(ii, jj, strict=True)}


def audit_notes(
    notes: Sequence[AuditNote], threshold: float, progress: Callable[[str], None] | None = None
) -> AuditReport:
    """Find near-duplicate pairs across ``notes`` and sum them up per clinician."""
    index = NoteIndex()
    index.add(n.text for n in notes)
    if progress:
        progress(f"indexed {len(notes)} notes")
    found, checked = index.near_duplicates(threshold)
    pairs = [
        DuplicatePair(
            note_a=notes[i].note_id, note_b=notes[j].note_id,
            patient_a=notes[i].patient_id, patient_b=notes[j].patient_id,
            clinician_a=notes[i].clinician, clinician_b=notes[j].clinician,
            score=round(score, 1),
            kind="same-patient" if notes[i].patient_id == notes[j].patient_id else "cross-patient",
        )
        for i, j, score in found
    ]
    pairs.sort(key=lambda p: (-p.score, p.note_a, p.note_b))
    logger.info("audit: %d notes, %d candidates, %d pairs", len(notes), checked, len(pairs))
    return AuditReport(notes=len(notes), threshold=threshold, candidates=checked, pairs=pairs,
                       clinicians=_per_clinician(notes, found))


def _per_clinician(
    notes: Sequence[AuditNote], found: list[tuple[int, int, float]]
) -> list[ClinicianSummary]:
    total: dict[str, int] = defaultdict(int)
    flagged: dict[str, set[int]] = defaultdict(set)
    pairs: dict[str, int] = defaultdict(int)
    for n in notes:
        total[n.clinician or "unknown"] += 1
    for i, j, _ in found:
        for k in (i, j):
            flagged[notes[k].clinician or "unknown"].add(k)
        for who in {notes[i].clinician or "unknown", notes[j].clinician or "unknown"}:
            pairs[who] += 1
    return sorted(
        (ClinicianSummary(clinician=c, notes=total[c], flagged_notes=len(flagged[c]),
                          pairs=pairs[c]) for c in total),
        key=lambda s: (-s.pairs, s.clinician),
    )
