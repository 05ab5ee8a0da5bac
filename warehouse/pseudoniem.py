"""Pseudonymisation of the BSN: a keyed hash (HMAC-SHA256), the key never in the repository."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

import polars as pl

SLEUTEL_ENV = "STOPLICHT_PSEUDONIEM_SLEUTEL"
SLEUTELBESTAND_ENV = "STOPLICHT_SLEUTELBESTAND"
STANDAARD_SLEUTELBESTAND = Path(__file__).resolve().parents[1] / "secrets" / "pseudoniem.key"
LENGTE = 32  # hex characters kept of the digest (128 bits)
# A BSN-like number: nine digits not part of a longer number (valid by the 11-test or not).
BSN_ACHTIG = re.compile(r"(?<!\d)\d{9}(?!\d)")


def sleutel() -> bytes:
    """The pseudonymisation key: from the environment, else a secret file made on first use."""
    uit_env = os.environ.get(SLEUTEL_ENV)
    if uit_env:
        return uit_env.encode("utf-8")
    pad = Path(os.environ.get(SLEUTELBESTAND_ENV, STANDAARD_SLEUTELBESTAND))
    if not pad.exists():
        pad.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return pad.read_text().strip().encode("utf-8")


def pseudoniem(bsn: str, key: bytes) -> str:
    """The client id of one BSN."""
    return hmac.new(key, bsn.encode("utf-8"), hashlib.sha256).hexdigest()[:LENGTE]


def zonder_bsn(tekst: str, key: bytes) -> str:
    """`tekst` with every BSN-like number replaced by 'pseudoniem:' and its client id."""
    return BSN_ACHTIG.sub(lambda m: f"pseudoniem:{pseudoniem(m.group(), key)}", tekst)


def pseudoniemen(bsns: list[str], key: bytes) -> list[str]:
    """The client ids of many BSNs: `pseudoniem` for each, with the one-shot HMAC (faster)."""
    return [hmac.digest(key, b.encode("utf-8"), "sha256").hex()[:LENGTE] for b in bsns]


def hmac_blokken(key: bytes) -> dict[str, bytes]:
    """The key's inner and outer HMAC-SHA256 pads (RFC 2104), to compute `pseudoniem` in SQL.

    With them DuckDB computes the same value for many BSNs at once (sql/pseudoniemen.sql):
    left(sha256(opad || unhex(sha256(ipad || bsn))), LENGTE).
    """
    blok = hashlib.sha256().block_size
    if len(key) > blok:
        key = hashlib.sha256(key).digest()
    key = key.ljust(blok, b"\0")
    return {"ipad": bytes(b ^ 0x36 for b in key), "opad": bytes(b ^ 0x5C for b in key)}


def elfproef(bsn: pl.Expr) -> pl.Expr:
    """True when a 9-digit text passes the BSN 11-test (weights 9..2 and -1)."""
    gewichten = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    som = sum(bsn.str.slice(i, 1).cast(pl.Int64, strict=False) * w for i, w in enumerate(gewichten))
    return (som % 11 == 0) & (som != 0)
