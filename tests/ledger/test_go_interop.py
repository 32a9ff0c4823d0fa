"""Go's reference implementation (golang.org/x/mod/sumdb/note and sumdb/tlog) verifies what a SHA-256/Ed25519 log
publishes, and rejects it tampered (issue 10 item 10). Go and the x/mod sources come from Debian (`make go-interop`,
part of `make test`: packages golang-go and golang-golang-x-mod-dev); where they are missing the test is skipped with
that reason. The program is tests/ledger/go/ledgercheck.go, built in GOPATH mode against the Debian sources."""

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from smartjustice.ledger import keys, notes, services
from smartjustice.ledger.models import LedgerEntry, Log
from smartjustice.ledger.witness import WitnessSigner

GO_SOURCE = Path(__file__).parent / "go" / "ledgercheck.go"
GOPATH = os.environ.get("SMARTJUSTICE_GOPATH", "/usr/share/gocode")
MISSING = (
    "需要 Go 与 golang.org/x/mod 源码：apt-get install golang-go golang-golang-x-mod-dev（make go-interop）"
    if not shutil.which("go") or not (Path(GOPATH) / "src/golang.org/x/mod/sumdb/note/note.go").exists()
    else ""
)

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(bool(MISSING), reason=MISSING)]


@pytest.fixture(scope="module")
def ledgercheck(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("go")
    binary = folder / "ledgercheck"
    env = {
        **os.environ,
        "GO111MODULE": "off",
        "GOPATH": GOPATH,
        "GOCACHE": str(folder / "cache"),
        "GOFLAGS": "",
    }
    built = subprocess.run(
        ["go", "build", "-o", str(binary), str(GO_SOURCE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    return binary


def run_go(binary: Path, tmp_path: Path, cases: list[dict]) -> list[str]:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    answer = subprocess.run([str(binary), str(path)], capture_output=True, text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr
    return answer.stdout.splitlines()


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def sha256_log():
    """A SHA-256/Ed25519 log with checkpoints at 5, 8 and 13 entries, cosigned lines included."""
    log = services.create_log("go-interop", hash_algorithm="sha256", signature_algorithm="ed25519")
    heads = []
    for start, stop in ((0, 5), (5, 8), (8, 13)):
        services.append_batch(log.name, [f"记录 {i}".encode() for i in range(start, stop)], kind="t")
        heads.append(services.sign_checkpoint(Log.objects.get(pk=log.pk)))
    # A witness's cosignature line (type 0x04) beside the log's signature: Go must skip it as an unknown key.
    signer = WitnessSigner.generate("witness.go.example/w")
    signer.trust(
        log.origin,
        hash_algorithm="sha256",
        signature_algorithm="ed25519",
        public_key=bytes(heads[0].key.public_key),
    )
    witness = services.register_witness(signer.name, signer.public_key)
    for head in heads:
        services.collect_cosignature(head, witness, signer)
    return Log.objects.get(pk=log.pk), heads


def flip(text: str, position: int) -> str:
    """The note with one character of its body changed (a digit of the size or a letter of the root)."""
    swapped = "A" if text[position] != "A" else "B"
    return text[:position] + swapped + text[position + 1 :]


def test_go_verifies_checkpoints_and_proofs_and_rejects_tampered_ones(ledgercheck, tmp_path):
    log, heads = sha256_log()
    vkey = keys.verifier_key(keys.log_key(log))
    assert vkey.startswith(log.origin + "+") and notes.parse_verifier_key(vkey)[1] == notes.TYPE_ED25519
    notes_text = [services.checkpoint_with_cosignatures(h) for h in heads]
    assert all("witness.go.example/w" in text for text in notes_text)
    genuine, tampered = [], []
    for head, text in zip(heads, notes_text, strict=True):
        genuine.append({"kind": "checkpoint", "vkey": vkey, "note": text})
        root_line = text.index("\n", len(log.origin) + 1) + 1
        tampered.append({"kind": "checkpoint", "vkey": vkey, "note": flip(text, root_line + 3)})
        for index in range(head.tree_size):
            entry = LedgerEntry.objects.get(log=log, index=index)
            proof = [b64(h) for h in services.inclusion_proof(entry, head.tree_size)]
            case = {"kind": "inclusion", "vkey": vkey, "note": text, "data": b64(bytes(entry.payload))}
            genuine.append({**case, "index": index, "proof": proof})
            tampered.append(
                {**case, "index": index, "data": b64(bytes(entry.payload) + b"!"), "proof": proof}
            )
            if proof:
                tampered.append({**case, "index": index, "proof": [b64(bytes(32)), *proof[1:]]})
            if index + 1 < head.tree_size:
                tampered.append({**case, "index": index + 1, "proof": proof})
    for i, old in enumerate(heads):
        for j in range(i + 1, len(heads)):
            new = heads[j]
            proof = [b64(h) for h in services.consistency_proof(log, old.tree_size, new.tree_size)]
            case = {"kind": "consistency", "vkey": vkey, "old_note": notes_text[i], "note": notes_text[j]}
            genuine.append({**case, "proof": proof})
            tampered.append({**case, "proof": [*proof[:-1], b64(bytes(32))]})
            tampered.append({**case, "old_note": notes_text[j], "note": notes_text[i], "proof": proof})
    # Another log's key (or the same key under another origin) does not verify this log's checkpoints.
    other = services.create_log("go-interop-other", hash_algorithm="sha256", signature_algorithm="ed25519")
    tampered.append(
        {"kind": "checkpoint", "vkey": keys.verifier_key(keys.log_key(other)), "note": notes_text[0]}
    )
    name, kind, public = notes.parse_verifier_key(vkey)
    renamed = notes.verifier_key(other.origin, kind, public)
    tampered.append({"kind": "checkpoint", "vkey": renamed, "note": notes_text[0]})

    answers = run_go(ledgercheck, tmp_path, genuine + tampered)
    assert answers[: len(genuine)] == ["ok"] * len(genuine), [
        (case, answer) for case, answer in zip(genuine, answers, strict=False) if answer != "ok"
    ]
    rejected = answers[len(genuine) :]
    assert len(rejected) == len(tampered) and all(answer.startswith("fail") for answer in rejected), [
        (case, answer) for case, answer in zip(tampered, rejected, strict=False) if answer == "ok"
    ]
