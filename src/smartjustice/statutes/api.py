"""Statute library API."""

from ninja import Router

router = Router(tags=["法律法规库"])
