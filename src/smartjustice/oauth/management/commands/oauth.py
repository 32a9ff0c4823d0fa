"""`smartjustice oauth register`: register a client application from the command line (the secret is shown once)."""

import json

from django.core.management.base import BaseCommand, CommandError

from smartjustice.core import context
from smartjustice.core.errors import DomainError
from smartjustice.oauth import services
from smartjustice.oauth.choices import ClientType, GrantType


class Command(BaseCommand):
    help = "统一身份认证：register 登记接入应用（客户端密钥只显示一次）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        register = sub.add_parser("register", help="登记接入应用")
        register.add_argument("name", help="应用名称")
        register.add_argument(
            "--public", action="store_true", help="公开客户端（移动应用，须使用 PKCE，无密钥）"
        )
        register.add_argument(
            "--grant",
            choices=GrantType.values,
            default=GrantType.AUTHORIZATION_CODE,
            help="授权方式（默认 authorization-code）",
        )
        register.add_argument("--redirect-uri", action="append", default=[], help="回调地址，可重复")
        register.add_argument(
            "--post-logout-redirect-uri",
            action="append",
            default=[],
            help="退出登录后允许跳转的地址（OIDC RP-Initiated Logout），可重复",
        )
        register.add_argument("--skip-consent", action="store_true", help="平台自有应用，登录后不再询问授权")
        register.add_argument("--json", action="store_true", help="以 JSON 输出 client_id 和 client_secret")

    def handle(self, *args, action, **options):
        with context.acting(channel="command", request_id=context.new_request_id()):
            try:
                application, secret = services.register_client(
                    actor=None,
                    name=options["name"],
                    client_type=ClientType.PUBLIC if options["public"] else ClientType.CONFIDENTIAL,
                    grant_type=options["grant"],
                    redirect_uris=options["redirect_uri"],
                    post_logout_redirect_uris=options["post_logout_redirect_uri"],
                    skip_authorization=options["skip_consent"],
                )
            except DomainError as exc:
                raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(
                json.dumps({"client_id": application.client_id, "client_secret": secret}, ensure_ascii=False)
            )
            return
        self.stdout.write(f"已登记接入应用“{application.name}”")
        self.stdout.write(f"client_id:     {application.client_id}")
        if secret:
            self.stdout.write(f"client_secret: {secret}")
            self.stdout.write("（密钥只显示这一次，平台只保存其摘要）")
