"""Legal Q&A robot and FAQ API."""

from ninja import Router

router = Router(tags=["法律问答"])
