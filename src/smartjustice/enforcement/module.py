"""行政执法 in the module registry. So far only the extraction of penalty provisions (no pages, API or models yet)."""

from smartjustice.core.modules import Module

MODULE = Module(label="enforcement", name="行政执法")
