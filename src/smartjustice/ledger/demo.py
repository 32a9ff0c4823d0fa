"""Demo 可信存证账本: a log of decision receipts, a signed checkpoint and two witnesses' cosignatures.

What to create is data (ledger/data/demo.json). Entries go through ``services.append_batch`` and checkpoints through
``services.sign_checkpoint``; the witnesses run in process (``witness.WitnessSigner``), verify the consistency proof
from the last checkpoint they cosigned and cosign through ``services.collect_cosignature``, as a real witness would.
Idempotent: entries already in the log are not appended again.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path

from django.conf import settings

from smartjustice.core.demo import Step

from . import services
from .models import Witness
from .witness import WitnessSigner

DATA_FILE = Path(__file__).parent / "data" / "demo.json"


def witness_key_file(name: str) -> Path:
    """Where the demo witness `name` keeps its private key (its own file, apart from the operator's secrets)."""
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    return Path(settings.LEDGER_DEMO_WITNESS_DIR) / f"witness-{digest}.key"


def _demo_witness(name: str) -> WitnessSigner:
    # A witness is independent of the log operator by definition, so its key is random and kept in its own file,
    # never derived from the operator's SECRET_KEY (whoever holds that could otherwise forge the cosignatures).
    path = witness_key_file(name)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)  # two loaders at once: the first key wins
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return WitnessSigner(name=name, private_key=bytes.fromhex(path.read_text(encoding="ascii").strip()))


def load() -> Step:
    """Create (or complete) the demo log, checkpoint and cosignatures; what was created, for the loader's report."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    name, kind = data["log"]["name"], data["log"]["kind"]
    payloads = [text.encode() for text in data["entries"]]
    log = services.get_or_create_log(name)
    have = set(log.entries.filter(kind=kind).values_list("payload", flat=True))
    new = [p for p in payloads if p not in {bytes(h) for h in have}]
    if new:
        services.append_batch(name, new, kind=kind)
    log.refresh_from_db()
    checkpoint = services.latest_checkpoint(log)
    cosigned = 0
    for item in data["witnesses"]:
        signer = _demo_witness(item["name"])
        witness = Witness.objects.filter(name=signer.name).first() or services.register_witness(
            signer.name, signer.public_key
        )
        signer.trust(
            log.origin,
            hash_algorithm=log.hash_algorithm,
            signature_algorithm=log.signature_algorithm,
            public_key=bytes(checkpoint.key.public_key),
        )
        last = witness.cosignatures.filter(checkpoint__log=log).order_by("-checkpoint__tree_size").first()
        if last is not None:
            signer.state[log.origin] = (last.checkpoint.tree_size, bytes(last.checkpoint.root_hash))
        if last is None or last.checkpoint_id != checkpoint.pk:
            services.collect_cosignature(checkpoint, witness, signer)
            cosigned += 1
    return Step(
        "可信存证账本",
        created=len(new) + cosigned,
        existing=len(payloads) - len(new),
        detail={"存证条目": len(new), "见证签名": cosigned} if new or cosigned else {},
    )
