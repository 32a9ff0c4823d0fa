"""统一身份认证（OAuth2/OIDC）."""
