"""Generated API access and audit tests of the power list (core.testing.ApiModelTests)."""

from smartjustice.core.testing import ApiModelTests
from smartjustice.enforcement.choices import EnforcementAuditEvent
from smartjustice.enforcement.models import EnforcementItem
from tests.enforcement import power_list_makers


class TestEnforcementItemApi(ApiModelTests):
    model = EnforcementItem
    list_url = "enforcement/items/manage"
    detail_url = "enforcement/items/{pk}/edit"
    roles = ("legal_reviewer",)
    factory = power_list_makers.item
    create_url = "enforcement/items"
    create_payload = power_list_makers.item_payload
    create_event = EnforcementAuditEvent.ITEM_CREATED
    update_url = "enforcement/items/{pk}"
    update_payload = {"name": "对未按规定明码标价行为的行政处罚（修订）"}
    update_event = EnforcementAuditEvent.ITEM_UPDATED
