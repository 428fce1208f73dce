"""MinHash signatures of article bodies and the LSH index that finds candidate copies.

Both come from datasketch: a `MinHash` over the 5-character shingles of the normalised text,
kept as a `LeanMinHash`, and a `MinHashLSH` with fixed banding. A signature is stored as a tag,
the shingle count (4 bytes, little-endian), then the little-endian `LeanMinHash` serialisation.
Bytes in any other form (the hand-written format of earlier versions, a truncated value) do
not load and are computed again from the text (`compute_signatures`, `fill_index`).
"""

from __future__ import annotations

import logging
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from datasketch import LeanMinHash, MinHash, MinHashLSH
from sqlalchemy import select, update

from campaign.articles.models import Article, ArticleBody
from campaign.articles.store import normalise_body
from campaign.core.chunks import chunks
from campaign.extensions import db

log = logging.getLogger(__name__)

SHINGLE = 5
NUM_PERM = 128
# A pair at Jaccard s becomes a candidate with probability 1-(1-s^3)^42: 99.6 % at 0.5, 97 % at
# 0.43 (an abridged copy, verified on containment), 29 % at 0.2 (verification rejects those).
BANDS, ROWS = 42, 3
JACCARD_THRESHOLD = 0.5
CONTAINMENT_THRESHOLD = 0.8
CHUNK = 900  # ids in one IN list (SQLite allows 999 variables)
MIN_SHINGLES = 40  # shorter texts (captions, briefs) are too short to call copies

_SEED = 1  # fixed: signatures stored today must match tomorrow's
_SCHEME = "affine32"
_TAG = b"dsk2"  # datasketch 2 LeanMinHash; never the length of the old 516-byte format
_COUNT = struct.Struct("<I")
# The permutations depend on the seed only: made once, shared by every signature.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations
_LEAN_SIZE = LeanMinHash(MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)).bytesize("<")
_STORED_SIZE = len(_TAG) + _COUNT.size + _LEAN_SIZE


@dataclass(frozen=True, slots=True)
class Signature:
    """The MinHash of an article's shingles and how many shingles there were."""

    size: int
    minhash: LeanMinHash

    @property
    def hashes(self) -> Any:
        """The minimum hashes (a numpy array)."""
        return self.minhash.hashvalues

    def to_bytes(self) -> bytes:
        """The stored form: the tag, the count, then the serialised MinHash."""
        buf = bytearray(_LEAN_SIZE)
        self.minhash.serialize(buf, byteorder="<")
        return _TAG + _COUNT.pack(self.size) + bytes(buf)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Signature:
        """Read a signature written by `to_bytes`; ValueError for anything else."""
        raw = bytes(raw)
        if len(raw) != _STORED_SIZE or not raw.startswith(_TAG):
            raise ValueError(f"not a stored signature ({len(raw)} bytes)")
        try:
            lean = LeanMinHash.deserialize(raw[len(_TAG) + _COUNT.size:], byteorder="<")
        except (struct.error, ValueError) as error:
            raise ValueError(f"unreadable signature: {error}") from error
        if (lean.seed, len(lean), lean.scheme) != (_SEED, NUM_PERM, _SCHEME):
            raise ValueError("signature made with other MinHash parameters")
        return cls(_COUNT.unpack_from(raw, len(_TAG))[0], lean)


def read_signature(raw: bytes | None) -> Signature | None:
    """The stored signature, or None when there is none or it does not load."""
    if not raw:
        return None
    try:
        return Signature.from_bytes(raw)
    except ValueError as error:
        log.debug("reprints: stored signature ignored: %s", error)
        return None


def shingles(text: str) -> set[str]:
    """The 5-character shingles of the normalised text (the whole text when shorter)."""
    normal = normalise_body(text)
    if len(normal) <= SHINGLE:
        return {normal} if normal else set()
    return {normal[i:i + SHINGLE] for i in range(len(normal) - SHINGLE + 1)}


def compute_signature(text: str) -> Signature:
    """The MinHash signature of the 5-character shingles of the normalised text.

    Shingles are hashed with CRC-32 (stable across processes, unlike `hash`, and far cheaper
    than datasketch's default SHA-1); datasketch mixes each hash before permuting it.
    """
    found = shingles(text)
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=zlib.crc32,
                      permutations=_PERMUTATIONS, scheme=_SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in found])
    return Signature(len(found), LeanMinHash(minhash))


