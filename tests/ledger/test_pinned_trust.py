"""Issue 10 items 4–6: the audit and the proof pages trust pinned keys, not the key table; every stored node is
recomputed; a receipt is bound to its log's origin and each log signs with a key of its own (ADR 0010)."""

import base64
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from smartjustice import crypto
from smartjustice.ledger import keys, merkle, notes, queries, services
from smartjustice.ledger.models import Checkpoint, Cosignature, LedgerEntry, Log, Node, SigningKey, Witness
from smartjustice.ledger.services.entries import NodeStore
from smartjustice.ledger.witness import WitnessSigner

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust_file(settings, tmp_path):
    """A trust file of this test alone (the keys created in the test are pinned in it)."""
    settings.LEDGER_TRUST_FILE = str(tmp_path / "ledger-trust.txt")
    return tmp_path / "ledger-trust.txt"


def audit(name: str, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ledger", "audit", name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def audit_problems(name: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现"):
        call_command("ledger", "audit", name, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def cosigned_log(name="decisions", size=25):
    """A log of ``size`` entries with two checkpoints, the second cosigned by a registered witness."""
    services.append_batch(name, [f"决定书 {i}".encode() for i in range(size - 5)], kind="decision")
    log = Log.objects.get(name=name)
    services.sign_checkpoint(log)
    services.append_batch(name, [f"决定书 {i}".encode() for i in range(size - 5, size)], kind="decision")
    checkpoint = services.sign_checkpoint(log)
    signer = WitnessSigner.generate("witness.test.example/pinned")
    witness = services.register_witness(signer.name, signer.public_key)
    signer.trust(
        log.origin,
        hash_algorithm="sm3",
        signature_algorithm="sm2",
        public_key=bytes(checkpoint.key.public_key),
    )
    services.collect_cosignature(checkpoint, witness, signer)
    return log


def rebuild_nodes(log: Log) -> bytes:
    """What an attacker with database access does after rewriting entries: every node recomputed; the new root."""
    hash_fn = crypto.hasher(log.hash_algorithm)
    Node.objects.filter(log=log).delete()
    frontier = merkle.Frontier(hash_fn)
    rows = []
    for payload in LedgerEntry.objects.filter(log=log).order_by("index").values_list("payload", flat=True):
        created = frontier.append(merkle.leaf_hash(hash_fn, bytes(payload)))
        rows += [Node(log=log, level=level, index=index, hash=h) for level, index, h in created]
    Node.objects.bulk_create(rows)
    Log.objects.filter(pk=log.pk).update(root_hash=frontier.root())
    return frontier.root()


def rewrite_and_resign(log: Log, index: int, forged: bytes) -> SigningKey:
    """Rewrite an entry, rebuild the nodes, insert the attacker's key row and re-sign every checkpoint with it."""
    hash_fn = crypto.hasher(log.hash_algorithm)
    LedgerEntry.objects.filter(log=log, index=index).update(
        payload=forged, leaf_hash=merkle.leaf_hash(hash_fn, forged)
    )
    rebuild_nodes(log)
    private, public = crypto.generate_keypair("sm2")
    SigningKey.objects.filter(organisation=log.organisation).update(status="retired")
    rogue = SigningKey.objects.create(
        organisation=log.organisation,
        algorithm="sm2",
        key_id=keys.fingerprint("sm2", public),
        public_key=public,
        private_key_encrypted=b"",
    )
    for checkpoint in Checkpoint.objects.filter(log=log):
        root = merkle.root_hash(hash_fn, NodeStore(log), checkpoint.tree_size)
        body = notes.checkpoint_body(log.origin, checkpoint.tree_size, root)
        line = notes.sign_note(body, name=log.origin, algorithm="sm2", private_key=private, public_key=public)
        Checkpoint.objects.filter(pk=checkpoint.pk).update(text=body + "\n" + line, root_hash=root, key=rogue)
    return rogue


# --- item 4: the audit checks checkpoint keys and cosignatures against pins ------------------------------------------


def test_an_untouched_cosigned_log_passes_the_audit_against_its_pins(trust_file):
    log = cosigned_log()
    out, _ = audit(log.name)
    assert "全部一致" in out and "1 个见证方联署" in out
    pinned = trust_file.read_text(encoding="utf-8")
    assert keys.verifier_key(keys.log_key(log)) in pinned  # the log's key, under its origin
    assert "witness.test.example/pinned+" in pinned


def test_a_rewritten_log_re_signed_with_an_inserted_key_row_fails_the_audit(trust_file):
    log = cosigned_log()
    rogue = rewrite_and_resign(log, 7, "决定书 7（伪造）".encode())
    problems = audit_problems(log.name)
    assert f"由未固定的密钥 {rogue.key_id} 签名" in problems
    assert "检查点没有固定公钥的签名" in problems
    # The witness's cosignature was over the genuine history: it no longer holds for the re-signed checkpoint.
    assert "witness.test.example/pinned 联署无效" in problems


def test_a_witness_key_row_swapped_with_a_re_made_cosignature_fails_the_audit(trust_file):
    log = cosigned_log()
    checkpoint = Checkpoint.objects.filter(log=log).order_by("-tree_size").first()
    witness = Witness.objects.get(name="witness.test.example/pinned")
    forger = WitnessSigner.generate(witness.name)
    Witness.objects.filter(pk=witness.pk).update(public_key=forger.public_key)
    body = notes.parse_checkpoint(checkpoint.text).body
    line = notes.cosign(
        body, name=forger.name, private_key=forger.private_key, public_key=forger.public_key, timestamp=1
    )
    Cosignature.objects.filter(checkpoint=checkpoint, witness=witness).update(line=line)
    assert "witness.test.example/pinned 联署无效" in audit_problems(log.name)


def test_a_log_without_pins_is_reported_and_the_environment_can_pin_it(settings, tmp_path):
    services.append_batch("receipts", [b"a", b"b", b"c"], kind="t")
    log = Log.objects.get(name="receipts")
    services.sign_checkpoint(log)
    vkey = keys.verifier_key(keys.log_key(log))
    settings.LEDGER_TRUST_FILE = str(tmp_path / "empty.txt")  # the auditor's own, which lacks this key
    problems = audit_problems("receipts")
    assert "没有为日志" in problems and "未固定的密钥" in problems
    settings.LEDGER_PINNED_KEYS = f"  {vkey} ,"
    assert "全部一致" in audit("receipts")[0]


def test_a_malformed_pin_is_reported_by_the_audit(trust_file, settings):
    services.append_entry("receipts", b"a", kind="t")
    services.sign_checkpoint(Log.objects.get(name="receipts"))
    settings.LEDGER_PINNED_KEYS = "not-a-key+00+AAAA"
    assert "固定公钥无效" in audit_problems("receipts")


def test_the_verify_page_trusts_pinned_keys_not_the_key_in_the_file_nor_the_key_table(trust_file):
    services.append_batch("decisions", [b"one", b"two"], kind="t")
    genuine = services.proof_bundle(LedgerEntry.objects.get(log__name="decisions", index=1))
    ok = Client().post("/ledger/verify/", {"text": genuine}).content.decode()
    assert "验证通过" in ok
    # A receipt made from scratch: a new key and a one-leaf checkpoint signed by it, under the same origin.
    log = Log.objects.get(name="decisions")
    private, public = crypto.generate_keypair("sm2")
    data = b"forged decision"
    root = merkle.leaf_hash(crypto.hasher("sm3"), data)
    body = notes.checkpoint_body(log.origin, 1, root)
    text = (
        body
        + "\n"
        + notes.sign_note(body, name=log.origin, algorithm="sm2", private_key=private, public_key=public)
    )
    from smartjustice.ledger import bundles

    extra = bundles.entry_description(
        log="decisions",
        hash_algorithm="sm3",
        signature_algorithm="sm2",
        public_key=public,
        kind="t",
        data=data,
    )
    forged = bundles.format_proof(index=0, proof=[], checkpoint_text=text, extra=extra.encode())
    # Even with the attacker's key inserted into the key table.
    SigningKey.objects.create(
        organisation=None,
        algorithm="sm2",
        key_id=keys.fingerprint("sm2", public),
        public_key=public,
        private_key_encrypted=b"",
    )
    page = Client().post("/ledger/verify/", {"text": forged}).content.decode()
    assert "验证通过" not in page and "不是为 ledger.sf.gd.gov.cn/decisions 固定的公钥" in page
    # The credentials page's key source: the pins, never the inserted row.
    assert public not in queries.log_public_keys("decisions")
    assert queries.log_public_keys("decisions") == [bytes(keys.log_key(log).public_key)]


def test_the_verify_page_takes_the_published_verifier_key_and_binds_its_origin(trust_file):
    """The page's key field once took base64 only: the verifier key /ledger/keys/ publishes (and the page beside it
    tells visitors to pin) was refused as bad base64, and its help still said a blank field trusts the file's key."""
    credentials, decisions = two_logs()
    receipt = services.proof_bundle(LedgerEntry.objects.get(log=decisions, index=1))
    own = keys.verifier_key(keys.log_key(decisions))
    page = Client().post("/ledger/verify/", {"text": receipt, "key": own}).content.decode()
    assert "验证通过" in page
    other = keys.verifier_key(keys.log_key(credentials))
    page = Client().post("/ledger/verify/", {"text": receipt, "key": other}).content.decode()
    assert "验证通过" not in page
    # The decisions key, named for the credentials log: the origin it pins is not the receipt's.
    _, signature_type, public_key = notes.parse_verifier_key(own)
    renamed = notes.verifier_key(credentials.origin, signature_type, public_key)
    page = Client().post("/ledger/verify/", {"text": receipt, "key": renamed}).content.decode()
    assert "验证通过" not in page and f"验证公钥属于 {credentials.origin}" in page
    blank = Client().get("/ledger/verify/").content.decode()
    assert "不采用证明文件自带的公钥" in blank and "--vkey" in blank


# --- item 5: every stored node is recomputed -------------------------------------------------------------------------


def test_corrupting_a_node_off_the_frontier_is_caught_and_would_break_proofs(trust_file):
    log = cosigned_log()
    # Node (1, 2) covers leaves 4–5: not on the frontier of 25 (16 + 8 + 1), so no root check reaches it.
    Node.objects.filter(log=log, level=1, index=2).update(hash=b"\x00" * 32)
    checkpoint = Checkpoint.objects.filter(log=log).order_by("-tree_size").first()
    proof = services.inclusion_proof_at(log, 6, 25)
    leaf = bytes(LedgerEntry.objects.get(log=log, index=6).leaf_hash)
    hash_fn = crypto.hasher("sm3")
    assert not merkle.verify_inclusion(hash_fn, leaf, 6, 25, proof, bytes(checkpoint.root_hash))
    assert "默克尔节点（层 1，序号 2）与条目不符" in audit_problems(log.name)


def test_missing_and_extra_nodes_are_caught(trust_file):
    log = cosigned_log()
    Node.objects.filter(log=log, level=2, index=3).delete()
    assert "默克尔节点（层 2，序号 3）缺失" in audit_problems(log.name)
    Node.objects.create(log=log, level=2, index=3, hash=bytes(32))
    Node.objects.filter(log=log, level=2, index=3).delete()
    rebuild_nodes(log)
    Node.objects.create(log=log, level=7, index=0, hash=bytes(32))
    assert "默克尔节点表含有与条目不对应的节点" in audit_problems(log.name)


def test_the_audit_reads_in_chunks_with_a_progress_bar(trust_file):
    log = cosigned_log(size=40)
    out, _ = audit(log.name, "--chunk-size", "7")
    assert "100% 40/40" in out and "40 条、" in out and "全部一致" in out
    report = services.check_integrity(log, chunk_size=3)
    assert report.ok and report.nodes_checked == Node.objects.filter(log=log).count()


# --- item 6: each log its own key; a receipt bound to its origin ----------------------------------------------------


def two_logs():
    services.append_batch("credentials", [b"credential 1", b"credential 2"], kind="credential")
    services.append_batch("decisions", [b"decision 1", b"decision 2"], kind="decision")
    credentials, decisions = Log.objects.get(name="credentials"), Log.objects.get(name="decisions")
    return credentials, decisions


def verify(tmp_path, text: str, *args) -> int:
    path = tmp_path / "receipt.tlog-proof"
    path.write_text(text, encoding="utf-8")
    try:
        call_command("ledger", "verify", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as exc:
        return exc.returncode
    return 0


def test_each_log_signs_with_a_key_of_its_own(trust_file):
    credentials, decisions = two_logs()
    first = services.sign_checkpoint(credentials).key
    second = services.sign_checkpoint(decisions).key
    assert first.key_id != second.key_id
    assert (first.log, second.log) == (credentials, decisions)
    assert notes.parse_verifier_key(keys.verifier_key(first))[0] == credentials.origin


def test_a_receipt_relabelled_to_another_log_does_not_pass_that_logs_key(trust_file, tmp_path):
    credentials, decisions = two_logs()
    receipt = services.proof_bundle(LedgerEntry.objects.get(log=credentials, index=1))
    services.sign_checkpoint(decisions)
    decisions_key = Checkpoint.objects.get(log=decisions).key
    description = receipt.split("\n")[1].removeprefix("extra ")
    relabelled_description = base64.b64decode(description).replace(b"log credentials\n", b"log decisions\n")
    relabelled = receipt.replace(description, base64.b64encode(relabelled_description).decode())
    assert (
        verify(tmp_path, relabelled, "--key", base64.b64encode(bytes(decisions_key.public_key)).decode()) != 0
    )
    # The verifier key form names the origin: the genuine receipt does not pass as the other log's either.
    assert verify(tmp_path, receipt, "--key", keys.verifier_key(decisions_key)) != 0
    credentials_key = Checkpoint.objects.get(log=credentials).key
    assert verify(tmp_path, receipt, "--key", keys.verifier_key(credentials_key)) == 0
    # The log line is not signed, the origin is: a relabelled receipt fails even under its own log's key.
    assert verify(tmp_path, relabelled, "--key", keys.verifier_key(credentials_key)) != 0


def test_witnesses_are_pinned_by_the_verifier_keys_the_platform_publishes(trust_file, tmp_path):
    """`--witness` takes a witness's key in the form /ledger/ and the trust file publish it (``name+keyid+base64``);
    it once accepted only ``NAME=raw key`` and silently dropped the published form, so a demanded cosignature was
    never counted (exit 9 for a properly cosigned receipt), and dropped a key it could not decode without a word."""
    log = cosigned_log()
    receipt = services.proof_bundle(LedgerEntry.objects.get(log=log, index=3))
    witness = Witness.objects.get(name="witness.test.example/pinned")
    published = notes.verifier_key(witness.name, notes.TYPE_COSIGNATURE, bytes(witness.public_key))
    assert published in Client().get("/ledger/").content.decode()
    assert published in trust_file.read_text(encoding="utf-8")
    log_key = keys.verifier_key(keys.log_key(log))
    assert (
        verify(tmp_path, receipt, "--vkey", log_key, "--witness", published, "--require-witnesses", "1") == 0
    )
    raw = base64.b64encode(bytes(witness.public_key)).decode()
    assert (
        verify(
            tmp_path,
            receipt,
            "--vkey",
            log_key,
            "--witness",
            f"{witness.name}={raw}",
            "--require-witnesses",
            "1",
        )
        == 0
    )
    # A key it cannot use is an input error (2), not a key quietly left out.
    assert (
        verify(tmp_path, receipt, "--vkey", log_key, "--witness", witness.name, "--require-witnesses", "1")
        == 2
    )
    assert verify(tmp_path, receipt, "--vkey", log_key, "--witness", f"{witness.name}=AAAA") == 2
    assert (
        verify(tmp_path, receipt, "--vkey", log_key, "--witness", log_key) == 2
    )  # a log key is no witness key


# --- item 10: the verifier key is printed beside the platform's fingerprint ------------------------------------------


def test_keys_listing_labels_the_fingerprint_and_the_verifier_key(trust_file):
    credentials, decisions = two_logs()
    out = io.StringIO()
    call_command("ledger", "keys", stdout=out)
    text = out.getvalue()
    key = keys.log_key(decisions)
    assert f"平台密钥标识（/ledger/keys/ 的指纹）：{key.key_id}" in text
    assert (
        f"signed-note 验证公钥（名称+标识+公钥，供 Go sumdb/note 等工具）：{keys.verifier_key(key)}" in text
    )
    assert "已固定" in text
    page = Client().get("/ledger/keys/").content.decode()
    assert keys.verifier_key(key) in page and "密钥标识（指纹）" in page
    out = io.StringIO()
    call_command("ledger", "keys", "--trust-file", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line and not line.startswith("#")]
    assert {notes.parse_verifier_key(line)[0] for line in lines} == {credentials.origin, decisions.origin}


def test_the_demo_pins_its_own_log_key_and_witnesses_and_passes_its_audit(trust_file, settings, tmp_path):
    from smartjustice.ledger import demo

    settings.LEDGER_DEMO_WITNESS_DIR = tmp_path / "witnesses"
    demo.load()
    out, _ = audit("decisions")
    assert "2 个见证方联署" in out and "全部一致" in out
    origins = {
        notes.parse_verifier_key(line)[0] for line in trust_file.read_text().splitlines() if "+" in line
    }
    assert {
        "ledger.sf.gd.gov.cn/decisions",
        "witness.gdjcy.example/ledger",
        "witness.sz.example/ledger",
    } <= origins


def test_rotating_a_log_key_pins_the_new_key_and_old_checkpoints_stay_valid(trust_file):
    services.append_entry("receipts", b"one", kind="t")
    log = Log.objects.get(name="receipts")
    old = services.sign_checkpoint(log).key
    out = io.StringIO()
    call_command("ledger", "rotate-key", "--log", "receipts", stdout=out)
    new = keys.log_key(log)
    assert new != old and f"新检查点密钥 {new.key_id}" in out.getvalue()
    services.append_entry("receipts", b"two", kind="t")
    assert services.sign_checkpoint(log).key == new
    assert "2 个检查点" in audit("receipts")[0]  # the retired key stays pinned for what it signed
