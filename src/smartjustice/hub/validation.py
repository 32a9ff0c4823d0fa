"""Validating records against a dataset's JSON Schema, with Chinese messages.

`jsonschema` is the reference. Bulk ingest checks a million records, so `compile_schema` turns the subset of JSON
Schema the catalogue uses (an object with typed properties, required, enum, maxLength/minLength, pattern,
minimum/maximum, format date/date-time, additionalProperties false) into one Python function that answers
valid/invalid; only records it rejects go through jsonschema for the messages. A schema using anything else is
checked by jsonschema alone. tests/hub/test_validation.py checks the two agree.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import lru_cache

from jsonschema import Draft202012Validator, FormatChecker

TYPE_NAMES = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "是/否",
    "object": "对象",
    "array": "数组",
    "null": "空值",
}
_PROPERTY_KEYWORDS = {
    "type",
    "title",
    "description",
    "enum",
    "maxLength",
    "minLength",
    "pattern",
    "minimum",
    "maximum",
    "format",
    "x-personal",
}
_OBJECT_KEYWORDS = {
    "$schema",
    "type",
    "title",
    "description",
    "properties",
    "required",
    "additionalProperties",
}
_FORMATS = {"date", "date-time"}


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_date(value: str) -> bool:
    if _DATE.fullmatch(value) is None:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _date_checker(limit: int = 100_000) -> tuple[set[str], Callable[[str], bool]]:
    """A date check that remembers the valid dates it saw (a batch has few distinct ones): (seen, check)."""
    seen: set[str] = set()

    def check(value: str) -> bool:
        if not _is_date(value):
            return False
        if len(seen) < limit:
            seen.add(value)
        return True

    return seen, check


def _is_datetime(value: str) -> bool:
    # RFC 3339 date-time as jsonschema checks it (time zone required).
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _type_check(kind: str) -> Callable[[object], bool]:
    if kind == "string":
        return lambda v: type(v) is str
    if kind == "integer":
        return lambda v: (type(v) is int) or (type(v) is float and v.is_integer())
    if kind == "number":
        return lambda v: type(v) in (int, float)
    if kind == "boolean":
        return lambda v: type(v) is bool
    if kind == "null":
        return lambda v: v is None
    raise LookupError(kind)


def _property_check(spec: dict) -> Callable[[object], bool] | None:
    if set(spec) - _PROPERTY_KEYWORDS:
        return None
    checks: list[Callable[[object], bool]] = []
    kinds = spec.get("type")
    if kinds is not None:
        try:
            type_checks = [_type_check(k) for k in ([kinds] if isinstance(kinds, str) else kinds)]
        except LookupError:
            return None
        checks.append(lambda v, tc=type_checks: any(c(v) for c in tc))
    if "enum" in spec:
        allowed = list(spec["enum"])
        if any(isinstance(a, bool | float) for a in allowed):
            return None  # jsonschema's equality rules for these are subtle; leave them to it
        checks.append(lambda v, a=allowed: not isinstance(v, bool) and v in a)
    string_checks: list[Callable[[str], bool]] = []
    if "maxLength" in spec:
        string_checks.append(lambda v, n=spec["maxLength"]: len(v) <= n)
    if "minLength" in spec:
        string_checks.append(lambda v, n=spec["minLength"]: len(v) >= n)
    if "pattern" in spec:
        string_checks.append(lambda v, p=re.compile(spec["pattern"]): p.search(v) is not None)
    if "format" in spec:
        if spec["format"] not in _FORMATS:
            return None
        string_checks.append(_is_date if spec["format"] == "date" else _is_datetime)
    if string_checks:
        checks.append(lambda v, sc=string_checks: type(v) is not str or all(c(v) for c in sc))
    number_checks: list[Callable[[float], bool]] = []
    if "minimum" in spec:
        number_checks.append(lambda v, n=spec["minimum"]: v >= n)
    if "maximum" in spec:
        number_checks.append(lambda v, n=spec["maximum"]: v <= n)
    if number_checks:
        checks.append(lambda v, nc=number_checks: type(v) not in (int, float) or all(c(v) for c in nc))
    if len(checks) == 1:
        return checks[0]
    return lambda v, cs=checks: all(c(v) for c in cs)


def compile_schema(schema: dict) -> Callable[[object], bool] | None:
    """A fast valid/invalid check for `schema`, or None when it uses keywords outside the compiled subset.

    The check is generated as one flat Python function (like fastjsonschema does), since per-property closures
    cost several microseconds a record on the bulk path.
    """
    if schema.get("type") != "object" or set(schema) - _OBJECT_KEYWORDS:
        return None
    if not isinstance(schema.get("additionalProperties", True), bool):
        return None
    properties = schema.get("properties") or {}
    if any(_property_check(spec) is None for spec in properties.values()):
        return None
    dates, date_check = _date_checker()
    env: dict = {"_MISSING": object(), "_dates": dates, "_is_date": date_check, "_is_datetime": _is_datetime}
    lines = ["def check(r):", "    if type(r) is not dict: return False"]
    for name in schema.get("required", ()):
        lines.append(f"    if {name!r} not in r: return False")
    if schema.get("additionalProperties", True) is False:
        env["_allowed"] = frozenset(properties)
        lines.append("    if not _allowed.issuperset(r): return False")
    for index, (name, spec) in enumerate(properties.items()):
        lines.append(f"    v = r.get({name!r}, _MISSING)")
        lines.append("    if v is not _MISSING:")
        body: list[str] = []
        kinds = spec.get("type")
        if kinds is not None:
            tests = []
            for kind in [kinds] if isinstance(kinds, str) else kinds:
                tests.append(
                    {
                        "string": "type(v) is str",
                        "integer": "(type(v) is int or (type(v) is float and v.is_integer()))",
                        "number": "type(v) in (int, float)",
                        "boolean": "type(v) is bool",
                        "null": "v is None",
                    }[kind]
                )
            body.append(f"if not ({' or '.join(tests)}): return False")
        if "enum" in spec:
            allowed = list(spec["enum"])
            # A set when every value is a string or a whole number (bool and float are excluded above).
            hashable = all(type(a) in (str, int) for a in allowed)
            env[f"_enum{index}"] = frozenset(allowed) if hashable else allowed
            unhashable = " or type(v) in (list, dict)" if hashable else ""
            body.append(f"if isinstance(v, bool){unhashable} or v not in _enum{index}: return False")
        string_tests = []
        if "maxLength" in spec:
            string_tests.append(f"len(v) > {int(spec['maxLength'])}")
        if "minLength" in spec:
            string_tests.append(f"len(v) < {int(spec['minLength'])}")
        if "pattern" in spec:
            env[f"_pattern{index}"] = re.compile(spec["pattern"])
            string_tests.append(f"_pattern{index}.search(v) is None")
        if "format" in spec:
            string_tests.append(
                "(v not in _dates and not _is_date(v))" if spec["format"] == "date" else "not _is_datetime(v)"
            )
        if string_tests:
            body.append(f"if type(v) is str and ({' or '.join(string_tests)}): return False")
        number_tests = []
        if "minimum" in spec:
            number_tests.append(f"v < {spec['minimum']!r}")
        if "maximum" in spec:
            number_tests.append(f"v > {spec['maximum']!r}")
        if number_tests:
            body.append(f"if type(v) in (int, float) and ({' or '.join(number_tests)}): return False")
        lines.extend("        " + line for line in body or ["pass"])
    lines.append("    return True")
    exec("\n".join(lines), env)  # noqa: S102 — source built above from the schema's own keywords only
    return env["check"]


@lru_cache(maxsize=64)
def _validator(schema_json: str) -> Draft202012Validator:
    import json

    return Draft202012Validator(json.loads(schema_json), format_checker=FormatChecker())


def _title(schema: dict, name: str) -> str:
    return ((schema.get("properties") or {}).get(name) or {}).get("title") or name


def _message(error, schema: dict) -> tuple[str, str]:
    """(field, Chinese message) for one jsonschema error."""
    field = ".".join(str(p) for p in error.absolute_path)
    title = _title(schema, field) if field else "记录"
    kind = error.validator
    value = error.validator_value
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else ""
        return name, f"缺少必填字段“{_title(schema, name)}”"
    if kind == "type":
        kinds = [value] if isinstance(value, str) else list(value)
        if not field:
            return "", "记录内容应为 JSON 对象"
        return field, f"“{title}”应为{'或'.join(TYPE_NAMES.get(k, k) for k in kinds)}"
    if kind == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        return (extra[0] if extra else ""), f"数据集中没有字段“{'、'.join(extra)}”"
    if kind == "maxLength":
        return field, f"“{title}”不能超过 {value} 个字符"
    if kind == "minLength":
        return field, f"“{title}”至少 {value} 个字符" if value > 1 else f"“{title}”不能为空"
    if kind == "pattern":
        return field, f"“{title}”格式不正确"
    if kind == "enum":
        return field, f"“{title}”的取值应为：{'、'.join(map(str, value))}"
    if kind == "format":
        expected = {"date": "日期（YYYY-MM-DD）", "date-time": "日期时间（ISO 8601，含时区）"}.get(
            value, value
        )
        return field, f"“{title}”应为{expected}"
    if kind == "minimum":
        return field, f"“{title}”不能小于 {value}"
    if kind == "maximum":
        return field, f"“{title}”不能大于 {value}"
    return field, f"“{title}”不符合数据集要求"


def errors_of(schema: dict, record) -> list[tuple[str, str]]:
    """Every problem of `record` as (field, Chinese message), in field order; empty when it is valid."""
    import json

    validator = _validator(json.dumps(schema, sort_keys=True, ensure_ascii=False))
    found = [_message(e, schema) for e in validator.iter_errors(record)]
    return sorted(found)


class RecordValidator:
    """Validates many records of one dataset: the compiled check first, jsonschema for the messages."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.fast = compile_schema(schema)

    def errors(self, record) -> list[tuple[str, str]]:
        if self.fast is not None and self.fast(record):
            return []
        return errors_of(self.schema, record)
