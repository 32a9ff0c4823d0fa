"""Demo data of 社区矫正 (helper A owns this file; each part contributes demo_<part>.py)."""

from smartjustice.core.demo import Step


def load() -> Step:
    return Step("社区矫正", 0)
