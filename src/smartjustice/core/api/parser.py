"""The API's request parser: django-ninja's JSON parser, refusing text with NUL characters in Chinese.

PostgreSQL cannot store U+0000 in text, and no form of the platform accepts it, so a NUL anywhere in a JSON body or
a query parameter is a 422 naming the field, before any endpoint runs (it would otherwise be a 500 on PostgreSQL).
"""

from __future__ import annotations

from ninja.parser import Parser

from ..errors import ValidationFailed
from ..validators import NULL_CHARACTER_MESSAGE, contains_null_character


def _refuse_null_characters(data) -> None:
    if not contains_null_character(data):
        return
    names = [k for k, v in data.items() if contains_null_character(v)] if isinstance(data, dict) else []
    raise ValidationFailed(
        NULL_CHARACTER_MESSAGE, fields={n: [NULL_CHARACTER_MESSAGE] for n in names or ["__all__"]}
    )


class PlatformParser(Parser):
    """JSON bodies and query strings as django-ninja parses them, with NUL characters refused."""

    def parse_body(self, request):
        data = super().parse_body(request)
        _refuse_null_characters(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _refuse_null_characters(result)
        return result
