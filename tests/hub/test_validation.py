"""The compiled validator answers exactly as jsonschema does, for every catalogue schema."""

import json
import random

import pytest

from smartjustice.hub.services import CATALOGUE_FILE
from smartjustice.hub.validation import compile_schema, errors_of

from . import factories

SCHEMAS = {d["code"]: d["schema"] for d in json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["datasets"]}
BAD_VALUES = [None, True, 0, 1.5, -3, "", "x" * 300, "2026-02-30", "2026-03-01", "abc", [], {}, "张三", 2.0]


@pytest.mark.parametrize("code", sorted(SCHEMAS))
def test_every_catalogue_schema_compiles(code):
    assert compile_schema(SCHEMAS[code]) is not None


def test_compiled_check_agrees_with_jsonschema_on_valid_and_broken_records():
    rng = random.Random(7)
    schema = SCHEMAS["enforcement.case"]
    check = compile_schema(schema)
    fields = list(schema["properties"])
    for n in range(600):
        record = factories.case(n, fine_amount=rng.choice([0, 12.5, 3000]), decided_on="2026-04-01")
        for _ in range(rng.randrange(3)):
            action = rng.randrange(3)
            name = rng.choice(fields)
            if action == 0:
                record.pop(name, None)
            elif action == 1:
                record[name] = rng.choice(BAD_VALUES)
            else:
                record["extra_field"] = 1
        assert check(record) == (not errors_of(schema, record)), record


def test_messages_are_chinese_and_name_the_field():
    schema = SCHEMAS["mediation.case"]
    errors = dict(errors_of(schema, {"case_number": "", "dispute_type": "打架", "parties_count": 1, "x": 1}))
    assert errors["case_number"] == "“案件编号”不能为空"
    assert errors["dispute_type"].startswith("“纠纷类型”的取值应为：婚姻家庭")
    assert errors["parties_count"] == "“当事人人数”不能小于 2"
    assert errors["committee"] == "缺少必填字段“调解组织”"
    assert errors["x"] == "数据集中没有字段“x”"


def test_compiled_check_agrees_on_enums_without_a_type_and_on_repeated_dates():
    schema = {
        "type": "object",
        "properties": {"kind": {"enum": ["甲", "乙", 3]}, "on": {"type": "string", "format": "date"}},
    }
    check = compile_schema(schema)
    records = [{"kind": value} for value in ["甲", 3, 3.0, True, [], {}, None, "丙"]]
    # A valid date seen first must not make a later invalid one pass (the check remembers valid dates only).
    records += [{"on": day} for day in ["2026-02-28", "2026-02-28", "2026-02-30", "2026-2-28", "2026-02-28"]]
    for record in records:
        assert check(record) == (not errors_of(schema, record)), record