def similar(a: Signature, b: Signature) -> bool:
    """True when the estimated Jaccard similarity, or the estimated containment of the smaller
    text in the larger, reaches its threshold."""
    if min(a.size, b.size) < MIN_SHINGLES:
        return False
    jaccard = a.minhash.jaccard(b.minhash)
    if jaccard >= JACCARD_THRESHOLD:
        return True
    # |A∩B| = J·(|A|+|B|)/(1+J); containment is that over the smaller set.
    containment = jaccard * (a.size + b.size) / ((1 + jaccard) * min(a.size, b.size))
    return bool(containment >= CONTAINMENT_THRESHOLD and jaccard > 0.2)


class SignatureIndex:
    """Signatures by body fingerprint, and an LSH index over those long enough to compare,
    kept between runs in a process.

    The fingerprint is a hash of the normalised text and the signature a function of it, so an
    entry is never stale; a run then reads only the window's small article rows, and signature
    bytes for fingerprints it has not met yet. Beyond `limit` entries, those outside the
    current run are dropped (an LSH entry costs about 13 kB).
    """

    def __init__(self, limit: int = 8_000) -> None:  # about 100 MB
        self.limit = limit
        self.entries: dict[str, Signature] = {}
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))

    def get(self, fingerprint: str) -> Signature | None:
        return self.entries.get(fingerprint)

    def put(self, fingerprint: str, sig: Signature) -> Signature:
        if fingerprint:
            self.entries[fingerprint] = sig
            self._index(fingerprint, sig)
        return sig

    def candidates(self, sig: Signature) -> set[str]:
        """Fingerprints sharing at least one LSH band with `sig` (its own included)."""
        return set(self.lsh.query(sig.minhash))

    def make_room(self, keep: set[str], coming: int) -> None:
        """Before adding `coming` entries: past the limit, keep only the entries in `keep` (a
        run's window must be whole). A window near the limit raises it, so that a rebuild
        happens once in many runs, not in every one."""
        if len(self.entries) + coming <= self.limit:
            return
        self.entries = {f: sig for f, sig in self.entries.items() if f in keep}
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
        for fingerprint, sig in self.entries.items():
            self._index(fingerprint, sig)
        self.limit = max(self.limit, 2 * (len(self.entries) + coming))

    def _index(self, fingerprint: str, sig: Signature) -> None:
        # `in`: after `entries` alone was cleared the key may still be indexed (same value).
        if sig.size >= MIN_SHINGLES and fingerprint not in self.lsh:
            self.lsh.insert(fingerprint, sig.minhash, check_duplication=False)


index = SignatureIndex()  # one per process, shared by every run


def compute_signatures(ids: Sequence[int]) -> dict[int, Signature]:
    """Signatures of `ids` from their text, stored in `ArticleBody.minhash` and cached."""
    found: dict[int, Signature] = {}
    for part in chunks(ids, CHUNK):
        rows = db.session.execute(
            select(ArticleBody.article_id, ArticleBody.text, Article.fingerprint)
            .join(Article, Article.id == ArticleBody.article_id)
            .where(ArticleBody.article_id.in_(part))).all()
        updates = []
        for article_id, text, fingerprint in rows:
            found[article_id] = index.put(fingerprint, compute_signature(text))
            updates.append({"article_id": article_id, "minhash": found[article_id].to_bytes()})
        if updates:
            db.session.execute(update(ArticleBody), updates)
    _expire_bodies(set(ids))
    return found


def fill_index(ids: Sequence[int]) -> None:
    """Read the stored signatures of `ids` into the index; compute those that do not load."""
    unreadable: list[int] = []
    for part in chunks(ids, CHUNK):
        for article_id, fingerprint, raw in db.session.execute(
                select(Article.id, Article.fingerprint, ArticleBody.minhash)
                .join(ArticleBody, ArticleBody.article_id == Article.id)
                .where(Article.id.in_(part), ArticleBody.minhash.is_not(None))):
            if index.get(fingerprint) is not None:
                continue
            if (sig := read_signature(raw)) is None:
                unreadable.append(article_id)
            else:
                index.put(fingerprint, sig)
    if unreadable:
        log.info("reprints: %d stored signatures recomputed", len(unreadable))
        compute_signatures(unreadable)


def _expire_bodies(ids: set[int]) -> None:
    """Bulk updates by primary key bypass the session: expire the copies it holds."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, ArticleBody) and obj.article_id in ids:
            db.session.expire(obj, ["minhash"])
