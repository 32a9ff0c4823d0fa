"""Access-matrix subjects of 行政执法 (the harness imports tests/<app>/matrix.py): each part registers its own."""

from tests.enforcement import (
    matrix_officers,  # noqa: F401  (行政执法人员)
    matrix_power_list,  # noqa: F401,E402  (权责清单)
)
