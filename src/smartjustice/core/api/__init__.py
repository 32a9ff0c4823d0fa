"""Core API routers, mounted at /api/v1/ by config/api.py."""

from ninja import Router

from .accounts import router as accounts_router
from .blocks import router as blocks_router
from .security import router as security_router

router = Router()
router.add_router("/", accounts_router)
router.add_router("/", blocks_router)
router.add_router("/", security_router)
