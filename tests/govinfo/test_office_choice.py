"""The 受理机关 choice: grouped by city (the province's own office first) and searchable, also without JS."""

import re

import pytest
from django.test import Client

from smartjustice.core.choices import OrganisationKind
from smartjustice.core.models import Organisation
from smartjustice.govinfo.models import GovInfoRequest
from tests.core.factories import PROVINCE, SHENZHEN_FUTIAN, TIANHE, YUEXIU, jurisdiction

from . import factories

pytestmark = pytest.mark.django_db


def _offices():
    for code in (TIANHE, YUEXIU, SHENZHEN_FUTIAN):
        factories.bureau(code)
    return Organisation.objects.create(
        jurisdiction=jurisdiction(PROVINCE), name="广东省司法厅", kind=OrganisationKind.JUSTICE_DEPARTMENT
    )


def test_the_office_choice_is_grouped_by_city_with_a_filter_hint():
    _offices()
    client = Client()
    client.force_login(factories.citizen())
    html = client.get("/govinfo/apply/").content.decode()
    select = re.search(r'<select name="organisation".*?</select>', html, re.S).group(0)
    assert 'data-choice-filter="输入地市、区县或机关名称筛选"' in select
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    labels = [label for label, _ in groups]
    assert labels == ["省级", "广州市", "深圳市"]
    by_label = dict(groups)
    assert "广东省司法厅" in by_label["省级"]
    assert "天河区司法局" in by_label["广州市"] and "越秀区司法局" in by_label["广州市"]
    assert "福田区司法局" in by_label["深圳市"] and "天河区司法局" not in by_label["深圳市"]
    assert "请选择司法局或司法厅" in select


def test_a_grouped_choice_still_submits_the_office():
    _offices()
    applicant = factories.citizen()
    client = Client()
    client.force_login(applicant)
    futian = factories.bureau(SHENZHEN_FUTIAN)
    response = client.post(
        "/govinfo/apply/",
        {"organisation": futian.pk, "description": "2025年执法统计年报", "delivery_method": "online"},
    )
    assert response.status_code == 302
    assert GovInfoRequest.objects.get(applicant=applicant).organisation == futian
