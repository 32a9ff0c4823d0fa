"""Access-matrix subjects of 行政执法 (the harness imports tests/<app>/matrix.py): each part registers its own."""

from tests.enforcement import (
    matrix_cases,  # noqa: F401  (办案: cases, parties, evidence, payments, documents — helper H2)
    matrix_inspections,  # noqa: F401  (双随机、一公开, helper H4)
    matrix_mobile,  # noqa: F401  (移动执法, helper H3)
    matrix_officers,  # noqa: F401  (行政执法人员)
    matrix_power_list,  # noqa: F401,E402  (权责清单)
)
